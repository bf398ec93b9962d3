/**
 * One install at a time: `npm start`, the tests and the benches can all ask for code-server at once on a
 * fresh machine, and two npm runs in one folder break each other (one deletes what the other builds).
 * The lock is a directory (mkdir is atomic) holding the owner's PID; a lock whose owner is gone is taken over.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The PID written in the lock, or null while the owner has not written it yet (or it is unreadable). */
function owner(lock: string): number | null {
  try {
    const pid = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Whether the lock was left behind: its owner has ended, or it never wrote a PID in `graceMs`. */
function stale(lock: string, graceMs: number): boolean {
  const pid = owner(lock);
  if (pid !== null) return !alive(pid);
  try {
    return Date.now() - fs.statSync(lock).mtimeMs > graceMs;
  } catch {
    return false; // gone already: the next mkdir decides
  }
}

export interface LockOptions {
  /** How long to wait for another owner before failing (ms). */
  readonly timeoutMs?: number;
  readonly pollMs?: number;
  /** Told once when another process holds the lock. */
  readonly onWait?: (pid: number | null) => void;
}

/** Runs `work` while holding the lock directory `lock`, waiting for (or taking over from) another holder. */
export async function withLock<T>(lock: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 15 * 60_000;
  const pollMs = options.pollMs ?? 500;
  const started = Date.now();
  let told = false;
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (stale(lock, 10_000)) {
      fs.rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (Date.now() - started > timeoutMs) {
      throw new Error(
        `Another install still holds ${lock} (PID ${owner(lock) ?? 'unknown'}) after ${timeoutMs / 1000} s.`,
      );
    }
    if (!told) options.onWait?.(owner(lock));
    told = true;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
  try {
    return await work();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}
