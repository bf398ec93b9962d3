import { performance } from 'node:perf_hooks';

/** What a bench step measured, and the timing helpers every step uses (kept small: each step runs in its own process). */

export interface StepResult {
  seconds: number;
  /** CPU seconds of the process, every thread counted. */
  cpu?: number;
  rssMB: number;
  stallMs?: number;
  /** Wall seconds of the step's whole process, start to exit (set by the bench, which spawns it). */
  processSeconds?: number;
  rows?: number;
  problems?: number;
  bytes?: number;
  /** diagnostics: CPU milliseconds of the plan, and how many diagnostics it made. */
  cpuMs?: number;
  diagnostics?: number;
  sorts?: SortResult[];
}

export interface SortResult {
  kind: string;
  column: string;
  seconds: number;
  cpu: number;
}

/** The steps bench/loadSteps.ts runs. */
export const LOAD_STEPS = ['zlib', 'fflate', 'load', 'load+validate'];

export function cpuSince(c: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(c);
  return (u.user + u.system) / 1e6;
}

/** Starts a step's clocks; `done` gives its wall and CPU seconds and the process's peak RSS so far. */
export function stepClock(): (extra?: Partial<StepResult>) => StepResult {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  return (extra = {}) => ({
    seconds: (performance.now() - t0) / 1000,
    cpu: cpuSince(c0),
    rssMB: process.resourceUsage().maxRSS / 1024,
    ...extra,
  });
}
