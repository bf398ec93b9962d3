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
