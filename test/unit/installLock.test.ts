/**
 * The code-server install lock: a second install waits for the first (also one in another process), and a
 * lock left by a process that has ended is taken over at once.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { withLock } from '../../scripts/installLock';
import { tempDir } from '../support/files';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('code-server install lock', () => {
  it('runs two installs of one process one after the other, never together', async () => {
    const lock = path.join(tempDir('rc-lock-'), 'install.lock');
    const events: string[] = [];
    const job = (name: string) => async () => {
      events.push(`${name} start`);
      await sleep(150);
      events.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([
      withLock(lock, job('a'), { pollMs: 20 }),
      withLock(lock, job('b'), { pollMs: 20 }),
    ]);
    assert.deepEqual(results, ['a', 'b']);
    assert.deepEqual(events, ['a start', 'a end', 'b start', 'b end']);
    assert.equal(fs.existsSync(lock), false, 'the lock is removed after the work');
  });

  it('waits for an install held by another process, naming its PID, and runs when it has let go', async () => {
    const lock = path.join(tempDir('rc-lock-'), 'install.lock');
    // another process takes the lock as withLock does, holds it 600 ms, then lets go
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const fs=require('fs');fs.mkdirSync(${JSON.stringify(lock)});` +
          `fs.writeFileSync(${JSON.stringify(lock)}+'/pid',String(process.pid));` +
          `setTimeout(()=>fs.rmSync(${JSON.stringify(lock)},{recursive:true}),600);`,
      ],
      { stdio: 'ignore' },
    );
    try {
      const t = Date.now();
      while (!fs.existsSync(path.join(lock, 'pid'))) {
        assert.ok(Date.now() - t < 10_000, 'the other process never took the lock');
        await sleep(10);
      }
      const waitedFor: (number | null)[] = [];
      const ranAt = await withLock(lock, () => Promise.resolve(Date.now()), {
        pollMs: 20,
        onWait: (pid) => waitedFor.push(pid),
      });
      assert.deepEqual(waitedFor, [holder.pid]);
      assert.ok(ranAt - t >= 500, `ran ${ranAt - t} ms after the other process took the lock, before it let go`);
    } finally {
      holder.kill();
    }
  });

  it('takes over at once a lock whose process has ended', async () => {
    const lock = path.join(tempDir('rc-lock-'), 'install.lock');
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    fs.mkdirSync(lock);
    fs.writeFileSync(path.join(lock, 'pid'), gone.stdout);
    let waited = false;
    const t = Date.now();
    await withLock(lock, () => Promise.resolve(), { pollMs: 20, timeoutMs: 2000, onWait: () => (waited = true) });
    assert.equal(waited, false);
    assert.ok(Date.now() - t < 1000);
  });

  it('gives up with a message naming the holder when it waits too long', async () => {
    const lock = path.join(tempDir('rc-lock-'), 'install.lock');
    fs.mkdirSync(lock);
    fs.writeFileSync(path.join(lock, 'pid'), String(process.pid)); // held by a live process: this one
    await assert.rejects(
      withLock(lock, () => Promise.resolve(), { pollMs: 20, timeoutMs: 200 }),
      new RegExp(`holds .*install\\.lock \\(PID ${process.pid}\\)`),
    );
  });
});
