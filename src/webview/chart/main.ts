/**
 * The chart panel's page: the chart (chartView.ts) over the whole page, linked to the panel's host
 * side through the page's VS Code API; the host's first message, when the page carries it, is drawn
 * with no message to wait for.
 *
 * Room src/webview/chart: the chart's page code (browser): the chart view, its controls, the uPlot chart, heatmap and tables, PNG; the panel's page and the editor's chart pane.
 * May import: src/core/measures, src/protocol.
 */
import type { Endpoint, ServerEvent } from '../../protocol/channel';
import { chartLink, FIRST_CHART_ID, type ChartLink } from '../../protocol/chart';
import { mountChart } from './chartView';

interface VsCodeApi {
  postMessage(m: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;
const api = acquireVsCodeApi();

const page: Endpoint = {
  post: (m) => api.postMessage(m),
  listen(handler) {
    const on = (e: MessageEvent<unknown>) => handler(e.data);
    window.addEventListener('message', on);
    return () => window.removeEventListener('message', on);
  },
};

// the panel's page is the chart: #app carries its marks (data-chart-root), as the bench and the tests read them
mountChart(document.body.querySelector<HTMLElement>('#app')!, page, { first: carriedMessage() });

/** The host's first message when the page carries it (see FIRST_CHART_ID), checked as the later ones are. */
function carriedMessage(): ServerEvent<ChartLink> | null {
  const block = document.getElementById(FIRST_CHART_ID);
  if (!block?.textContent) return null;
  try {
    const parsed = chartLink.toClient.safeParse(JSON.parse(block.textContent));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  } finally {
    block.remove();
  }
}
