/** The UI bench's look at Chromium's processes (bench/ui.ts): which one playwright started, and its renderers' memory. */
import * as fs from 'node:fs';

/** RSS of Chromium's renderer processes (the workbench's and the webviews'), from /proc. */
export function rendererRss(browserPid: number | undefined): number[] {
  if (!browserPid || !fs.existsSync('/proc')) return [];
  const children = (pid: number): number[] => {
    try {
      return fs
        .readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map(Number);
    } catch {
      return [];
    }
  };
  const all: number[] = [];
  const walk = (pid: number) => {
    for (const c of children(pid)) {
      all.push(c);
      walk(c);
    }
  };
  walk(browserPid);
  return all.flatMap((pid) => {
    try {
      if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) return [];
      const rss = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      return rss ? [Number(rss[1]) * 1024] : [];
    } catch {
      return [];
    }
  });
}

/** The PID of the Chromium that playwright just started (the newest chromium process of this user). */
export function findBrowserPid(): number | undefined {
  let best: { pid: number; start: number } | undefined;
  for (const d of fs.existsSync('/proc') ? fs.readdirSync('/proc') : []) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) !== process.pid) continue; // started by this process
      if (!fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').includes('chrom')) continue;
      const start = Number(fields[19]);
      if (!best || start > best.start) best = { pid: Number(d), start };
    } catch {
      /* gone */
    }
  }
  return best?.pid;
}

/** CPU seconds (user + system, all threads) so far of this process's descendants, by kind. */
export function cpuByKind(): Record<string, number> {
  const ticks = 100; // USER_HZ on Linux
  const parent = new Map<number, number>();
  const info = new Map<number, { cpu: number; kind: string }>();
  for (const d of fs.existsSync('/proc') ? fs.readdirSync('/proc') : []) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(d), Number(f[1]));
      const cmd = fs.readFileSync(`/proc/${d}/cmdline`, 'utf8');
      const kind = cmd.includes('extensionHost')
        ? 'the extension host (with its loading and deep rules threads)'
        : cmd.includes('--type=renderer')
          ? 'Chromium renderers'
          : cmd.includes('chrom')
            ? 'Chromium, other processes'
            : cmd.includes('code-server')
              ? 'code-server'
              : 'other';
      info.set(Number(d), { cpu: (Number(f[11]) + Number(f[12])) / ticks, kind });
    } catch {
      /* gone */
    }
  }
  const mine = (pid: number): boolean => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) if (p === process.pid) return true;
    return false;
  };
  const out: Record<string, number> = {};
  for (const [pid, { cpu, kind }] of info) if (mine(pid)) out[kind] = (out[kind] ?? 0) + cpu;
  return out;
}

/** What each kind used between two readings of cpuByKind, as text. */
export function cpuUsed(before: Record<string, number>, after: Record<string, number>): string {
  return Object.entries(after)
    .map(([k, v]) => [k, v - (before[k] ?? 0)] as const)
    .filter(([, v]) => v >= 0.05)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
    .join(', ');
}
