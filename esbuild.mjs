// One build, several outputs: the extension host, the CLI, one browser bundle per panel, the
// notebook output renderer, and (with --tests) the integration suite that runs inside VS Code.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
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
 * Each warehouse kind's spec (src/warehouse/<kind>/spec.ts, gathered in src/warehouse/kinds.ts),
 * read by bundling the specs alone: their `open` imports the adapter lazily, and those imports are
 * left out here, so no driver is parsed to learn which adapters exist.
 */
async function readKindSpecs() {
  const leaveAdaptersOut = {
    name: 'leave-adapters-out',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (a) =>
        a.kind === 'dynamic-import' ? { path: a.path, external: true } : undefined,
      );
    },
  };
  const out = await esbuild.build({
    entryPoints: ['src/warehouse/kinds.ts'],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    plugins: [leaveAdaptersOut],
  });
  const code = Buffer.from(out.outputFiles[0].contents).toString('base64');
  return (await import(`data:text/javascript;base64,${code}`)).KIND_SPECS;
}

/**
 * Warehouse adapters with their drivers, one bundle each (dist/adapters/<kind>.js), for every kind
 * whose spec asks for one: loaded on first use, so activation never parses a driver, and the .vsix
 * needs no node_modules. Optional native parts stay out (the drivers fall back to plain JavaScript without them).
 */
const adapters = Object.fromEntries(
  Object.values(await readKindSpecs())
    .filter((spec) => typeof spec.bundle === 'object')
    .map((spec) => [spec.kind, spec.bundle.entry]),
);
const adapterExternal = ['lz4', '@databricks/databricks-sql-kernel-*'];

/**
 * Points a spec's `import('./<kind>Warehouse')` at the separate adapter bundle instead of inlining
 * it, as a path from the bundle being built (in `outdir`) to dist/adapters/<kind>.js.
 */
const separateAdapters = (outdir) => ({
  name: 'separate-adapters',
  setup(build) {
    const kindOfEntry = new Map(
      Object.entries(adapters).map(([kind, entry]) => [resolve('src/warehouse', entry), kind]),
    );
    build.onResolve({ filter: /^\./ }, (a) => {
      if (a.kind !== 'dynamic-import') return undefined;
      const kind = kindOfEntry.get(resolve(a.resolveDir, a.path));
      if (!kind) return undefined;
      const path = relative(outdir, join('dist', 'adapters', `${kind}.js`))
        .split(sep)
        .join('/');
      return { path: path.startsWith('.') ? path : `./${path}`, external: true };
    });
  },
});

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
      demoWorker: 'src/warehouse/demo/demoWorker.ts',
      textClassifierWorker: 'src/loaders/textClassifierWorker.ts',
    },
    outdir: 'dist',
    plugins: [separateAdapters('dist')],
    supported: { 'dynamic-import': false },
  },
  {
    ...node,
    entryPoints: Object.fromEntries(
      Object.entries(adapters).map(([kind, entry]) => [kind, `src/warehouse/${entry}.ts`]),
    ),
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
  {
    // The notebook output renderer: VS Code imports it as an ES module and calls its activate();
    // outputs get no stylesheet, so its CSS comes in as text and the renderer puts it in a <style>.
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'esm',
    sourcemap: !production,
    minify: production,
    entryPoints: { notebookRenderer: 'webview/notebookOutput/renderer.ts' },
    outdir: 'dist/webview',
    loader: { '.css': 'text' },
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
    plugins: [separateAdapters('out/test/integration')],
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
