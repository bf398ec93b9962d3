/**
 * extensionTestsPath entry: runs the extension-host suites with mocha inside VS Code's extension
 * host (code-server here, VS Code desktop under @vscode/test-electron), then reports the counts as
 * one log line the driver reads.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

type MochaCtor = new (o: object) => {
  addFile(f: string): void;
  loadFilesAsync(): Promise<void>;
  run(cb: (failures: number) => void): { stats?: { passes: number; failures: number } };
};

export async function run(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const m = require('mocha') as MochaCtor | { default: MochaCtor };
  const Mocha = typeof m === 'function' ? m : m.default;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000 });
  for (const f of fs
    .readdirSync(__dirname)
    .filter((n) => n.endsWith('.test.js') && !(process.env.RC_E2E_NO_BIG && n === 'bigLoad.test.js')))
    mocha.addFile(path.join(__dirname, f));
  await mocha.loadFilesAsync();
  await new Promise<void>((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const stats = runner.stats ?? { passes: 0, failures };
      console.log(`RC_EXT_COUNTS ${JSON.stringify({ passed: stats.passes, failed: stats.failures })}`);
      if (failures) reject(new Error(`${failures} extension-host test(s) failed`));
      else resolve();
    });
  });
}
