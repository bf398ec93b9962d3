/**
 * The export editor's webview script: builds the grid and connects it to the host.
 *
 * Room src/webview: the export editor's page (browser code): its link to the host, icons, stats.
 * May import: src/protocol, src/webview/grid.
 */
import { FIRST_MESSAGE_ID, ToWebview } from '../protocol/editor';
import { Grid } from './grid/grid';
import { listen, post } from './host';
import { stats } from './stats';

const grid = new Grid(document.getElementById('app')!);
listen((m) => grid.receive(m));
const first = carriedMessage();
if (first) {
  // rows the page brought along: on screen as soon as VS Code shows the page
  grid.receive(first);
  grid.paintNow();
}
post({ type: 'ready' });
// the host holds back the rest of a fresh load until the first rows are on screen
void stats.shown.then(() => post({ type: 'shown' }));

/** The host's first message when the page carries it (see FIRST_MESSAGE_ID), checked like the ones that come later. */
function carriedMessage() {
  const block = document.getElementById(FIRST_MESSAGE_ID);
  if (!block?.textContent) return null;
  try {
    const parsed = ToWebview.safeParse(JSON.parse(block.textContent));
    return parsed.success && parsed.data.type === 'init' ? parsed.data : null;
  } catch {
    return null;
  } finally {
    block.remove();
  }
}
