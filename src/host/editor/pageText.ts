/**
 * Text that goes into the export editor's page as it is built on the host (see editorHtml.ts): the
 * bundles put into the page, and the first message carried as data. No VS Code API here, so the
 * escaping is unit-tested.
 */

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
