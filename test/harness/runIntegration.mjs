// Runs the mocha suite (out/test/integration/index.js) inside the extension host of a real
// VS Code 1.100 (code-server + Chromium), the way VS Code's own browser integration tests do:
// the workbench loads the repo as a development extension and the suite through the URL's
// payload, then reports through window.codeAutomationExit / codeAutomationLog.
//
//   node test/harness/runIntegration.mjs [--timeout <seconds>] [--keep]
//
// Also exports startWorkbench(), used by the UI walk (test/ui/walk.mjs).
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { launchBrowser } from '../../scripts/lib/browser.mjs';
import {
  ensureCodeServer,
  installExtension,
  makeRunDir,
  runLayout,
  startCodeServer,
  writeUserSettings,
} from '../../scripts/lib/codeServer.mjs';
import {
  exitWhenOrphaned,
  formatMs,
  onCleanup,
  removeQuietly,
  repoRoot,
  SystemError,
} from '../../scripts/lib/system.mjs';

export const suiteIndex = join(repoRoot, 'out', 'test', 'integration', 'index.js');
const fixtureWorkspace = join(repoRoot, 'test', 'fixtures', 'workspace');

/**
 * code-server + Chromium on a copy of test/fixtures/workspace, with the extension either loaded
 * from the repo (extensionDevelopmentPath, the default) or installed from a .vsix.
 * Exposes codeAutomationExit/codeAutomationLog before the page loads.
 *
 * @param {object} o
 * @param {string} o.name                     run-folder prefix
 * @param {boolean} [o.devExtension=true]      load the repo as a development extension
 * @param {string} [o.extensionDevelopmentPath] the extension folder (default: the repo)
 * @param {string} [o.extensionTestsPath]      absolute path of a suite's index.js (implies devExtension)
 * @param {string} [o.vsix]                    install this .vsix instead of the development extension
 * @param {Record<string, unknown>} [o.settings] user settings (User/settings.json)
 * @param {Record<string, string>} [o.env]    extra environment for the server and extension host
 * @param {(code: number, logs: unknown) => void} [o.onExit]
 * @param {(line: string) => void} [o.onLog]
 */
