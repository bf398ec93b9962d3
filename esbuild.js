// One build script, several bundles. `node esbuild.js [--watch] [--production] [--tests] [--bench]`.
// Output lines follow the esbuild problem-matcher format ("[watch] build started/finished", "✘ [ERROR] ...")
// so a VS Code task can show errors in the Problems panel.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');

/** @type {import('esbuild').Plugin} */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    // the "[watch]" lines are for a watch task's problem matcher; a one-shot build prints only its errors
    if (watch) build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log('[watch] build finished');
    });
  },
};

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'silent',
  plugins: [problemMatcher],
};

/** Bundles that ship in the extension and the CLI. */
const product = [
  {
    ...node,
    entryPoints: { extension: 'src/host/extension.ts' },
    outdir: 'dist',
    external: ['vscode'],
    banner: { js: 'globalThis.__rcExportLoadStart = performance.now();' },
  },
  {
    ...node,
    entryPoints: {
      worker: 'src/worker/loadWorker.ts',
      deepWorker: 'src/worker/deepWorker.ts',
      viewWorker: 'src/worker/viewWorker.ts',
      measureWorker: 'src/worker/measureWorker.ts',
      parquetWorker: 'src/worker/parquetWorker.ts',
    },
    outdir: 'dist',
  },
  { ...node, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
];
if (fs.existsSync('src/webview/main.ts')) {
  product.push({
    // minified in every build: the webview parses it before the first paint (sourcemaps stay for debugging)
    ...node,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: true,
    // VS Code's own codicons (@vscode/codicons), bundled as SVG text
    loader: { '.svg': 'text' },
    entryPoints: { webview: 'src/webview/main.ts' },
    outdir: 'dist',
  });
}
if (fs.existsSync('src/webview/chart/main.ts')) {
  // the chart panel's page, and the export editor's chart pane (loaded by the editor's page on first
  // use): uPlot and its style sheet bundled in (dist/chart.js, dist/chart.css, dist/chartPane.js, …)
  product.push({
    ...node,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: true,
    entryPoints: { chart: 'src/webview/chart/main.ts', chartPane: 'src/webview/chart/pane.ts' },
    outdir: 'dist',
  });
}

function listTs(dir, suffix) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true })
    .map((f) => path.join(dir, String(f)))
    .filter((f) => f.endsWith(suffix));
}

/** Test and bench bundles go to out/, one per entry, keeping the folder structure. */
const dev = {
  ...node,
  sourcemap: 'inline',
  minify: false,
  outbase: '.',
  outdir: 'out',
  external: ['vscode', '@duckdb/node-api', 'mocha', 'playwright-core', '@vscode/test-electron'],
};
const extra = [];
if (args.has('--tests')) {
  // a test deleted from test/ must not keep running from an old bundle
  fs.rmSync(path.join(__dirname, 'out', 'test'), { recursive: true, force: true });
  extra.push({
    ...dev,
    entryPoints: [
      ...listTs('test', '.test.ts'),
      ...listTs('test', 'cli.ts'),
      ...listTs('test', 'main.ts'),
      ...listTs('test/ext', 'index.ts'),
      ...listTs('test/e2e', 'desktop.ts'),
      'scripts/start.ts',
    ],
  });
}
// bench bundles keep their maps beside them: an inline map would weigh on the peak RSS the bench measures
if (args.has('--bench')) extra.push({ ...dev, sourcemap: 'linked', entryPoints: listTs('bench', '.ts') });
if (args.has('--scripts')) extra.push({ ...dev, entryPoints: ['scripts/start.ts'] });

async function main() {
  const configs = [...product, ...extra];
  if (watch) {
    for (const c of configs) await (await esbuild.context(c)).watch();
    return;
  }
  const results = await Promise.all(configs.map((c) => esbuild.build(c).catch((e) => e)));
  if (results.some((r) => r instanceof Error || (r.errors && r.errors.length))) process.exit(1);
  fs.chmodSync('dist/cli.js', 0o755);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
