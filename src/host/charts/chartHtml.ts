/**
 * The chart panel's page: the page shell the export editor's page has too (strict CSP with a nonce,
 * nothing fetched), with the chart bundle (uPlot inside) and its style sheets; PNGs are drawn
 * through blob: images. A source the host has at once rides in the page (as a data block), with the
 * first measure by day when it is known.
 */
import * as vscode from 'vscode';
import type { ServerEvent } from '../../protocol/channel';
import { FIRST_CHART_ID, type ChartLink } from '../../protocol/chart';
import { dataBlock, pageShell, readText } from '../editor/pageText';

/** The page; `first`, when given, is the host's first message, carried by the page (see webview/chart/main.ts). */
export function chartHtml(
  webview: vscode.Webview,
  dist: vscode.Uri,
  media: vscode.Uri,
  first: ServerEvent<ChartLink> | null = null,
  /** When the command was called and the page set (epoch ms): the page shows them beside its own times. */
  marks: { called: number; paged: number } | null = null,
): string {
  const at = (dir: vscode.Uri, name: string) => vscode.Uri.joinPath(dir, name).fsPath;
  return pageShell({
    cspSource: webview.cspSource,
    title: 'RevenueCat chart',
    script: readText(at(dist, 'chart.js')),
    style: readText(at(dist, 'chart.css'), at(media, 'chart.css'), at(media, 'chartPage.css')),
    images: ['blob:'],
    body: `data-state="loading"${marks ? ` data-called-at="${marks.called.toFixed(0)}" data-paged-at="${marks.paged.toFixed(0)}"` : ''}`,
    before: first ? dataBlock(FIRST_CHART_ID, first) : '',
  });
}
