/**
 * npm run bench:hostile: the hostile inputs of issue 18, each through the built CLI (`dist/cli.js
 * validate --format json`) in a child process of its own, timed, with the child's peak RSS (every
 * thread counted) as the kernel reports it at exit. Inputs are generated once into
 * .bench-cache/hostile/ as gzip streams, so a 1 GB field costs about a megabyte on disk.
 *   truncated         the first 200 bytes of the bundled sample (its last bytes read as a forged size)
 *   field-16, -64     one quoted field of 16 and 64 MB (linear: the ratio stays near 4)
 *   field-256, -1024  one quoted field of 256 MB and 1 GB (linear: near 4 again)
 *   tiny-rows         16.7M one-character rows (32 MB of text)
 *   node out/bench/hostile.js [--only NAME,…]
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import { cacheDir, root } from './file';

const MB = 1 << 20;
const HEADER =
  'rc_original_app_user_id,rc_last_seen_app_user_id_alias,country,product_identifier,start_time,end_time,store,' +
  'is_auto_renewable,is_trial_period,is_in_intro_offer_period,is_sandbox,price_in_usd,takehome_percentage,' +
  'store_transaction_id,original_store_transaction_id,refunded_at,unsubscribe_detected_at,' +
  'billing_issues_detected_at,purchased_currency,price_in_purchased_currency,entitlement_identifiers,' +
  'renewal_number,is_trial_conversion,presented_offering,reserved_subscriber_attributes,' +
  'custom_subscriber_attributes,platform\n';
const dir = path.join(cacheDir, 'hostile');

/** `head`, `count` copies of `piece`, then `tail`, gzip-compressed into .bench-cache/hostile/NAME (once). */
async function gzipFile(name: string, head: string, piece: Buffer, count: number, tail: string): Promise<string> {
  const file = path.join(dir, name);
  if (fs.existsSync(file)) return file;
  function* body() {
    yield Buffer.from(head);
    for (let k = 0; k < count; k++) yield piece;
    yield Buffer.from(tail);
  }
  await pipeline(Readable.from(body()), zlib.createGzip({ level: 6 }), fs.createWriteStream(`${file}.tmp`));
  fs.renameSync(`${file}.tmp`, file);
  return file;
}

interface Input {
  readonly file: string;
  /** Decompressed bytes. */
  readonly text: number;
}

async function inputs(): Promise<Record<string, Input>> {
  fs.mkdirSync(dir, { recursive: true });
  const truncated = path.join(dir, 'truncated.csv.gz');
  fs.writeFileSync(
    truncated,
    fs.readFileSync(path.join(root, 'samples', 'transactions_1735689600.csv.gz')).subarray(0, 200),
  );
  const a = Buffer.alloc(MB, 'a');
  const field = async (mb: number): Promise<Input> => ({
    file: await gzipFile(`field-${mb}.csv.gz`, `${HEADER}"`, a, mb, '"\n'),
    text: HEADER.length + mb * MB + 3,
  });
  const tiny = 16_700_000;
  const rows = Buffer.from('a\n'.repeat(100_000));
  return {
    truncated: { file: truncated, text: 0 },
    'field-16': await field(16),
    'field-64': await field(64),
    'field-256': await field(256),
    'field-1024': await field(1024),
    'tiny-rows': {
      file: await gzipFile('tiny-rows.csv.gz', HEADER, rows, tiny / 100_000, ''),
      text: HEADER.length + 2 * tiny,
    },
  };
}

/** A preload that writes the process's peak RSS (KB) and CPU time (µs), every thread counted, to a file at exit. */
function rssHook(): string {
  const hook = path.join(dir, 'rss-hook.js');
  fs.writeFileSync(
    hook,
    "process.on('exit', () => { const u = process.resourceUsage(); require('fs').writeFileSync(process.env.RC_RSS_FILE, JSON.stringify([u.maxRSS, u.userCPUTime + u.systemCPUTime])); });\n",
  );
  return hook;
}

interface Run {
  name: string;
  seconds: number;
  rssMB: number;
  cpu: number;
  exit: number | null;
  outcome: string;
}

function run(name: string, input: Input, hook: string): Run {
  const rssFile = path.join(dir, `${name}.rss`);
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    ['--require', hook, path.join(root, 'dist', 'cli.js'), 'validate', '--format', 'json', input.file],
    { encoding: 'utf8', env: { ...process.env, RC_RSS_FILE: rssFile }, maxBuffer: 64 * MB },
  );
  const seconds = (performance.now() - t0) / 1000;
  let outcome = r.stderr.trim().split('\n')[0] ?? '';
  try {
    const j = JSON.parse(r.stdout) as { error?: { code: string }; rows?: number; counts?: { error: number } };
    outcome = j.error ? `error ${j.error.code}` : `${j.rows} rows, ${j.counts?.error} errors`;
  } catch {
    // not JSON: the first line of stderr says what happened
  }
  const [rssKB, cpuUs] = JSON.parse(fs.readFileSync(rssFile, 'utf8')) as [number, number];
  const rssMB = rssKB / 1024;
  const cpu = cpuUs / 1e6;
  return { name, seconds, cpu, rssMB, exit: r.status, outcome };
}

async function main(): Promise<void> {
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1].split(',') : null;
  if (!fs.existsSync(path.join(root, 'dist', 'cli.js'))) throw new Error('build first: node esbuild.js');
  process.stdout.write('generating inputs (once, in .bench-cache/hostile) …\n');
  const all = await inputs();
  const hook = rssHook();
  const runs = new Map<string, Run>();
  for (const [name, input] of Object.entries(all)) {
    if (only && !only.includes(name)) continue;
    const r = run(name, input, hook);
    runs.set(name, r);
    process.stdout.write(
      `${name.padEnd(12)} ${r.seconds.toFixed(2).padStart(7)} s wall ${r.cpu.toFixed(2).padStart(7)} s CPU  peak RSS ${r.rssMB.toFixed(0).padStart(5)} MB  exit ${r.exit}  ${r.outcome}  (${(input.text / MB).toFixed(0)} MB of text)\n`,
    );
  }
  const ratio = (a: string, b: string) => {
    const x = runs.get(a);
    const y = runs.get(b);
    if (x && y)
      process.stdout.write(
        `${b} / ${a}: ${(y.seconds / x.seconds).toFixed(2)}× the wall time, ${(y.cpu / x.cpu).toFixed(2)}× the CPU time, for 4× the size\n`,
      );
  };
  ratio('field-16', 'field-64');
  ratio('field-256', 'field-1024');
}

void main();
