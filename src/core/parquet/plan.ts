/** Which flat columns this room's decoder reads, and as what kind of text. */
import { Kind } from './cells';
import type { ChunkPlan } from './chunk';
import type { ColumnMetaData, SchemaElement } from './hyparquet';

const STRINGS = new Set(['UTF8', 'JSON', 'ENUM', 'STRING']);
const SIGNED = new Set(['INT_8', 'INT_16', 'INT_32', 'INT_64']);

function kindOf(el: SchemaElement): Kind | null {
  const lt = el.logical_type;
  const ct = el.converted_type;
  switch (el.type) {
    case 'BYTE_ARRAY':
      return (!lt || STRINGS.has(lt.type)) && (!ct || STRINGS.has(ct)) ? Kind.String : null;
    case 'BOOLEAN':
      return !lt && !ct ? Kind.Boolean : null;
    case 'FLOAT':
      return !lt && !ct ? Kind.Float : null;
    case 'DOUBLE':
      return !lt && !ct ? Kind.Double : null;
    case 'INT32':
      if (ct === 'DATE' || lt?.type === 'DATE') return Kind.Date;
      if (lt && !(lt.type === 'INTEGER' && lt.isSigned)) return null;
      return !ct || SIGNED.has(ct) ? Kind.Int32 : null;
    case 'INT64': {
      if (lt?.type === 'TIMESTAMP')
        return lt.unit === 'MILLIS' ? Kind.Millis : lt.unit === 'MICROS' ? Kind.Micros : Kind.Nanos;
      if (ct === 'TIMESTAMP_MILLIS') return Kind.Millis;
      if (ct === 'TIMESTAMP_MICROS') return Kind.Micros;
      if (lt && !(lt.type === 'INTEGER' && lt.isSigned)) return null;
      return !ct || SIGNED.has(ct) ? Kind.Int64 : null;
    }
    default:
      return null;
  }
}

/** How to decode a column chunk, or null when hyparquet reads it. */
export function planFor(
  el: SchemaElement,
  meta: ColumnMetaData | undefined,
  booleans: readonly [string, string],
): ChunkPlan | null {
  if (!meta || meta.path_in_schema.length !== 1 || el.num_children || el.repetition_type === 'REPEATED') return null;
  if (meta.codec !== 'UNCOMPRESSED' && meta.codec !== 'SNAPPY') return null;
  const kind = kindOf(el);
  if (kind === null) return null;
  return { kind, maxDef: el.repetition_type === 'REQUIRED' ? 0 : 1, codec: meta.codec, booleans };
}
