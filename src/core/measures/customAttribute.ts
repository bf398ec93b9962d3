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

const withAttribute: SnapshotMeasure = {
  trial: false,
  start: (p) => {
    const matcher = new AttributeMatcher(p.key!, p.value!);
    return {
      channels: 1,
      part(part) {
        const t = part.delivery.table;
        const spans = required(attributeSpans(t), 'custom_subscriber_attributes', part);
        const b = t.data.bytes;
        return (r, out) => {
          out[0] = 1;
          return matcher.matches(b, spans[2 * r], spans[2 * r + 1]);
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
