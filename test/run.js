#!/usr/bin/env node
// The test command (npm test): build the bundles and the test bundles, type-check everything,
// run the unit suite with mocha, then print one closing line "N passed, N failed".
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.join(__dirname, '..');
const counts = path.join(os.tmpdir(), `rc-export-test-counts-${process.pid}.json`);
// every temp folder a test makes is named here (test/support/files.ts, scripts/codeServer.ts); none may be left
const tempLog = path.join(os.tmpdir(), `rc-export-test-temps-${process.pid}.txt`);
fs.writeFileSync(tempLog, '');
const run = (cmd, args, env = {}) =>
  spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, RC_TEST_TEMP_LOG: tempLog, ...env } })
    .status;

/** Temp folders the tests made and left behind (each is a failure, named and then removed). */
function leftBehind() {
  const dirs = [...new Set(fs.readFileSync(tempLog, 'utf8').split('\n').filter(Boolean))];
  const left = dirs.filter((d) => fs.existsSync(d));
  for (const d of left) {
    console.error(`a test left its temp folder behind: ${d}`);
    fs.rmSync(d, { recursive: true, force: true });
  }
  fs.writeFileSync(tempLog, '');
  return left.length;
}

function finish(extraFailed) {
  extraFailed += leftBehind();
  fs.rmSync(tempLog, { force: true });
  const c = fs.existsSync(counts) ? JSON.parse(fs.readFileSync(counts, 'utf8')) : { passed: 0, failed: 0, skipped: 0 };
  fs.rmSync(counts, { force: true });
  const failed = c.failed + extraFailed;
  process.stdout.write(`\n${c.passed} passed, ${failed} failed${c.skipped ? `, ${c.skipped} skipped` : ''}\n`);
  process.exit(failed > 0 ? 1 : 0);
}

let setupFailures = 0;
console.log('» build (esbuild)');
if (run(process.execPath, ['esbuild.js', '--tests']) !== 0) {
  console.error('build failed');
  finish(1);
}
console.log('» type-check (tsc --noEmit)');
const tsc = require.resolve('typescript/bin/tsc');
if (
  run(process.execPath, [tsc, '--noEmit']) !== 0 ||
  run(process.execPath, [tsc, '--noEmit', '-p', 'src/webview']) !== 0
) {
  console.error('type-check failed');
  setupFailures++;
}
console.log('» lint (eslint) and format (prettier --check)');
if (
  run(process.execPath, [path.join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '.']) !== 0 ||
  run(process.execPath, [
    path.join(root, 'node_modules', 'prettier', 'bin', 'prettier.cjs'),
    '--check',
    '.',
    '--log-level',
    'warn',
  ]) !== 0
) {
  console.error('lint failed (npm run format fixes what it can)');
  setupFailures++;
}
const suites = [{ name: 'unit', glob: 'out/test/unit/**/*.test.js' }];
for (const suite of suites) {
  console.log(`» ${suite.name} tests (mocha)`);
  const read = () => (fs.existsSync(counts) ? JSON.parse(fs.readFileSync(counts, 'utf8')) : { passed: 0, failed: 0 });
  const before = read();
  const status = run(
    process.execPath,
    [
      require.resolve('mocha/bin/mocha.js'),
      '--reporter',
      path.join(__dirname, 'reporter.js'),
      '--timeout',
      '120000',
      suite.glob,
    ],
    { RC_TEST_COUNTS: counts },
  );
  const after = read();
  if (status !== 0 && after.failed === before.failed) {
    console.error(`${suite.name} suite exited with status ${status} without reporting a failed test`);
    setupFailures++;
  }
  if (after.passed + after.failed === before.passed + before.failed) {
    console.error(`${suite.name} suite ran no test`);
    setupFailures++;
  }
  setupFailures += leftBehind();
}
// The real VS Code suite (code-server + Chromium), twice: on this folder as a development extension, then on
// the packaged .vsix installed into code-server. RC_SKIP_VSCODE=1 leaves both out of a quick local run;
// RC_SKIP_VSIX=1 leaves out the second.
function vscodeSuite(label, env) {
  console.log(`» extension tests in a real VS Code (code-server + Chromium): ${label}`);
  const read = () => (fs.existsSync(counts) ? JSON.parse(fs.readFileSync(counts, 'utf8')) : { passed: 0, failed: 0 });
  const before = read();
  const status = run(process.execPath, [path.join(root, 'out', 'test', 'e2e', 'main.js')], {
    RC_TEST_COUNTS: counts,
    ...env,
  });
  const after = read();
  if (status !== 0 && after.failed === before.failed) setupFailures++;
  setupFailures += leftBehind();
}
// Every bundle the build wrote (the extension, its threads, its pages) must be in the package: a thread left out
// only fails when the extension starts it (the Parquet row-group thread, for one, only with a core free).
function missingFromPackage() {
  const listed = spawnSync('npx', ['vsce', 'ls', '--no-dependencies'], {
    cwd: root,
    encoding: 'utf8',
  });
  const files = new Set(listed.stdout.split('\n').map((l) => l.trim()));
  const built = fs.readdirSync(path.join(root, 'dist')).filter((f) => /\.(js|css)$/.test(f));
  const missing = built.filter((f) => !files.has(`dist/${f}`));
  if (listed.status !== 0 || missing.length > 0) {
    console.error(`the .vsix lacks built files: ${missing.join(', ') || '(vsce ls failed)'}`);
    return 1;
  }
  console.log(`» the .vsix holds all ${built.length} built bundles`);
  return 0;
}
if (process.env.RC_SKIP_VSCODE === '1') {
  console.log('» VS Code suite skipped (RC_SKIP_VSCODE=1)');
} else {
  vscodeSuite('development folder', {});
  if (process.env.RC_SKIP_VSIX === '1') {
    console.log('» .vsix run skipped (RC_SKIP_VSIX=1)');
  } else {
    console.log('» package the .vsix (vsce)');
    const vsix = path.join(root, 'revenuecat-exports.vsix');
    fs.rmSync(vsix, { force: true });
    if (run('npm', ['run', '--silent', 'package']) !== 0 || !fs.existsSync(vsix)) {
      console.error('packaging failed');
      setupFailures++;
    } else {
      setupFailures += missingFromPackage();
      vscodeSuite('installed .vsix', { RC_E2E_VSIX: vsix });
    }
  }
}
finish(setupFailures);
