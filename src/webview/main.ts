/**
 * The export editor's webview script: builds the grid and connects it to the host; the chart pane
 * (chartPane.ts) opens under the grid when the host says so.
 *
 * Room src/webview: the export editor's page (browser code): its link to the host, the chart pane's frame, icons, stats.
 * May import: src/protocol, src/webview/chart, src/webview/grid.
 */
import { FIRST_MESSAGE_ID, ToWebview } from '../protocol/editor';
import { ChartPane } from './chartPane';
import { Grid } from './grid/grid';
import { listen, post } from './host';
import { stats } from './stats';

const app = document.getElementById('app')!;
const grid = new Grid(app);
const pane = new ChartPane(app, () => app.querySelector<HTMLElement>('.viewport')?.focus());
listen((m) => (m.type === 'chartPane' ? pane.open(m) : grid.receive(m)));
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
