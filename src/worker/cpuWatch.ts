/**
 * Whether a second core is free for a second thread, from what the machine's cores did over a short
 * time (while the loading thread reads the files' footers): every core's busy time, less this
 * process's own. The last minute's load average lags: a program that just ended would still count.
 */
import * as os from 'node:os';

/** The time watched at least: busy times come in steps of 10 ms per core. */
const WINDOW_MS = 80;

/** Every core's busy milliseconds since boot, and how many cores (null: the platform does not say). */
function busyMs(): { busy: number; cores: number } | null {
  const cpus = os.cpus();
  let busy = 0;
  for (const c of cpus) busy += c.times.user + c.times.nice + c.times.sys + c.times.irq;
  return busy > 0 ? { busy, cores: cpus.length } : null;
}

function ownMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * Whether a second core is free: the machine has one, and other programs kept less than half a
 * core busy (`others`, in cores). Two threads cost 10–25% more CPU than one (handing batches over,
 * touching pages twice), which only pays when the second thread runs beside the first, not in
 * turns with another program.
 */
export function secondCoreFree(cores: number, others: number): boolean {
  return cores >= 2 && others <= cores - 1.5;
}

export interface CpuWatch {
  /** Once WINDOW_MS have passed since the watch started: whether a second core is free. */
  secondCoreFree(): Promise<boolean>;
}

/**
 * Starts watching the cores (null: fewer than two for this process, or no busy times to watch). The
 * busy times are the whole machine's (a container may see more cores than it may use: their other
 * programs count too).
 */
export function cpuWatch(usable = os.availableParallelism()): CpuWatch | null {
  const start = busyMs();
  if (usable < 2 || start === null) return null;
  const t0 = performance.now();
  const own0 = ownMs();
  return {
    async secondCoreFree() {
      const wait = WINDOW_MS - (performance.now() - t0);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const busy = (busyMs()?.busy ?? start.busy) - start.busy;
      const others = (busy - (ownMs() - own0)) / (performance.now() - t0);
      return secondCoreFree(start.cores, others);
    },
  };
}
