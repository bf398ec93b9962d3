/**
 * Background threads that step aside for the UI. On Linux the nice value belongs to each thread, so a
 * worker can lower its own priority without touching the extension host's other threads; when the
 * machine has a core to spare nothing changes, but on a busy one (two cores: a loading thread and a
 * validating thread beside VS Code's renderer) the editor gets the CPU first. Elsewhere the call
 * would apply to the whole process, so it does nothing there.
 */
import * as os from 'node:os';

/** How far the priority goes down (nice values run from -20, first, to 19, last). */
export const BACKGROUND_NICE = 10;

/** Lowers the calling thread's priority, once; false where it cannot (not Linux, not allowed). */
export function lowerThreadPriority(): boolean {
  if (process.platform !== 'linux') return false;
  try {
    // pid 0: the calling thread on Linux
    if (os.getPriority(0) < BACKGROUND_NICE) os.setPriority(0, BACKGROUND_NICE);
    return true;
  } catch {
    return false;
  }
}
