/** The header's rules: columns missing, unknown, repeated or out of the version's order. */
import { compareHeader } from '../catalog/detect';
import type { TemplateVersion } from '../catalog/templates';
import { missingColumnsEffect } from '../catalog/uses';
import type { ProblemCollector } from './problems';

export function checkHeader(header: readonly string[], version: TemplateVersion, collector: ProblemCollector): void {
  const cmp = compareHeader(header, version);
  const v = version.id;
  const add = (rule: Parameters<ProblemCollector['add']>[0]['rule'], column: string, message: string) =>
    collector.add({ rule, row: null, line: 1, column, value: column, message, offset: 0 });
  if (cmp.missing.length) {
    const effect = missingColumnsEffect(cmp.missing);
    const n = cmp.missing.length;
    add(
      'missing-label',
      cmp.missing[0],
      `${n === 1 ? 'One column' : `${n} columns`} of ${v} ${n === 1 ? 'is' : 'are'} not in this delivery (a column selection): ${cmp.missing.join(', ')}. ${
        effect ? `${effect[0].toUpperCase()}${effect.slice(1)}.` : 'No measure or check needs them.'
      }`,
    );
  }
  for (const name of cmp.unknown) {
    add(
      'extra-label',
      name,
      version.toleratesUnknownColumns
        ? `Column ${name} is not in ${v}'s catalog, so it is read as text`
        : `Column ${name} is not part of template ${v}`,
    );
  }
  for (const name of cmp.duplicates)
    add('duplicate-label', name, `Column ${name} appears more than once in the header`);
  if (cmp.firstOutOfOrder) {
    add(
      'label-order',
      cmp.firstOutOfOrder,
      `Columns are not in ${v}'s documented order (first out of place: ${cmp.firstOutOfOrder}); fine when columns are read by name`,
    );
  }
}
