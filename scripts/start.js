#!/usr/bin/env node
// npm start: builds, then shows what the extension's core says about the bundled sample deliveries
// (rc-export info + validate). When the custom editor lands, this opens the sample in VS Code.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.join(__dirname, '..');
const run = (args) => spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' }).status;

if (run(['esbuild.js']) !== 0) process.exit(1);
const samples = path.join(root, 'samples');
const clean = path.join(samples, 'transactions_1735689600.csv.gz');
const broken = path.join(samples, 'with-problems', 'transactions_1735776000.csv.gz');
console.log('\n$ rc-export info samples/transactions_1735689600.csv.gz');
run(['dist/cli.js', 'info', clean]);
console.log('\n$ rc-export validate samples/transactions_1735689600.csv.gz samples/with-problems/transactions_1735776000.csv.gz --max-problems 20');
const code = run(['dist/cli.js', 'validate', clean, broken, '--max-problems', '20']);
console.log(`\n(rc-export exited with ${code}: 0 = no errors, 1 = errors found, 2 = a file could not be read)`);
