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
import { activeOn, required } from './engine/rowFilter';
import type { Measure } from './engine/measure';

export const activeSubscriptionsWithAttribute: Measure = {
  name: 'active-subscriptions-with-attribute',
  title: 'Active Subscriptions with Custom Attribute',
  query: 'scheduled-data-exports_4',
  takes: 'attribute',
  compute(input, p, tally) {
    const matcher = new AttributeMatcher(p.key!, p.value!);
    let n = 0;
    for (const part of input.parts) {
      const t = part.delivery.table;
      const spans = required(attributeSpans(t), 'custom_subscriber_attributes', part);
      const b = t.data.bytes;
      const { rows } = tally.select(part, activeOn(p.date!, false));
      for (let k = 0; k < rows.length; k++) {
        const r = rows[k];
        if (matcher.matches(b, spans[2 * r], spans[2 * r + 1])) n++;
      }
    }
    return n;
  },
};
