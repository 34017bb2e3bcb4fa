// npm start: build and package the extension, install the .vsix into a fresh code-server
// (VS Code 1.100 in the browser) with a demo workspace, and print the URL to open.
// Runs until Ctrl-C, then stops the server and removes the run folder.
//
//   npm start                          a free port on 127.0.0.1
//   npm start -- --port 8080           a given port
//   npm start -- --folder ~/my-sql     open a folder of yours instead of the demo workspace
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  ensureCodeServer,
  installExtension,
  listExtensions,
  makeRunDir,
  readIfExists,
  runLayout,
  startCodeServer,
  writeUserSettings,
} from './lib/codeServer.mjs';
import {
  exitQuietlyOnSignals,
  exitWhenOrphaned,
  formatMs,
  onCleanup,
  removeQuietly,
  repoRoot,
  run,
  SystemError,
} from './lib/system.mjs';

const EXTENSION_ID = 'sync-logs.sync-logs-explorer';

function option(args, flag) {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main() {
  const args = process.argv.slice(2);
  const started = Date.now();
  exitQuietlyOnSignals();
  exitWhenOrphaned();
  const say = (m) => console.log(`[start] ${m}`);

  // 1. code-server (installs on first use; checks the Debian packages it needs then)
  const cs = await ensureCodeServer(say);

  // 2. build + package (production build, offline vsce)
  const runDir = makeRunDir('start');
  onCleanup(() => removeQuietly(runDir));
  const vsix = join(runDir, 'sync-logs-explorer.vsix');
  say('building and packaging the extension...');
  const pkg = await run(process.execPath, [join(repoRoot, 'scripts', 'package.mjs'), '--out', vsix], {
    onLine: (l) => console.log(`  ${l}`),
  });
  if (!existsSync(vsix)) throw new SystemError(`packaging failed (exit ${pkg.code}): see the output above`);
  if (pkg.code !== 0) say('WARNING: the .vsix was built but some package checks failed (see above); starting anyway.');

  // 3. a run folder: install the .vsix, demo workspace, quiet settings
  const layout = runLayout(runDir);
  await installExtension(cs.entry, layout, vsix, say);
  const installed = await listExtensions(cs.entry, layout);
  if (!installed.some((l) => l.startsWith(`${EXTENSION_ID}@`))) {
    throw new SystemError(`${EXTENSION_ID} is not listed after installing: ${installed.join(', ') || '(nothing)'}`);
  }
  say(`installed ${installed.join(', ')}`);
  const folderArg = option(args, '--folder');
  let folder;
  if (folderArg) {
    folder = resolve(folderArg);
    if (!existsSync(folder)) throw new SystemError(`--folder ${folder} does not exist`);
  } else {
    folder = join(runDir, 'demo-workspace');
    mkdirSync(folder, { recursive: true });
    const fixture = join(repoRoot, 'test', 'fixtures', 'workspace');
    if (existsSync(fixture)) cpSync(fixture, folder, { recursive: true });
    else writeFileSync(join(folder, 'sample.sql'), 'select * from hightouch_audit.sync_runs limit 50;\n');
  }
  writeUserSettings(layout, { 'workbench.startupEditor': 'none' });

  // 4. the server
  const portArg = option(args, '--port');
  const server = await startCodeServer({
    entry: cs.entry,
    layout,
    folder,
    ...(portArg ? { port: Number(portArg) } : {}),
  });
  const url = `${server.url}?folder=${encodeURIComponent(folder)}`;
  console.log('');
  console.log('  Sync Logs Explorer is running in VS Code (code-server, in your browser):');
  console.log('');
  console.log(`    ${url}`);
  console.log('');
  console.log('  Click "Sync Logs" in the activity bar: the built-in Demo connection needs no warehouse.');
  console.log(`  Server log: ${server.logFile}`);
  console.log(`  Ready in ${formatMs(Date.now() - started)}. Press Ctrl-C to stop.`);
  console.log('');

  const { code, signal } = await server.exited;
  const tail = readIfExists(server.logFile).trim().split('\n').slice(-30).join('\n');
  say(`code-server stopped by itself (code ${code}, signal ${signal}); the end of its log:\n${tail}`);
  process.exit(code ?? 1);
}

main().catch((err) => {
  console.error(`[start] ${err instanceof SystemError ? err.message : (err?.stack ?? err)}`);
  process.exit(1);
});
