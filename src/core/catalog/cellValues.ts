/** A cell's text read as the value its column's type says: what JSON copies hold and chips show. */
import type { ColumnType } from './templates';

export type CellValue = string | number | boolean | null | readonly unknown[] | { readonly [k: string]: unknown };

/** `["a", "b"]` (v4+) or `{a,b}` (before v4) → items; the raw text when it is neither. */
export function arrayItems(value: string): string[] {
  const t = value.trim();
  if (t.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(t);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      /* shown as text */
    }
  }
  if (t.startsWith('{') && t.endsWith('}'))
    return t
      .slice(1, -1)
      .split(',')
      .map((s) => s.trim().replace(/^"(.*)"$/, '$1'))
      .filter(Boolean);
  return [value];
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Numbers, booleans, arrays and JSON as such; timestamps and anything unreadable stay text. */
export function typedValue(text: string | null, type: ColumnType): CellValue {
  if (text === null) return null;
  switch (type) {
    case 'float':
    case 'integer':
      return NUMBER.test(text.trim()) ? Number(text) : text;
    case 'boolean': {
      const t = text.toLowerCase();
      return t === 'true' || t === 't' ? true : t === 'false' || t === 'f' ? false : text;
    }
    case 'array':
      return text.trim() ? arrayItems(text) : text;
    case 'json':
      try {
        return JSON.parse(text) as CellValue;
      } catch {
        return text;
      }
    default:
      return text;
  }
}
