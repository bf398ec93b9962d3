/**
 * How long activation took, from the first line of the bundle (esbuild puts a time stamp there) to the
 * end of `activate`: loading the module plus registering everything. The extension returns it as part
 * of its API so the real-VS-Code suite can report it.
 */
const loadStart = (globalThis as { __rcExportLoadStart?: number }).__rcExportLoadStart;

export interface ExtensionApi {
  /** Milliseconds from loading the bundle to the end of activate (undefined without the bundle's stamp). */
  readonly activationMs: number | undefined;
}

export function activationApi(): ExtensionApi {
  return { activationMs: loadStart === undefined ? undefined : performance.now() - loadStart };
}
