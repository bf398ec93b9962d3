/**
 * How a cell looks in the grid, by column type, decided without the DOM (cellView.ts puts it on
 * the page, as text nodes, never HTML): its classes, its text or its chips, and its tooltip.
 */
import { arrayItems } from '../../core/catalog/cellValues';
import { enrollmentChips } from '../../core/catalog/experiments';
import type { ColumnInfo } from '../../protocol/editor';

export interface CellLook {
  /** `cell t-<type>` and, where it applies, null, empty, yes, no or bad. */
  readonly className: string;
  /** The cell's text, or its chips (an array column). */
  readonly text: string | null;
  readonly chips: readonly string[] | null;
  /** The whole value as a tooltip, where the cell shows it shortened or split up. */
  readonly title: string | null;
}

/** `name`: the column's name, where it changes the look (v7's experiment enrolments as chips). */
export function cellLook(value: string | null, type: ColumnInfo['type'], name?: string): CellLook {
  const base = `cell t-${type}`;
  const look = (text: string | null, extra = '', chips: string[] | null = null, title: string | null = null) => ({
    className: extra ? `${base} ${extra}` : base,
    text,
    chips,
    title,
  });
  if (value === null) return look('null', 'null');
  if (value === '') return look('""', 'empty');
  switch (type) {
    case 'boolean': {
      const v = value.toLowerCase();
      return look(value, v === 't' || v === 'true' ? 'yes' : v === 'f' || v === 'false' ? 'no' : 'bad');
    }
    case 'array':
      return look(null, '', arrayItems(value), value);
    case 'json': {
      // v7's enrolments as one chip per layer; the JSON's strings stay text (cellView.ts)
      const chips = name === 'enrolled_experiments_by_layer' ? enrollmentChips(value) : null;
      if (chips) return look(null, '', chips, value);
      return look(attributesText(value), '', null, value);
    }
    default:
      return look(value);
  }
}

/** `{"k": {"value": "v", ...}}` → `k: v · k2: v2`; other JSON as it is. */
export function attributesText(value: string): string {
  try {
    const parsed: unknown = JSON.parse(value);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const parts = Object.entries(parsed as Record<string, unknown>).map(([k, v]) => {
        const inner = v && typeof v === 'object' && 'value' in v ? v.value : v;
        return `${k}: ${typeof inner === 'string' ? inner : JSON.stringify(inner)}`;
      });
      return parts.length ? parts.join(' · ') : '{}';
    }
  } catch {
    /* not JSON: shown as it is */
  }
  return value;
}

/**
 * A whole number with thousands separators, as `toLocaleString('en-US')` writes it, without Intl:
 * a fresh page's first use of Intl's number formatting costs tens of milliseconds before its first paint.
 */
export function thousands(n: number): string {
  if (!Number.isSafeInteger(n) || Object.is(n, -0)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return n < 0 ? `-${out}` : out;
}
