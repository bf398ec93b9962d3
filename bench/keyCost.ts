/**
 * What the key codes cost the load: the 1M-row file decompressed once, then built into a table
 * (no validation, as a measure's load; and with validation, as the editor's) with and without
 * `keys`, alternating, in this one thread. CPU ms per build.
 *   node out/bench/keyCost.js FILE [RUNS]
 * KEYCOST_ONLY=on|off: one build, no validation, keys on or off (to profile it with --cpu-prof).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { nodeGunzip } from '../src/node/decodeNode';
import { TableBuilder } from '../src/core/load/builder';

async function main(): Promise<void> {
  const [file, runsArg] = process.argv.slice(2);
  const runs = Number(runsArg ?? 3);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const c of nodeGunzip(fs.createReadStream(file, { highWaterMark: 1 << 20 }))) {
    chunks.push(c);
    size += c.length;
  }
  const build = (keys: boolean, validate: boolean) => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const b = new TableBuilder({ maxBytes: 2 ** 32 - 1, sizeHint: size, validate, keys });
    for (const c of chunks) b.append(c);
    b.finish();
    const t = b.table();
    const c = process.cpuUsage(c0);
    return { wall: performance.now() - t0, cpu: (c.user + c.system) / 1000, rows: t.rowCount, keyed: t.textKeys };
  };
  if (process.env.KEYCOST_ONLY) {
    build(process.env.KEYCOST_ONLY === 'on', false);
    return;
  }
  for (const validate of [false, true]) {
    const off: number[] = [];
    const on: number[] = [];
    for (let i = 0; i < runs; i++) {
      off.push(build(false, validate).cpu);
      const r = build(true, validate);
      on.push(r.cpu);
      if (i === 0)
        process.stdout.write(
          `validate ${validate}: ${r.rows} rows; keys: ${(r.keyed ?? [])
            .map((k) => (k ? k.count : null))
            .filter((k) => k !== null)
            .join(', ')} distinct\n`,
        );
    }
    const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
    process.stdout.write(
      `  CPU ms, median of ${runs}: keys off ${med(off).toFixed(0)}, on ${med(on).toFixed(0)} (+${((100 * (med(on) - med(off))) / med(off)).toFixed(1)}%); best off ${Math.min(...off).toFixed(0)}, on ${Math.min(...on).toFixed(0)}; load average ${os.loadavg()[0].toFixed(1)}\n`,
    );
  }
}

void main();
