/**
 * node out/test/gen/cli.js --version v5 --rows 1000 [--seed N] [--delimiter ';'] [--crlf] [--bom]
 *   [--no-final-newline] [--export-time UNIX] [--inject rule1,rule2] [--scatter N] [--physical] [--multiline] --out FILE
 * Writes .csv.gz when FILE ends in .gz, plain text otherwise; prints the manifest as JSON to stdout.
 */
import { RULE_IDS, type RuleId } from '../../src/core/catalog/rules';
import { isVersionId } from '../../src/core/catalog/templates';
import { type GenOptions, writeFile } from './generator';

const USAGE =
  'usage: cli --version v1..v7 --rows N [--seed N] [--delimiter ;] [--crlf] [--bom] [--no-final-newline]' +
  ' [--export-time UNIX] [--inject rule1,rule2] [--scatter N] [--physical] [--multiline] --out FILE';

function fail(msg: string): never {
  process.stderr.write(msg + '\n' + USAGE + '\n');
  process.exit(2);
}

function parse(argv: readonly string[]): { opts: GenOptions; out: string } {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const takesValue = new Set([
    '--version',
    '--rows',
    '--seed',
    '--delimiter',
    '--export-time',
    '--inject',
    '--scatter',
    '--out',
  ]);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (takesValue.has(a)) {
      if (i + 1 >= argv.length) fail(`${a} needs a value`);
      values.set(a, argv[++i]);
    } else if (['--crlf', '--bom', '--physical', '--multiline', '--no-final-newline'].includes(a)) flags.add(a);
    else fail(`unknown argument ${a}`);
  }
  const version = values.get('--version') ?? fail('--version is required');
  if (!isVersionId(version)) fail(`unknown version ${version}`);
  const rows = Number(values.get('--rows') ?? fail('--rows is required'));
  if (!Number.isInteger(rows) || rows < 0) fail('--rows must be a non-negative integer');
  const out = values.get('--out') ?? fail('--out is required');
  const delimiter = values.get('--delimiter') ?? ',';
  if (delimiter !== ',' && delimiter !== ';') fail('--delimiter must be , or ;');
  const inject: RuleId[] = [];
  for (const r of (values.get('--inject') ?? '').split(',').filter(Boolean)) {
    if (!(RULE_IDS as readonly string[]).includes(r)) fail(`unknown rule ${r}`);
    inject.push(r as RuleId);
  }
  const num = (k: string): number | undefined => {
    const s = values.get(k);
    if (s === undefined) return undefined;
    const x = Number(s);
    if (!Number.isInteger(x)) fail(`${k} must be an integer`);
    return x;
  };
  return {
    out,
    opts: {
      version,
      rows,
      seed: num('--seed'),
      delimiter,
      exportTime: num('--export-time'),
      inject,
      scatter: values.has('--scatter') ? { every: num('--scatter')! } : undefined,
      crlf: flags.has('--crlf'),
      bom: flags.has('--bom'),
      finalNewline: !flags.has('--no-final-newline'),
      columnOrder: flags.has('--physical') ? 'physical' : 'documented',
      multiline: flags.has('--multiline'),
    },
  };
}

async function main(): Promise<void> {
  const { opts, out } = parse(process.argv.slice(2));
  const started = Date.now();
  const res = await writeFile(out, opts, out.endsWith('.gz'));
  process.stdout.write(JSON.stringify(res.manifest, null, 2) + '\n');
  process.stderr.write(
    `${out}: ${opts.rows} rows, ${res.textBytes} bytes of text, ${res.bytes} bytes written, ${Date.now() - started} ms\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write((e instanceof Error ? e.message : String(e)) + '\n');
  process.exit(1);
});
