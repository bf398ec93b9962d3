/**
 * Fuzz suite (issue 18): a few thousand small inputs from a seeded mutator of our own
 * (test/support/mutator.ts; chosen over fast-check because the inputs must know the format: valid
 * gzip around mutated CSV, then damage at the gzip level, and runs of the bytes that matter to a
 * CSV reader). It checks invariants, not examples:
 * - in process, every input: a documented error code (never `internal`) with a one-line message, or
 *   a table whose rows are the records an independent reader (csv-parse, after zlib) finds, unless a
 *   problem says why not (an unterminated quote, text after a closing quote);
 * - through the real CLI: exit code 0, 1 or 2, no stack trace on stderr, JSON that parses and
 *   follows the contract, its row counts the same as in process;
 * - growth: the same input made 8× larger costs at most ~8× the time and memory.
 * RC_FUZZ_SEED picks another run; RC_FUZZ_INPUTS another size. A failure prints seed, input and recipe.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { ERROR_CODES } from '../../src/cli/args';
import { LOAD_ERROR_CODES } from '../../src/core/errors';
import { MEASURE_NAMES } from '../../src/core/measures';
import { tempDir } from '../support/files';
import { bestMs, loadBytes } from '../support/hostile';
import { fuzzInput, type FuzzInput } from '../support/mutator';
import { Rng } from '../gen/rng';

const SEED = Number(process.env.RC_FUZZ_SEED ?? 0x18f022);
const INPUTS = Number(process.env.RC_FUZZ_INPUTS ?? 2000);
const CLI = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');
const STACK = /^\s+at .+:\d+:\d+\)?$/m;
const WHY_NOT = (m: string) => /never closed|after a closing quote/.test(m);

const where = (k: number, input: FuzzInput) =>
  `seed ${SEED} (RC_FUZZ_SEED=${SEED}), input ${k}: ${input.name}, ${input.bytes.length} bytes, ${input.recipe.join('; ')}`;

/** Data records an independent reader finds in text (after its header); null when it rejects the text. */
function referenceRows(text: Buffer, delimiter: string): number | null {
  // a lone CR at the very end is no record for us (a CR before the end of the data ends a line)
  const body = text.length && text[text.length - 1] === 0x0d ? text.subarray(0, -1) : text;
  try {
    const records = parse(body, {
      delimiter,
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      record_delimiter: ['\r\n', '\n'],
    }) as unknown[];
    return Math.max(0, records.length - 1);
  } catch {
    return null;
  }
}

/** The text a gzip input decompresses to by zlib on its own; null when zlib rejects it. */
function inflated(input: FuzzInput): Buffer | null {
  if (!input.gzip) return input.bytes;
  try {
    return zlib.gunzipSync(input.bytes);
  } catch {
    return null;
  }
}

const inProcessRows = new Map<number, number | string>();

