/**
 * node out/bench/identical.js --before DIST [--after DIST] [--rows N] [--measures] [--versions v5,v3]: proof that a change left the
 * CLI's outputs as they were. Runs `rc-export validate`, `info` and every `measure` (as JSON) with two
 * builds of the CLI, DIST/cli.js each (say, a worktree of an earlier commit built with `node
 * esbuild.js`, and this one), on the samples and on generated files of every template version (clean,
 * with every rule's problem injected, and with `;`, CRLF, BOM and quoted newlines), one by one and
 * as a folder of deliveries, and compares stdout, stderr and the exit code byte for byte. The only
 * thing masked is what measures time: the `ms` field of `measure --format json`. Exits 1 on any
 * difference, printing the first lines that differ.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RULE_IDS } from '../src/core/catalog/rules';
import { VERSION_IDS } from '../src/core/catalog/templates';
import { MEASURE_NAMES } from '../src/core/measures';
import { writeFile, type GenOptions } from '../test/gen/generator';

const argv = process.argv.slice(2);
const opt = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const root = path.join(__dirname, '..', '..');
function usage(): never {
  process.stderr.write('usage: node out/bench/identical.js --before DIST [--after DIST] [--rows N]\n');
  process.exit(2);
}
const before = opt('before') ?? usage();
const after = opt('after') ?? path.join(root, 'dist');
const rows = Number(opt('rows') ?? 3000);
// a quicker check of a change to measuring only: `--measures` skips validate and info, `--versions v5,v3` limits the generated files
const measuresOnly = argv.includes('--measures');
const versions = opt('versions')?.split(',');

/** Extra arguments a measure needs to compute something rather than refuse. */
const MEASURE_ARGS: Record<string, string[][]> = {
  'active-subscriptions-with-attribute': [['--attribute', 'plan_tier=gold'], []],
  'weekly-revenue': [['--from', '2024-11-01', '--to', '2024-12-31'], []],
  revenue: [['--date', '2024-12-30'], []],
  'active-subscriptions': [[], ['--date', '2024-06-30']],
};

/** Timings differ from run to run: the `ms` field of measure JSON (an object, or a number). */
const mask = (s: string) => s.replace(/"ms": \{[^}]*\}/g, '"ms": "…"').replace(/"ms": [\d.e+-]+/g, '"ms": "…"');

function run(dist: string, args: string[]): string {
  const r = spawnSync(process.execPath, [path.join(dist, 'cli.js'), ...args], { encoding: 'utf8' });
  return `exit ${r.status}\n--- stdout\n${mask(r.stdout)}\n--- stderr\n${r.stderr}`;
}

interface Inputs {
  /** Files each run through validate and info. */
  readonly checked: string[];
  /** Files and folders each run through every measure. */
  readonly measured: string[];
}

/** The samples, and per version a folder of three deliveries: clean, with every rule's problem, plain text with quoted newlines. */
async function inputs(dir: string): Promise<Inputs> {
  const checked: string[] = [];
  const measured: string[] = [];
  const sample = path.join(root, 'samples');
  for (const f of fs.readdirSync(sample, { recursive: true }).map(String)) {
    if (!f.endsWith('.csv.gz')) continue;
    checked.push(path.join(sample, f));
    measured.push(path.join(sample, f));
  }
  for (const [i, version] of VERSION_IDS.entries()) {
    if (versions && !versions.includes(version)) continue;
    const folder = path.join(dir, version);
    fs.mkdirSync(folder);
    const variants: [string, Partial<GenOptions>, boolean][] = [
      ['transactions_1735689600.csv.gz', {}, true],
      [
        'transactions_1735776000.csv.gz',
        { inject: [...RULE_IDS], delimiter: i % 2 ? ';' : ',', crlf: i % 3 === 0, bom: i % 2 === 0 },
        true,
      ],
      ['transactions_1735862400.csv', { multiline: true, columnOrder: i >= 2 ? 'physical' : 'documented' }, false],
    ];
    for (const [k, [name, extra, gzip]] of variants.entries()) {
      const file = path.join(folder, name);
      await writeFile(file, { version, rows, seed: 100 + 10 * i + k, ...extra }, gzip);
      checked.push(file);
      if (k === 0) measured.push(file);
    }
    measured.push(folder);
  }
  return { checked, measured };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-identical-'));
  try {
    const { checked, measured } = await inputs(dir);
    const calls: string[][] = [];
    if (!measuresOnly) {
      for (const f of checked) {
        calls.push(['validate', '--format', 'json', f]);
        calls.push(['info', '--format', 'json', f]);
      }
      calls.push(['validate', '--format', 'json', '--max-problems', '0', ...checked]);
      calls.push(['info', '--format', 'json', ...checked]);
    }
    for (const f of measured)
      for (const name of MEASURE_NAMES)
        for (const extra of MEASURE_ARGS[name] ?? [[]]) calls.push(['measure', name, ...extra, '--format', 'json', f]);
    let same = 0;
    const differ: string[] = [];
    for (const [n, args] of calls.entries()) {
      const a = run(before, args);
      const b = run(after, args);
      if (a === b) same++;
      else {
        const la = a.split('\n');
        const lb = b.split('\n');
        const at = la.findIndex((l, i) => l !== lb[i]);
        differ.push(`${args.join(' ')}\n  before: ${la[at]}\n  after:  ${lb[at]}`);
      }
      if ((n + 1) % 25 === 0) process.stderr.write(`${n + 1} of ${calls.length}\n`);
    }
    process.stdout.write(
      `${calls.length} CLI runs (validate and info on ${checked.length} files, ${MEASURE_NAMES.length} measures on ${measured.length} files and folders): ${same} byte-identical, ${differ.length} different\n`,
    );
    for (const d of differ.slice(0, 20)) process.stdout.write(`${d}\n`);
    process.exitCode = differ.length ? 1 : 0;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
