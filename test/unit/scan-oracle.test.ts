/** The record scanner against csv-parse on random documents. */
import assert from 'node:assert/strict';
import { Rng } from './fuzz';
import { checkLines, delimCode, DOCS, randomDoc, reference, scanWhole, show } from './scanSupport';

/** Scans a document and checks its records against what the generator meant: values, quoting, lines. */
function scansAsGenerated(doc: ReturnType<typeof randomDoc>): void {
  const ours = scanWhole(doc.bytes, delimCode(doc.delimiter), doc.pos).records;
  assert.deepEqual(
    ours.map((r) => r.fields),
    doc.values,
    show(doc),
  );
  assert.deepEqual(
    ours.map((r) => r.quoted),
    doc.quoted,
    show(doc),
  );
  checkLines(doc, ours);
}

describe('RecordScanner vs csv-parse (random documents)', () => {
  it(`gives csv-parse's records, the intended quoting and physical lines on ${DOCS} documents`, () => {
    const rng = new Rng(0x5ca1ab1e);
    let records = 0;
    for (let n = 0; n < DOCS; n++) {
      const doc = randomDoc(rng);
      const ours = scanWhole(doc.bytes, delimCode(doc.delimiter), doc.pos).records;
      const ref = reference(doc);
      assert.deepEqual(
        ours.map((r) => r.fields),
        ref,
        show(doc),
      );
      assert.deepEqual(ref, doc.values, `generator/reference mismatch ${show(doc)}`);
      assert.deepEqual(
        ours.map((r) => r.quoted),
        doc.quoted,
        show(doc),
      );
      assert.ok(
        ours.every((r) => r.flags === 0),
        show(doc),
      );
      checkLines(doc, ours);
      records += ours.length;
    }
    assert.ok(records > DOCS * 3);
  });

  it('handles LF and CRLF mixed per line (generator as the oracle)', () => {
    const rng = new Rng(77);
    for (let n = 0; n < 1000; n++) {
      const doc = randomDoc(rng, { mixedEol: true });
      scansAsGenerated(doc);
    }
  });

  it('reports blank lines as one empty unquoted field', () => {
    const rng = new Rng(4242);
    let blanks = 0;
    for (let n = 0; n < 1000; n++) {
      const doc = randomDoc(rng, { blankLines: true, mixedEol: rng.chance(0.5) });
      scansAsGenerated(doc);
      if (doc.hasBlank) blanks++;
    }
    assert.ok(blanks > 300);
  });
});