describe(`fuzz: ${INPUTS} mutated exports (seed ${SEED})`, function () {
  this.timeout(300_000);
  const inputs = Array.from({ length: INPUTS }, (_, k) => fuzzInput(SEED, k));

  it('in process: a documented error, or the rows an independent reader finds (or a problem says why not)', async () => {
    const codes = new Set<string>(LOAD_ERROR_CODES);
    for (const [k, input] of inputs.entries()) {
      const { outcome } = await loadBytes(input.bytes, { name: input.name, maxPerRule: 20 });
      const text = inflated(input);
      if (!outcome.ok) {
        const e = outcome.error;
        inProcessRows.set(k, e.code);
        assert.ok(codes.has(e.code) && e.code !== 'internal', `${e.code}: ${e.message} (${where(k, input)})`);
        assert.ok(
          e.message.length > 0 && !e.message.includes('\n'),
          `message ${JSON.stringify(e.message)} (${where(k, input)})`,
        );
        if (input.gzip && text === null)
          assert.ok(
            ['gzip-truncated', 'gzip-corrupt', 'not-gzip', 'binary', 'empty'].includes(e.code),
            `zlib rejects it, we say ${e.code} (${where(k, input)})`,
          );
        continue;
      }
      const { table, info, validation } = outcome.value;
      inProcessRows.set(k, table.rowCount);
      assert.ok(text !== null, `zlib rejects what we read (${where(k, input)})`);
      const expected = referenceRows(text, info.delimiter);
      if (expected === table.rowCount) continue;
      const why = validation!.problems.find((p) => WHY_NOT(p.message));
      assert.ok(
        why,
        `${table.rowCount} rows, csv-parse: ${expected ?? 'rejects it'}, and no problem says why (${where(k, input)})`,
      );
    }
  });

  it('through the CLI: exit 0/1/2, no stack trace, JSON that follows the contract', function () {
    const dir = tempDir('rc-export-fuzz-');
    try {
      const rng = new Rng(SEED);
      const files = inputs.slice(0, 48).map((input, k) => {
        const file = path.join(dir, `${k}-${input.name}`);
        fs.writeFileSync(file, input.bytes);
        return file;
      });
      const run = (args: string[]) => {
        const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
        const label = `rc-export ${args.map((a) => path.basename(a)).join(' ')} (seed ${SEED})`;
        assert.ok([0, 1, 2].includes(r.status ?? -1), `${label}: exit ${r.status}; ${r.stderr}`);
        assert.doesNotMatch(r.stderr, STACK, label);
        return { ...r, label };
      };
      const checkError = (e: { code: string; message: string }, label: string) => {
        assert.ok(ERROR_CODES.includes(e.code) && e.code !== 'internal', `${label}: ${e.code} ${e.message}`);
        assert.equal(typeof e.message, 'string');
      };
      for (let b = 0; b < files.length; b += 24) {
        const batch = files.slice(b, b + 24);
        const r = run(['validate', ...batch, '--format', 'json', '--max-problems', '3']);
        const out = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
        assert.equal(out.length, batch.length, r.label);
        let exit = 0;
        out.forEach((entry, i) => {
          const k = b + i;
          if ('error' in entry) {
            checkError(entry.error as { code: string; message: string }, r.label);
            assert.equal((entry.error as { code: string }).code, inProcessRows.get(k), where(k, inputs[k]));
            exit = 2;
          } else {
            assert.deepEqual(
              Object.keys(entry),
              ['file', 'template', 'templateSource', 'delimiter', 'rows', 'counts', 'problems'],
              r.label,
            );
            assert.equal(entry.rows, inProcessRows.get(k), where(k, inputs[k]));
            if ((entry.counts as { error: number }).error > 0 && exit === 0) exit = 1;
          }
        });
        assert.equal(r.status, exit, r.label);
      }
      const info = run(['info', ...files.slice(0, 12), '--format', 'json']);
      for (const entry of JSON.parse(info.stdout) as Array<Record<string, unknown>>)
        if ('error' in entry) checkError(entry.error as { code: string; message: string }, info.label);
      // odd command lines: any of them may be wrong, none may crash
      const odd = [
        '--max-problems',
        '',
        '--max-bytes',
        '100',
        '--template',
        'v9',
        '--bogus',
        '--date',
        '2025-01-01',
        '--',
      ];
      for (let k = 0; k < 6; k++) {
        const json = rng.chance(0.6);
        const args = [
          rng.pick(['validate', 'info', 'measure', 'frob', '--help']),
          ...(rng.chance(0.5) ? [rng.pick(MEASURE_NAMES)] : []),
        ];
        args.push(rng.pick(files));
        // (before the odd ones: after a `--` it would be a file name)
        if (json) args.push('--format', 'json');
        for (let j = rng.int(3); j > 0; j--) args.push(rng.pick(odd));
        const r = run(args);
        if (args.includes('--help') && r.status === 0) assert.match(r.stdout, /^Usage:/, r.label);
        else if (json && r.stdout.trim()) {
          const parsed = JSON.parse(r.stdout) as unknown;
          const entries = (Array.isArray(parsed) ? parsed : [parsed]) as Array<Record<string, unknown>>;
          for (const e of entries) if ('error' in e) checkError(e.error as { code: string; message: string }, r.label);
        }
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('growth: an input made 8× larger costs at most ~8× the time and the memory', async () => {
    for (const [k, input] of inputs.slice(0, 12).entries()) {
      const text = inflated(input);
      if (text === null) continue;
      const nl = text.indexOf(0x0a);
      if (nl < 0 || nl + 1 >= text.length) continue;
      const head = text.subarray(0, nl + 1);
      const body = text.subarray(nl + 1);
      const sized = (target: number) =>
        Buffer.concat([head, ...Array<Buffer>(Math.max(1, Math.round(target / body.length))).fill(body)]);
      const small = sized(128 * 1024);
      const large = sized(1024 * 1024);
      const t1 = await bestMs(3, () => loadBytes(small));
      const t8 = await bestMs(3, () => loadBytes(large));
      const m1 = (await loadBytes(small)).allocated;
      const m8 = (await loadBytes(large)).allocated;
      const n = large.length / small.length;
      assert.ok(
        t8 < 3 * n * t1 + 150,
        `${t1.toFixed(1)} → ${t8.toFixed(1)} ms for ${n.toFixed(1)}× (${where(k, input)})`,
      );
      assert.ok(m8 <= 1.5 * n * m1 + 4 * 2 ** 20, `${m1} → ${m8} bytes for ${n.toFixed(1)}× (${where(k, input)})`);
    }
  });
});
