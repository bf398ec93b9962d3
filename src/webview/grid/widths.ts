/**
 * Column widths from what the columns hold: the header (type badge, name, filter button), a sample of
 * cells, and the width a value of the type usually takes (a whole timestamp, say), measured in the
 * fonts the grid draws them in. Used for the columns the user has not sized, and by a double-click on
 * a header's edge ("fit").
 */
import { arrayItems } from '../../core/catalog/cellValues';
import type { ColumnInfo } from '../../protocol/editor';
import { attributesText } from './cellFormat';

/** What a header cell adds around its name: padding, type badge, gaps, filter button, sort arrow, border. */
const HEADER_EXTRA = 6 + 22 + 4 + 4 + 14 + 4 + 20 + 4 + 1;
/** A body cell's padding and border, and a pixel of slack for sub-pixel text. */
const CELL_EXTRA = 6 + 6 + 1 + 2;
/** An array cell draws each item as a chip: padding and margin per item. */
const CHIP_EXTRA = 12 + 4;

/** A value as wide as the type's usual one, so a column fits it even when the sample holds none. */
const USUAL: Partial<Record<ColumnInfo['type'], string>> = {
  timestamp: '2000-00-00 00:00:00',
  boolean: 'false',
  integer: '0000000',
  float: '000000.00',
};
const MIN: Record<ColumnInfo['type'], number> = {
  string: 80,
  timestamp: 60,
  boolean: 60,
  float: 70,
  integer: 60,
  array: 90,
  json: 120,
};
/** Sized from content, a column stays under this (a double-click on its edge fits it up to FIT_MAX). */
const AUTO_MAX: Record<ColumnInfo['type'], number> = {
  string: 320,
  timestamp: 260,
  boolean: 260,
  float: 200,
  integer: 200,
  array: 320,
  json: 420,
};
const FIT_MAX = 900;

/** Text widths in the fonts of the header and of the cells, read from the page's computed styles. */
export class TextMeasure {
  private readonly ctx = document.createElement('canvas').getContext('2d');
  private readonly cache = new Map<string, number>();

  constructor(
    private readonly header: HTMLElement,
    private readonly body: HTMLElement,
  ) {}

  private font(el: HTMLElement): string {
    const s = getComputedStyle(el);
    return `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
  }

  /** Width of `texts` in `el`'s font, the widest one. */
  private widest(el: HTMLElement, texts: Iterable<string>): number {
    if (!this.ctx) return 0;
    this.ctx.font = this.font(el);
    let w = 0;
    for (const t of texts) {
      const key = `${this.ctx.font}\u0000${t}`;
      let tw = this.cache.get(key);
      if (tw === undefined) {
        tw = this.ctx.measureText(t).width;
        if (this.cache.size > 20_000) this.cache.clear();
        this.cache.set(key, tw);
      }
      if (tw > w) w = tw;
    }
    return w;
  }

  headerWidth(column: ColumnInfo): number {
    return Math.ceil(this.widest(this.header, [column.name]) + HEADER_EXTRA);
  }

  /** The widest of the cells as the grid draws them (JSON as its short form, arrays as chips). */
  cellsWidth(column: ColumnInfo, values: Iterable<string | null>): number {
    const texts: string[] = [];
    let chips = 0;
    for (const v of values) {
      if (v === null) texts.push('null');
      else if (v === '') texts.push('""');
      else if (column.type === 'json') texts.push(attributesText(v));
      else if (column.type === 'array') {
        const items = arrayItems(v);
        texts.push(items.join(''));
        chips = Math.max(chips, items.length);
      } else texts.push(v);
    }
    const usual = USUAL[column.type];
    if (usual) texts.push(usual);
    return Math.ceil(this.widest(this.body, texts) + CELL_EXTRA + chips * CHIP_EXTRA);
  }

  /**
   * The width a column gets when the user has not sized it, from the AUTO_SAMPLE longest of `values`
   * (by characters): measuring every cell of the first window is most of the page's work before its
   * first paint (~4,400 texts), and a shorter text is seldom the wider one.
   */
  autoWidth(column: ColumnInfo, values: readonly (string | null)[]): number {
    const w = Math.max(this.headerWidth(column), this.cellsWidth(column, longest(values)), MIN[column.type]);
    return Math.min(w, Math.max(AUTO_MAX[column.type], this.headerWidth(column)));
  }

  /** The width that shows the header and every sampled cell whole (up to FIT_MAX). */
  fitWidth(column: ColumnInfo, values: Iterable<string | null>): number {
    const w = Math.max(this.headerWidth(column), this.cellsWidth(column, values), MIN[column.type]);
    return Math.min(w, FIT_MAX);
  }
}

/** Texts measured per column for its automatic width (see autoWidth). */
export const AUTO_SAMPLE = 8;

/** The AUTO_SAMPLE longest values (by characters; nulls and empty texts once, as the grid draws them), in their order. */
export function longest(values: readonly (string | null)[]): (string | null)[] {
  if (values.length <= AUTO_SAMPLE) return [...values];
  const size = (v: string | null) => (v === null ? 4 : v === '' ? 2 : v.length);
  const cut = values.map(size).sort((a, b) => b - a)[AUTO_SAMPLE - 1];
  const out: (string | null)[] = [];
  for (const v of values) if (size(v) >= cut && out.length < AUTO_SAMPLE) out.push(v);
  return out;
}

/** The values of column `c` in a set of rows. */
export function columnValues(rows: readonly (readonly (string | null)[])[], c: number): (string | null)[] {
  return rows.map((r) => r[c] ?? null);
}