export async function startWorkbench({
  name,
  devExtension = true,
  extensionDevelopmentPath = repoRoot,
  extensionTestsPath,
  vsix,
  settings = {},
  env = {},
  onExit = () => {},
  onLog = () => {},
  log = console.log,
}) {
  const timings = {};
  let t = Date.now();
  const { entry, installedNow, ms: installMs } = await ensureCodeServer(log);
  timings.codeServerInstall = installedNow ? installMs : 0;

  const runDir = makeRunDir(name);
  const forget = onCleanup(() => removeQuietly(runDir));
  const layout = runLayout(runDir);
  const workspace = join(runDir, 'workspace');
  if (existsSync(fixtureWorkspace)) cpSync(fixtureWorkspace, workspace, { recursive: true });
  else mkdirSync(workspace, { recursive: true });
  writeUserSettings(layout, settings);
  if (vsix) await installExtension(entry, layout, vsix, log);

  let server;
  let browser;
  const close = async ({ keepRunDir = false } = {}) => {
    await browser?.close();
    await server?.stop();
    if (!keepRunDir) removeQuietly(runDir);
    // Kept or removed, it is no longer the exit hook's to delete (it used to delete a kept folder at exit).
    forget();
  };
  try {
    t = Date.now();
    server = await startCodeServer({ entry, layout, env });
    timings.serverStart = Date.now() - t;

    t = Date.now();
    browser = await launchBrowser(join(runDir, 'browser'), { log });
    const { page } = browser;
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      onLog(format(...(Array.isArray(args) ? args : [args])), type);
    });
    await page.exposeFunction('codeAutomationExit', (code, logs) => onExit(Number(code), logs));

    const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
    const payload = [];
    if (devExtension || extensionTestsPath)
      payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
    if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
    payload.push(['skipWelcome', 'true']);
    const url = `${server.url}?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    timings.pageLoad = Date.now() - t;
    return { page, server, layout, workspace, runDir, url, close, timings };
  } catch (err) {
    await close();
    throw err;
  }
}

const SUMMARY = /^integration: (\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$/;

/**
 * Run the integration suite once. Resolves with the exit code the workbench reported
 * (or 1 on timeout / no summary) and the counts from the suite's summary line.
 */
export async function runIntegration({
  suite = suiteIndex,
  extensionDevelopmentPath = repoRoot,
  timeoutMs = 5 * 60_000,
  keep = false,
  settings = {},
  env = {},
  log = (line) => process.stdout.write(`${line}\n`),
} = {}) {
  const started = Date.now();
  if (!existsSync(suite)) {
    throw new SystemError(`${suite} is missing: build it with "node esbuild.mjs --tests" first.`);
  }
  if (!existsSync(join(extensionDevelopmentPath, 'dist', 'extension.js'))) {
    throw new SystemError('dist/extension.js is missing: build it with "node esbuild.mjs --tests" first.');
  }
  const counts = { passed: 0, failed: 0, skipped: 0, summarySeen: false };
  let settle;
  const exit = new Promise((res) => (settle = res));
  const wb = await startWorkbench({
    name: 'integration',
    extensionTestsPath: suite,
    extensionDevelopmentPath,
    settings,
    env,
    log,
    onLog: (text) => {
      for (const line of text.split('\n')) {
        const m = SUMMARY.exec(line.trim());
        if (m) Object.assign(counts, { passed: +m[1], failed: +m[2], skipped: +(m[3] ?? 0), summarySeen: true });
      }
      log(text);
    },
    onExit: (code, logs) => settle({ code, logs }),
  });
  log(
    `[integration] workbench at ${wb.server.url} (server ${formatMs(wb.timings.serverStart)}, page ${formatMs(wb.timings.pageLoad)}); waiting for the suite...`,
  );

  const outDir = join(repoRoot, 'test-output', 'integration');
  let timer;
  const timeout = new Promise((res) => {
    timer = setTimeout(() => res({ code: 1, timedOut: true }), timeoutMs);
  });
  const result = await Promise.race([exit, timeout]);
  clearTimeout(timer);

  let code = result.code;
  if (result.timedOut) {
    log(
      `[integration] TIMEOUT: the suite did not report within ${formatMs(timeoutMs)}; nothing was read back from the extension host.`,
    );
  } else if (code === 0 && !counts.summarySeen) {
    log('[integration] FAILED: exit 0 but no "integration: N passed, N failed" line was printed by the suite.');
    code = 1;
  } else if (code === 0 && counts.passed === 0) {
    log('[integration] FAILED: the suite ran no test.');
    code = 1;
  }
  // a suite that did not load (missing module, throw at import) or timed out reports no counts
  if (code !== 0 && counts.failed === 0) counts.failed = 1;

  if (code !== 0) {
    mkdirSync(outDir, { recursive: true });
    await wb.page.screenshot({ path: join(outDir, 'failure.png') }).catch(() => {});
    const text = await wb.page.evaluate(() => document.body?.innerText ?? '').catch(() => '');
    writeFileSync(join(outDir, 'failure-page.txt'), text);
    if (Array.isArray(result.logs)) {
      for (const l of result.logs) {
        if (l && typeof l.relativePath === 'string' && typeof l.contents === 'string') {
          const p = join(outDir, 'logs', l.relativePath.replace(/\.\.+/g, '_'));
          mkdirSync(join(p, '..'), { recursive: true });
          writeFileSync(p, l.contents);
        }
      }
    }
    log(`[integration] screenshot, page text and logs saved in ${outDir}`);
  }
  await wb.close({ keepRunDir: keep });
  if (keep) log(`[integration] run folder kept: ${wb.runDir}`);
  const ms = Date.now() - started;
  log(`[integration] exit code ${code} in ${formatMs(ms)}`);
  // the authoritative count (the last such line is the one scripts/test.mjs reads)
  log(
    `integration: ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`,
  );
  return { code, ...counts, ms, timedOut: Boolean(result.timedOut) };
}

async function main() {
  exitWhenOrphaned();
  const args = process.argv.slice(2);
  const i = args.indexOf('--timeout');
  const timeoutMs = i >= 0 ? Number(args[i + 1]) * 1000 : undefined;
  try {
    const r = await runIntegration({ timeoutMs, keep: args.includes('--keep') });
    process.exit(r.code);
  } catch (err) {
    console.error(err instanceof SystemError ? err.message : err);
    process.exit(1);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
