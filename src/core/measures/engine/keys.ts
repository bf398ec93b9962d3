/**
 * Text columns as whole-number keys shared by every part of an input, for GROUP BY and JOIN on
 * text (customer, subscription, product): each part's dictionary is mapped once to common ids, so a
 * row's key costs two array reads. -1 is NULL, which SQL never joins on.
 */
import { dictColumn } from './columns';
import { required } from './rowFilter';
import type { MeasureInput } from './types';

export interface Keys {
  /** Per part: row → key (-1 for NULL). */
  readonly of: readonly ((row: number) => number)[];
  /** Key → its text. */
  readonly names: readonly string[];
}

export function keys(input: MeasureInput, column: string, names: string[] = [], ids = new Map<string, number>()): Keys {
  const of = input.parts.map((part) => {
    const c = required(dictColumn(part.delivery.table, column), column);
    const remap = new Int32Array(c.dict.length);
    c.dict.forEach((text, i) => {
      let id = ids.get(text);
      if (id === undefined) {
        id = names.length;
        names.push(text);
        ids.set(text, id);
      }
      remap[i] = id;
    });
    const codes = c.codes;
    const nullCode = c.nullCode;
    return (r: number) => (codes[r] === nullCode ? -1 : remap[codes[r]]);
  });
  return { of, names };
}
