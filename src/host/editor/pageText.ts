/**
 * Text that goes into the webview pages as they are built on the host (the export editor's,
 * editorHtml.ts, and the chart panel's, src/host/charts/chartHtml.ts): one page shell with its
 * strict CSP and nonce, the bundles put into it, and a message carried as data. No VS Code API here,
 * so the shell and the escaping are unit-tested.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';

/** Files' text, one after the other (read at every open: small, in the OS cache, never stale after a rebuild). */
export function readText(...files: string[]): string {
  return files.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
}

export interface PageParts {
  /** The webview's own source (webview.cspSource): images and fonts may come from there only. */
  readonly cspSource: string;
  readonly title: string;
  /** The page's script bundle and style sheet, as text (put into the page under the nonce). */
  readonly script: string;
  readonly style: string;
  /** More image sources besides the webview's own and data: (the chart's PNG uses blob:). */
  readonly images?: readonly string[];
  /** Attributes of <body>, as written (a state, flags). */
  readonly body: string;
  /** Markup between the app's element and the script (a data block). */
  readonly before?: string;
}

/**
 * A webview page: no remote content, nothing fetched (the script and the style sheet sit in the page,
 * allowed by a fresh nonce), images and fonts from the webview's own source only.
 */
export function pageShell(p: PageParts): string {
  const nonce = crypto.randomBytes(16).toString('base64');
  const csp = [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    ['img-src', p.cspSource, 'data:', ...(p.images ?? [])].join(' '),
    `font-src ${p.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<style nonce="${nonce}">${inlineText(p.style, 'style')}</style>
<title>${p.title}</title>
</head>
<body ${p.body}>
<div id="app"></div>
${p.before ?? ''}
<script nonce="${nonce}">${inlineText(p.script, 'script')}</script>
</body>
</html>`;
}

/** A bundle's text made safe to sit inside a <script> or <style> element. */
export function inlineText(text: string, tag: 'script' | 'style'): string {
  const closing = new RegExp(`</(${tag})`, 'gi');
  // "<\/script" means the same to JavaScript (in strings, regexes, comments); CSS never needs "</style"
  const safe = tag === 'script' ? text.replace(closing, '<\\/$1') : text.replace(closing, '');
  return safe.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n').replace(/\/\*# sourceMappingURL=\S+ \*\/\s*$/, '');
}

/**
 * A message carried by the page as a JSON data block (never run: the CSP's nonce is for scripts).
 * Every "<" is escaped, so no cell can end the block or open markup.
 */
export function dataBlock(id: string, message: unknown): string {
  return `<script type="application/json" id="${id}">${JSON.stringify(message).replace(/</g, '\\u003c')}</script>`;
}
