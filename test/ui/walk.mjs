// The UI walk: what a person sees, in a real VS Code 1.100 web workbench (code-server) in
// Chromium. Each step is a small async function that acts, asserts, and gets a screenshot in
// test-output/ui/. On a failure the walk saves a screenshot and the page text and stops: the
// later steps build on the earlier ones, so they are reported as skipped.
//
//   node test/ui/walk.mjs                 the extension loaded from the repo (dev build in dist/)
//   node test/ui/walk.mjs --vsix <file>   the extension installed from a packaged .vsix
//   node test/ui/walk.mjs --steps 2       only the first steps
//   node test/ui/walk.mjs --keep          keep the run folder (code-server logs)
//
// Add a step: write `async function myStep(ctx) { ... }` and add it to `steps` below.
// Prints "ui: N passed, N failed[, N skipped]".
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { exitWhenOrphaned, formatMs, repoRoot, SystemError } from '../../scripts/lib/system.mjs';
import { startWorkbench } from '../harness/runIntegration.mjs';

export const outDir = join(repoRoot, 'test-output', 'ui');

// ---------------------------------------------------------------------------------------------
// Helpers for steps (all take the Playwright page)

/** The activity-bar entry of a view container, by its title. */
export const activityBarItem = (page, title) => page.locator(`.part.activitybar a.action-label[aria-label^="${title}"]`).first();

/** A view's tree, by the view's name (e.g. "Syncs"). */
export const viewTree = (page, viewName) => page.locator(`.part.sidebar [role="tree"][aria-label="${viewName}"]`);

/**
 * Rows of a view's tree whose visible label matches `label` (a RegExp, or a string for an exact
 * match). The rows' accessible names are the extension's longer aria-labels, so match the label.
 */
export const treeItems = (page, viewName, label) =>
  viewTree(page, viewName).locator('[role="treeitem"]', {
    has: page.locator('.label-name', { hasText: typeof label === 'string' ? new RegExp(`^${escapeRe(label)}$`) : label }),
  });

/** The visible labels of a view's rows, top to bottom (only the rows drawn on screen). */
export const treeLabels = (page, viewName) =>
  viewTree(page, viewName).locator('[role="treeitem"] .label-name').allInnerTexts();

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The content of the active webview panel (inside its two iframes). */
export const webviewFrame = (page) => page.frameLocator('iframe.webview').frameLocator('#active-frame');

/** Run a command from the palette (F1), by its title as shown there, e.g. "Sync Logs: Run Query". */
export async function runCommand(page, title) {
  const input = page.locator('.quick-input-widget input.input');
  await page.keyboard.press('F1');
  try {
    await input.waitFor({ state: 'visible', timeout: 5_000 });
  } catch {
    // focus was somewhere that kept the key (e.g. inside a webview): give it back to the workbench
    await page.evaluate(() => {
      if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
    });
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
  }
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: 10_000 });
  await input.press('Enter');
}

/** Expand a tree row (if collapsed) and wait until it is expanded. */
export async function expand(row) {
  if ((await row.getAttribute('aria-expanded')) === 'false') await row.click();
  await waitUntil(async () => (await row.getAttribute('aria-expanded')) === 'true', 'the row to expand');
}

