/**
 * The same extension-host suite under @vscode/test-electron, for a machine with VS Code desktop:
 *   VSCODE_EXECUTABLE=/path/to/code npm run test:desktop
 * Nothing is downloaded: without VSCODE_EXECUTABLE it stops with a message (code-server is the
 * runner where no desktop VS Code exists, see main.ts).
 */
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

const root = path.join(__dirname, '..', '..', '..');

async function main(): Promise<void> {
  const vscodeExecutablePath = process.env.VSCODE_EXECUTABLE;
  if (!vscodeExecutablePath) {
    process.stderr.write('Set VSCODE_EXECUTABLE to a VS Code desktop binary (nothing is downloaded).\n');
    process.exit(2);
  }
  await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(root, 'out', 'test', 'ext', 'index.js'),
    launchArgs: [path.join(root, 'samples'), '--disable-extensions', '--disable-workspace-trust'],
  });
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
