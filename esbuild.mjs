// One build, several outputs: the extension host, the CLI, one browser bundle per panel,
// and (with --tests) the integration suite that runs inside VS Code.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { sourceHash } from './scripts/lib/sourceHash.mjs';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const withTests = args.has('--tests');

/** Panels with a browser bundle: webview/<name>/main.ts -> dist/webview/<name>.js */
const panels = readdirSync('webview', { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== 'shared' && existsSync(join('webview', d.name, 'main.ts')))
  .map((d) => d.name);

// Drivers with native or WebAssembly parts are never bundled: they load from dist/node_modules at run time.
const external = ['vscode', '@electric-sql/pglite', 'pg-native'];

/**
 * Warehouse adapters with their drivers, one bundle each (dist/adapters/<kind>.js), loaded by the
 * registry on first use: activation never parses a driver, and the .vsix needs no node_modules.
 * Optional native parts stay out (the drivers fall back to plain JavaScript without them).
 */
const adapters = { snowflake: 'snowflakeWarehouse', bigquery: 'bigqueryWarehouse', databricks: 'databricksWarehouse' };
const adapterExternal = ['lz4', '@databricks/databricks-sql-kernel-*'];

/** Points the registry's `import('./<kind>Warehouse')` at the separate adapter bundle instead of inlining it. */
const separateAdapters = {
  name: 'separate-adapters',
  setup(build) {
    const names = Object.entries(adapters).map(([kind, file]) => [`./${file}`, kind]);
    build.onResolve({ filter: /^\.\/(snowflake|bigquery|databricks)Warehouse$/ }, (a) => {
      if (!a.importer.endsWith(join('warehouse', 'registry.ts'))) return undefined;
      const kind = Object.fromEntries(names)[a.path];
      return { path: `./adapters/${kind}.js`, external: true };
    });
  },
};

const node = {
  bundle: true,
  // The demo generator's version carries this (src/demo/loader.ts): cached demo data follows the sources.
  define: { DEMO_SOURCE_HASH: JSON.stringify(sourceHash('src/demo')) },
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  external,
  logLevel: 'info',
};

const builds = [
  {
    ...node,
    entryPoints: {
      extension: 'src/extension.ts',
      demoWorker: 'src/warehouse/demoWorker.ts',
      textClassifierWorker: 'src/loaders/textClassifierWorker.ts',
    },
    outdir: 'dist',
    plugins: [separateAdapters],
    supported: { 'dynamic-import': false },
  },
  {
    ...node,
    entryPoints: Object.fromEntries(Object.entries(adapters).map(([kind, file]) => [kind, `src/warehouse/${file}.ts`])),
    outdir: 'dist/adapters',
    external: [...external, ...adapterExternal],
    logLevel: 'warning',
  },
  { ...node, entryPoints: { cli: 'src/cli.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  {
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: !production,
    minify: production,
    entryPoints: Object.fromEntries(panels.map((p) => [p, `webview/${p}/main.ts`])),
    outdir: 'dist/webview',
    loader: { '.css': 'css' },
    logLevel: 'info',
  },
];
if (existsSync('src/server/server.ts')) {
  builds.push({
    ...node,
    entryPoints: { server: 'src/server/server.ts' },
    outdir: 'dist',
    banner: { js: '#!/usr/bin/env node' },
  });
}
if (withTests) {
  builds.push({
    ...node,
    entryPoints: { index: 'test/integration/index.ts' },
    outdir: 'out/test/integration',
    external: [...external, 'mocha'],
  });
}

/** Copy the runtime parts of the embedded Postgres next to the bundle, so the .vsix needs no node_modules. */
function copyPglite() {
  const from = 'node_modules/@electric-sql/pglite';
  const to = 'dist/node_modules/@electric-sql/pglite';
  rmSync(to, { recursive: true, force: true });
  mkdirSync(join(to, 'dist'), { recursive: true });
  cpSync(join(from, 'package.json'), join(to, 'package.json'));
  for (const f of readdirSync(join(from, 'dist'))) {
    if (/\.(cjs|wasm|data)$/.test(f)) cpSync(join(from, 'dist', f), join(to, 'dist', f));
  }
}

copyPglite();
if (watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
