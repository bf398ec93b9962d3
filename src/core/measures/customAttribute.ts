/**
 * Active Subscriptions with a Custom Attribute value: RevenueCat's documented query
 * scheduled-data-exports_4.
 *
 *   SELECT COUNT(*) FROM [table]
 *   WHERE <Active Subscriptions' conditions>
 *     AND json_extract_path_text(custom_subscriber_attributes, '[key].value') = [value]
 *
 * A NULL attribute column, a missing key or a value that is not text matches nothing (NULL = x is
 * not true); a cell that is not JSON matches nothing either. Older templates: the attribute columns
 * arrive in v2, so a v1 export cannot answer; the rest as in filter.ts.
 */
import { attributeSpans, AttributeMatcher } from './engine/attributes';
import { onDate, type Measure } from './engine/measure';
import { required } from './engine/rowFilter';
import type { SnapshotMeasure } from './engine/measure';
import type { ExportTable } from '../load/table';

const NO_MATCH = 1;
const MATCH = 2;
/** How many (key, value) pairs a table keeps the answers of. */
const KEPT_PAIRS = 8;
/**
 * Per table and (key, value), each row's answer once read (0: not read yet): a table does not
 * change, so a second run, another date or a series reads the JSON of no row twice.
 */
const answers = new WeakMap<object, Map<string, Uint8Array>>();

function answersOf(t: ExportTable, key: string, value: string): Uint8Array {
  let byPair = answers.get(t.data);
  if (!byPair) answers.set(t.data, (byPair = new Map<string, Uint8Array>()));
  const id = JSON.stringify([key, value]);
  let known = byPair.get(id);
  if (!known) {
    if (byPair.size >= KEPT_PAIRS) byPair.delete(byPair.keys().next().value!);
    byPair.set(id, (known = new Uint8Array(t.rowCount)));
  }
  return known;
}

const withAttribute: SnapshotMeasure = {
  trial: false,
  start: (p) => {
    const matcher = new AttributeMatcher(p.key!, p.value!);
    return {
      channels: 1,
      part(part) {
        const t = part.delivery.table;
        const spans = required(attributeSpans(t), 'custom_subscriber_attributes', part);
        const known = answersOf(t, p.key!, p.value!);
        return (r, out) => {
          out[0] = 1;
          const a = known[r];
          if (a !== 0) return a === MATCH;
          const yes = matcher.matches(t.rowBytes(r), spans[2 * r], spans[2 * r + 1]);
          known[r] = yes ? MATCH : NO_MATCH;
          return yes;
        };
      },
      value: (t) => t[0],
    };
  },
};

export const activeSubscriptionsWithAttribute: Measure = {
  name: 'active-subscriptions-with-attribute',
  title: 'Active Subscriptions with Custom Attribute',
  query: 'scheduled-data-exports_4',
  takes: 'attribute',
  reads: ['custom_subscriber_attributes'],
  snapshot: withAttribute,
  compute: onDate(withAttribute),
};
