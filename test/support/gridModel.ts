/** A grid model (src/webview/grid/model.ts) over a file the host described, for the webview's plain-Node tests. */
import type { ColumnInfo } from '../../src/protocol/editor';
import { Model, type Init } from '../../src/webview/grid/model';

export const column = (name: string, type: ColumnInfo['type']): ColumnInfo => ({
  name,
  type,
  doc: '',
  known: true,
  pickList: false,
});

export function modelWith(columns: ColumnInfo[], total: number): Model {
  const m = new Model();
  const meta: Init = {
    type: 'init',
    generation: 1,
    file: 'x.csv.gz',
    columns,
    rowCount: total,
    loading: false,
    template: 'v5',
    templateSource: 'detected',
    delimiter: ',',
    bytes: 0,
    compressedBytes: 0,
    problems: null,
    layout: { widths: {}, hidden: [] },
    first: { rowNumbers: [], rows: '[]' },
  };
  m.meta = meta;
  m.total = total;
  m.setLayout(meta.layout);
  return m;
}

export const COLUMNS = [
  column('id', 'string'),
  column('price', 'float'),
  column('trial', 'boolean'),
  column('start', 'timestamp'),
  column('attributes', 'json'),
];
