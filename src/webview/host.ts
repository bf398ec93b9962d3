/**
 * The webview's line to the extension host: the asking side of the editor link (protocol/editor.ts)
 * over the page's `postMessage` and its `message` events. Everything that arrives is checked against
 * the link's schemas by the channel.
 */
import { connect, type AskOf, type Endpoint, type ReplyOf, type RequestName } from '../protocol/channel';
import { editorLink, PANE_KEY, type EditorLink, type ToHost, type ToWebview } from '../protocol/editor';

interface VsCodeApi {
  postMessage(m: unknown): void;
  getState(): unknown;
  setState(s: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

const page: Endpoint = {
  post: (m) => api.postMessage(m),
  listen(handler) {
    const onMessage = (event: MessageEvent<unknown>) => handler(event.data);
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  },
};

/** The chart pane's link: its messages wrapped in the page's own, both ways (see PANE_KEY). */
export const paneEndpoint: Endpoint = {
  post: (m) => api.postMessage({ [PANE_KEY]: m }),
  listen(handler) {
    const onMessage = (event: MessageEvent<unknown>) => {
      const m = event.data;
      if (typeof m === 'object' && m !== null && PANE_KEY in m) handler((m as Record<string, unknown>)[PANE_KEY]);
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  },
};

let onEvent: (m: ToWebview) => void = () => {};
const link = connect(editorLink, page, (m) => onEvent(m));

/** Tells the host something; it does not answer. */
export function post(m: ToHost): void {
  link.send(m);
}

type Request = RequestName<EditorLink>;
/** A request's fields (an empty ask, `{}`, has none to add). */
type Fields<T> = string extends keyof T ? unknown : T;

/**
 * Asks the host; resolves with its reply. A request the host turns down (rows of a view that a reload
 * replaced, a row past the end) does not resolve: whoever asked keeps what it shows. The second
 * argument, the reply's name, only documents the call.
 */
export async function request<K extends Request>(
  m: { type: K } & Fields<AskOf<EditorLink, K>>,
  _reply?: string,
): Promise<ReplyOf<EditorLink, K>> {
  const { type, ...ask } = m;
  const r = await link.request(type, ask as AskOf<EditorLink, K>);
  if (r.ok) return r.value;
  return new Promise(() => {});
}

/**
 * Asks the host, cancellably: aborting `signal` tells the host (and the thread it asked) to stop.
 * Resolves with the reply, or null when cancelled or turned down.
 */
export async function ask<K extends Request>(
  m: { type: K } & Fields<AskOf<EditorLink, K>>,
  signal: AbortSignal,
): Promise<ReplyOf<EditorLink, K> | null> {
  const { type, ...body } = m;
  const r = await link.request(type, body as AskOf<EditorLink, K>, { signal });
  return r.ok ? r.value : null;
}

/** Listens to the host's events. */
export function listen(handler: (m: ToWebview) => void): void {
  onEvent = handler;
}

/** What survives the webview being hidden and shown again: a part per user (the grid, the chart pane). */
export const saved = {
  get<T>(part: string): T | undefined {
    const all = api.getState() as Record<string, unknown> | undefined;
    return (all?.[part] as T | undefined) ?? undefined;
  },
  set(part: string, s: unknown): void {
    const all = (api.getState() as Record<string, unknown> | undefined) ?? {};
    api.setState({ ...all, [part]: s });
  },
};
