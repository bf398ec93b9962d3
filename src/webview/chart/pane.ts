/**
 * The chart pane's script: the export editor's page loads it on first use (it is not in the page's
 * first paint), with the page's nonce, and mounts a chart (chartView.ts) in its pane through the
 * global this script sets. The pane's link rides on the editor page's own messages (the page wraps
 * and unwraps them), so this script needs no VS Code API of its own.
 */
import type { Endpoint } from '../../protocol/channel';
import { chartLink } from '../../protocol/chart';
import { mountChart, type ChartView } from './chartView';

/** What the script offers the editor page, as `window.rcChartPane`. */
export interface ChartPaneScript {
  /** Mounts a chart in `root`; `first` (unchecked, as it came) is the host's first message, when it sent one. */
  mount(root: HTMLElement, endpoint: Endpoint, first: unknown): ChartView;
}

const script: ChartPaneScript = {
  mount(root, endpoint, first) {
    const parsed = first === undefined || first === null ? null : chartLink.toClient.safeParse(first);
    return mountChart(root, endpoint, {
      first: parsed?.success ? parsed.data : null,
      drilledTo: () => 'shown in the grid above',
    });
  },
};
(window as unknown as { rcChartPane: ChartPaneScript }).rcChartPane = script;