/** Poll rather than sleep. */
export async function waitUntil(check, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${formatMs(timeoutMs)} waiting for ${what}`);
}

/** Visible text of a locator, for assertion messages. */
export async function textOf(locator) {
  return (await locator.innerText().catch(() => '')).replace(/\s+/g, ' ').trim();
}

// ---------------------------------------------------------------------------------------------
// Steps. ctx: { page, state (shared between steps), log(msg), shot(name) }

/** The demo data set's model names, read from its catalog so the walk follows the data set. */
function demoModelNames() {
  const src = readFileSync(join(repoRoot, 'src', 'demo', 'catalog.ts'), 'utf8');
  return [...src.matchAll(/modelName:\s*'([^']+)'/g)].map((m) => m[1]);
}

async function workbenchLoads({ page }) {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  await activityBarItem(page, 'Sync Logs').waitFor({ state: 'visible', timeout: 60_000 });
}

async function openSyncLogs({ page }) {
  await activityBarItem(page, 'Sync Logs').click();
  const title = page.locator('.part.sidebar .composite.title h2');
  await waitUntil(async () => /Sync Logs/i.test(await textOf(title)), 'the "Sync Logs" side bar');
  await viewTree(page, 'Syncs').waitFor({ state: 'attached', timeout: 30_000 });
}

async function syncsShowDemo({ page, state, log }) {
  const names = demoModelNames();
  if (names.length < 8) throw new Error(`the demo catalog lists ${names.length} models; expected at least 8`);
  await treeItems(page, 'Syncs', 'Demo').first().waitFor({ state: 'visible', timeout: 90_000 });
  const rows = treeItems(page, 'Syncs', new RegExp(`^(${names.map(escapeRe).join('|')})$`));
  // The first open builds the demo sync log (seconds): wait for every sync to be listed.
  await waitUntil(async () => (await rows.count()) === names.length, `all ${names.length} demo syncs in the Syncs view`, 90_000);
  const labels = await treeLabels(page, 'Syncs');
  log(`Syncs view rows: ${labels.join(' | ')}`);
  state.treeLabels = labels;
}

async function statusBarShowsConnection({ page }) {
  const item = page.locator('.statusbar-item', { hasText: 'Sync Logs: Demo' });
  await item.first().waitFor({ state: 'visible', timeout: 10_000 });
}

/** Expands the sync with the most runs and checks its newest runs with their counters and a "Load more" row. */
async function expandSync({ page, state, log }) {
  const sync = treeItems(page, 'Syncs', 'Active customers').first();
  await expand(sync);
  const runRows = viewTree(page, 'Syncs').locator('[role="treeitem"][aria-level="3"]');
  await waitUntil(async () => (await runRows.count()) >= 5, 'the runs of "Active customers"');
  const first = await textOf(runRows.first());
  log(`first run row: ${first}`);
  if (!/^\d{4}-\d\d-\d\d \d\d:\d\d/.test(first)) throw new Error(`a run row starts with its start time, got "${first}"`);
  if (!/\d[\d,]* planned · [\d,]+ ok · [\d,]+ failed/.test(first)) throw new Error(`a run row shows planned/ok/failed counts, got "${first}"`);
  state.firstRun = first;
}

/** Expands a run with failed rows and checks its failure reasons with row counts. */
async function expandRunWithFailures({ page, log }) {
  const tree = viewTree(page, 'Syncs');
  const candidate = tree.locator('[role="treeitem"][aria-level="3"][aria-expanded="false"]', { hasText: / [1-9][\d,]* failed/ }).first();
  await candidate.waitFor({ state: 'visible', timeout: 10_000 });
  // Pin the row by its start time: the filter above stops matching once it is expanded.
  const label = await textOf(candidate.locator('.label-name'));
  log(`expanding the run of ${label}: ${await textOf(candidate)}`);
  await expand(tree.locator('[role="treeitem"][aria-level="3"]', { has: page.locator('.label-name', { hasText: label }) }).first());
  const reasons = tree.locator('[role="treeitem"][aria-level="4"]');
  await waitUntil(async () => (await reasons.count()) > 0, 'failure reasons under the run');
  const text = await textOf(reasons.first());
  log(`first failure reason: ${text}`);
  if (!/\d[\d,]* rows?( · [\d,]+ texts)?$/.test(text)) throw new Error(`a failure reason row ends with its row count, got "${text}"`);
}

/** New Query, then Run Query from the palette: the results panel shows typed columns and the row count. */
async function runQueryFromPalette({ page, log }) {
  await runCommand(page, 'Sync Logs: New Query');
  await page.locator('.monaco-editor .view-lines', { hasText: 'sync_runs' }).first().waitFor({ state: 'visible', timeout: 15_000 });
  await runCommand(page, 'Sync Logs: Run Query');
  const frame = webviewFrame(page);
  await frame.locator('body').waitFor({ state: 'attached', timeout: 30_000 });
  await waitUntil(async () => /rows?/i.test(await textOf(frame.locator('body'))) && (await frame.locator('vscode-data-grid-cell, td, [role="gridcell"]').count()) > 0, 'result rows in the results panel', 60_000);
  const body = await textOf(frame.locator('body'));
  log(`results panel: ${body.slice(0, 300)}`);
  if (!/sync_id/.test(body)) throw new Error('the results show the sync_id column');
  if (!/timestamptz|text|int8/.test(body)) throw new Error('the results show column types');
}

/** A failure text carrying markup is shown as text in the results, and no element is created from it. */
async function hostileTextStaysText({ page, log }) {
  await runCommand(page, 'Sync Logs: New Query');
  await page.waitForTimeout(300);
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type("select failure_reason from hightouch_audit.sync_changelog where failure_reason like '%<img%' limit 3", { delay: 0 });
  await runCommand(page, 'Sync Logs: Run Query');
  const frame = webviewFrame(page);
  await waitUntil(async () => /<img/.test(await textOf(frame.locator('body'))), 'the markup to appear as text in the results', 60_000);
  const imgs = await frame.locator('img').count();
  log(`img elements in the results webview: ${imgs}`);
  if (imgs !== 0) throw new Error(`markup from the warehouse became ${imgs} <img> element(s)`);
}

/** The walk, in order. Add yours at the end (or where it belongs), one line each. */

/** Answer the open quick input (pick or input box): type the text, then accept. */
async function answerQuickInput(page, text) {
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(text);
  await input.press('Enter');
  // The next step replaces the widget's content; give it a moment to switch.
  await page.waitForTimeout(150);
}

async function addConnectionForm({ page, log, shot }) {
  await runCommand(page, 'Sync Logs: Add Connection');
  await answerQuickInput(page, 'PostgreSQL');
  const title = page.locator('.quick-input-widget .quick-input-title');
  await waitUntil(async () => /Add PostgreSQL Connection/.test(await textOf(title)), 'the form titled for PostgreSQL');
  // Port 1 on loopback refuses connections: the test-before-save must explain it.
  for (const answer of ['Nowhere', '127.0.0.1', '1', 'x', 'nobody']) await answerQuickInput(page, answer);
  await answerQuickInput(page, 'disable');
  await answerQuickInput(page, 'hightouch_audit');
  const input = page.locator('.quick-input-widget input.input');
  assert.equal(await input.getAttribute('type'), 'password', 'the password box masks what is typed');
  await shot('password');
  await answerQuickInput(page, 'pw-typed-in-ui');
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout: 30_000 });
  const text = await textOf(dialog);
  log(`dialog: ${text.replace(/\s+/g, ' ').slice(0, 160)}`);
  assert.match(text, /Could not connect to "Nowhere"/);
  assert.match(text, /Connection refused/);
  assert.ok(!text.includes('pw-typed-in-ui'), 'the password is not in the message');
  await shot('refused');
  await dialog.locator('.dialog-buttons a, .dialog-buttons button', { hasText: 'Cancel' }).first().click();
  await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
  const statusText = await textOf(page.locator('.statusbar'));
  assert.ok(!statusText.includes('Nowhere'), 'a cancelled form saves nothing');
}

export const steps = [
  ['the workbench loads', workbenchLoads],
  ['open the Sync Logs container', openSyncLogs],
  ['the Syncs view lists every demo sync', syncsShowDemo],
  ['the status bar shows the active connection', statusBarShowsConnection],
  ['expand a sync: its newest runs with counters', expandSync],
  ['expand a run: its failed rows grouped by reason', expandRunWithFailures],
  ['run a query from the palette', runQueryFromPalette],
  ['hostile failure text stays text', hostileTextStaysText],
  ['Add Connection: the real form, and a refused connection explained before saving', addConnectionForm],
];

// ---------------------------------------------------------------------------------------------
// Runner

const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);

export async function walk({ vsix, maxSteps = steps.length, keep = false, stepTimeoutMs = 120_000 } = {}) {
  const started = Date.now();
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const wb = await startWorkbench({
    name: 'ui',
    devExtension: !vsix,
    vsix,
    log: (l) => console.log(l),
  });
  console.log(`[ui] workbench at ${wb.server.url} (${vsix ? `installed ${vsix}` : 'development extension from the repo'}; server ${formatMs(wb.timings.serverStart)}, page ${formatMs(wb.timings.pageLoad)})`);
  const { page } = wb;
  const consoleErrors = [];
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  const counts = { passed: 0, failed: 0, skipped: 0 };
  const state = {};
  const chosen = steps.slice(0, maxSteps);
  try {
    for (const [i, [name, fn]] of chosen.entries()) {
      if (counts.failed) {
        counts.skipped++;
        console.log(`  - skipped: ${name}`);
        continue;
      }
      const base = join(outDir, `${String(i + 1).padStart(2, '0')}-${slug(name)}`);
      const t = Date.now();
      const ctx = {
        page,
        state,
        log: (m) => console.log(`      ${m}`),
        shot: (n) => page.screenshot({ path: `${base}-${slug(n)}.png` }),
      };
      try {
        let timer;
        await Promise.race([
          fn(ctx),
          new Promise((_, rej) => {
            timer = setTimeout(() => rej(new Error(`step timed out after ${formatMs(stepTimeoutMs)}`)), stepTimeoutMs);
          }),
        ]).finally(() => clearTimeout(timer));
        await page.screenshot({ path: `${base}.png` });
        counts.passed++;
        console.log(`  ✔ ${name} (${formatMs(Date.now() - t)}) -> ${base}.png`);
      } catch (err) {
        counts.failed++;
        console.log(`  ✘ ${name} (${formatMs(Date.now() - t)})\n      ${String(err?.message ?? err).split('\n').join('\n      ')}`);
        await page.screenshot({ path: `${base}-FAILED.png` }).catch(() => {});
        const text = await page.evaluate(() => document.body?.innerText ?? '').catch((e) => `could not read the page: ${e}`);
        writeFileSync(`${base}-FAILED.txt`, `${text}\n\n--- page errors ---\n${consoleErrors.join('\n')}\n`);
        console.log(`      screenshot and page text: ${base}-FAILED.png / .txt`);
      }
    }
  } finally {
    await wb.close({ keepRunDir: keep });
    if (keep) console.log(`[ui] run folder kept: ${wb.runDir}`);
  }
  console.log(`[ui] walk finished in ${formatMs(Date.now() - started)}`);
  return counts;
}

async function main() {
  exitWhenOrphaned();
  const args = process.argv.slice(2);
  const opt = (flag) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  try {
    const counts = await walk({
      vsix: opt('--vsix') ? resolve(opt('--vsix')) : undefined,
      maxSteps: opt('--steps') ? Number(opt('--steps')) : undefined,
      keep: args.includes('--keep'),
    });
    const total = counts.passed + counts.failed;
    console.log(`ui: ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`);
    process.exit(counts.failed || total === 0 ? 1 : 0);
  } catch (err) {
    console.error(err instanceof SystemError ? err.message : (err?.stack ?? err));
    console.log('ui: 0 passed, 1 failed');
    process.exit(1);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
