// The UI walk: what a person sees, in a real VS Code 1.100 web workbench (code-server) in
// Chromium. Each step is a small async function that acts, asserts, and gets a screenshot in
// test-output/ui/. On a failure the walk saves a screenshot and the page text and stops: the
// later steps build on the earlier ones, so they are reported as skipped.
//
//   node test/ui/walk.mjs                 the extension loaded from the repo (dev build in dist/)
//   node test/ui/walk.mjs --vsix <file>   the extension installed from a packaged .vsix
//   node test/ui/walk.mjs --steps 2       only the first steps
//   node test/ui/walk.mjs --keep          keep the run folder (code-server logs)
//   node test/ui/walk.mjs --reload        also the Reload Window step (flaky in code-server: see it)
//
// Add a step: write `async function myStep(ctx) { ... }` and add it to `steps` below.
// Prints "ui: N passed, N failed[, N skipped]".
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { exitWhenOrphaned, formatMs, repoRoot, SystemError } from '../../scripts/lib/system.mjs';
import { startWorkbench } from '../harness/runIntegration.mjs';

export const outDir = join(repoRoot, 'test-output', 'ui');

// ---------------------------------------------------------------------------------------------
// Helpers for steps (all take the Playwright page)

/** The activity-bar entry of a view container, by its title. */
export const activityBarItem = (page, title) =>
  page.locator(`.part.activitybar a.action-label[aria-label^="${title}"]`).first();

/** A view's tree, by the view's name (e.g. "Syncs"). */
export const viewTree = (page, viewName) => page.locator(`.part.sidebar [role="tree"][aria-label="${viewName}"]`);

/**
 * Rows of a view's tree whose visible label matches `label` (a RegExp, or a string for an exact
 * match). The rows' accessible names are the extension's longer aria-labels, so match the label.
 */
export const treeItems = (page, viewName, label) =>
  viewTree(page, viewName).locator('[role="treeitem"]', {
    has: page.locator('.label-name', {
      hasText: typeof label === 'string' ? new RegExp(`^${escapeRe(label)}$`) : label,
    }),
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
  // Enter runs the top row, which is not always the one asked for ("Preferences: Color Theme"
  // ranks below "Preferences: Browse Color Themes in Marketplace"): click the exact title if listed.
  const exact = page
    .locator('.quick-input-widget .monaco-list-row', {
      has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRe(title)}$`) }),
    })
    .first();
  if (await exact.isVisible().catch(() => false)) await exact.click();
  else await input.press('Enter');
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
  await waitUntil(
    async () => (await rows.count()) === names.length,
    `all ${names.length} demo syncs in the Syncs view`,
    90_000,
  );
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
  if (!/^\d{4}-\d\d-\d\d \d\d:\d\d/.test(first))
    throw new Error(`a run row starts with its start time, got "${first}"`);
  if (!/\d[\d,]* planned · [\d,]+ ok · [\d,]+ failed/.test(first))
    throw new Error(`a run row shows planned/ok/failed counts, got "${first}"`);
  state.firstRun = first;
}

/** Expands a run with failed rows and checks its failure reasons with row counts. */
async function expandRunWithFailures({ page, log }) {
  const tree = viewTree(page, 'Syncs');
  const candidate = tree
    .locator('[role="treeitem"][aria-level="3"][aria-expanded="false"]', { hasText: / [1-9][\d,]* failed/ })
    .first();
  await candidate.waitFor({ state: 'visible', timeout: 10_000 });
  // Pin the row by its start time: the filter above stops matching once it is expanded.
  const label = await textOf(candidate.locator('.label-name'));
  log(`expanding the run of ${label}: ${await textOf(candidate)}`);
  await expand(
    tree.locator('[role="treeitem"][aria-level="3"]', { has: page.locator('.label-name', { hasText: label }) }).first(),
  );
  const reasons = tree.locator('[role="treeitem"][aria-level="4"]');
  await waitUntil(async () => (await reasons.count()) > 0, 'failure reasons under the run');
  const text = await textOf(reasons.first());
  log(`first failure reason: ${text}`);
  if (!/\d[\d,]* rows?( · [\d,]+ texts)?$/.test(text))
    throw new Error(`a failure reason row ends with its row count, got "${text}"`);
}

/** New Query, then Run Query from the palette: the results panel shows typed columns and the row count. */
async function runQueryFromPalette({ page, log }) {
  await runCommand(page, 'Sync Logs: New Query');
  await page
    .locator('.monaco-editor .view-lines', { hasText: 'sync_runs' })
    .first()
    .waitFor({ state: 'visible', timeout: 15_000 });
  await runCommand(page, 'Sync Logs: Run Query');
  const frame = webviewFrame(page);
  await frame.locator('body').waitFor({ state: 'attached', timeout: 30_000 });
  await waitUntil(
    async () =>
      /rows?/i.test(await textOf(frame.locator('body'))) && (await frame.locator('[role="gridcell"]').count()) > 0,
    'result rows in the results panel',
    60_000,
  );
  const body = await textOf(frame.locator('body'));
  log(`results panel: ${body.slice(0, 300)}`);
  if (!/sync_id/.test(body)) throw new Error('the results show the sync_id column');
  if (!/timestamptz|text|int8/.test(body)) throw new Error('the results show column types');
}

/** A failure text carrying markup is shown as text in the results, and no element is created from it. */
async function hostileTextStaysText({ page, log }) {
  await runCommand(page, 'Sync Logs: New Query');
  await typeIntoNewQuery(
    page,
    "select failure_reason from hightouch_audit.sync_changelog where failure_reason like '%<img%' limit 3",
    log,
  );
  await runCommand(page, 'Sync Logs: Run Query');
  const frame = webviewFrame(page);
  await waitUntil(
    async () => /<img/.test(await textOf(frame.locator('body'))),
    'the markup to appear as text in the results',
    60_000,
  );
  const imgs = await frame.locator('img').count();
  log(`img elements in the results webview: ${imgs}`);
  if (imgs !== 0) throw new Error(`markup from the warehouse became ${imgs} <img> element(s)`);
}

/**
 * The results grid in the real editor, over the real host: 20,000 rows of which the panel holds
 * the first 1,000 (syncLogs.maxResultRows), so a header click re-runs the query in the warehouse,
 * sorted; Ctrl+End to the last row; a range copied with Ctrl+C (the host writes VS Code's
 * clipboard and says so in the status bar); the quick filter, also run in the warehouse.
 */
async function resultsGrid({ page, log, shot }) {
  const sql = "select g as n, 'row-' || g as label from generate_series(1, 20000) as g";
  await runTypedQuery(page, sql, log);
  const frame = await findWebview(
    page,
    (want) =>
      (document.querySelector('details.sql pre')?.textContent ?? '') === want &&
      document.querySelector('[data-testid="row-count"]')?.textContent === '1,001',
    sql,
    'the first 1,000 rows of the 20,000-row result (at least 1,001: one more is read to know)',
    60_000,
  );
  const cell = (row, col) =>
    frame.locator(`[role="row"][aria-rowindex="${row + 2}"] [role="gridcell"][aria-colindex="${col + 2}"]`);
  const domRows = await frame.locator('[data-testid="grid"] [role="row"]').count();
  if (domRows > 100) throw new Error(`the grid drew ${domRows} rows of 20,000: it is not virtualized`);
  const head = frame.locator('[data-testid="grid"] .sg-colhead[data-column="0"] .sg-colhead-text');
  await head.click();
  await head.click();
  await waitUntil(
    async () => (await textOf(cell(0, 0)).catch(() => '')) === '20000',
    'the rows sorted by n, descending',
  );
  const status = () => textOf(frame.locator('[data-testid="grid-status"]'));
  log(`grid status: ${await status()}`);
  if (!/^sorted by n ↓, by the warehouse \(the query re-ran\) · 1,000 rows/.test(await status()))
    throw new Error(`grid status: ${await status()}`);
  await cell(0, 1).click();
  await page.keyboard.press('Control+End');
  await waitUntil(
    async () => (await textOf(cell(999, 1)).catch(() => '')) === 'row-19001',
    'the last row after Ctrl+End',
  );
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('Control+c');
  await page
    .locator('.statusbar', { hasText: 'Copied 3 rows × 2 columns as TSV' })
    .first()
    .waitFor({ timeout: 10_000 });
  await frame.locator('[data-testid="grid-quick-filter"]').fill('row-1999');
  await waitUntil(async () => /· 11 rows/.test(await status()), 'the quick filter leaving 11 rows', 30_000);
  if ((await textOf(cell(0, 1))) !== 'row-19999') throw new Error(`first filtered row: ${await textOf(cell(0, 1))}`);
  const width = await frame
    .locator('[data-testid="grid"] .sg-colhead[data-column="0"]')
    .evaluate((e) => e.scrollWidth - e.clientWidth);
  if (width > 0) throw new Error(`the n header overflows by ${width}px`);
  const cut = await cell(0, 0).evaluate((e) => e.scrollWidth > e.clientWidth);
  if (cut) throw new Error('the sorted ids are cut: the column did not widen for them');
  await shot('results-grid');
}

/**
 * Several statements selected and run: one tab each in the real panel, the failed one on screen and
 * the one after it not run; a result of about 3 MB, past the 1 MB budget the walk sets, read back
 * from its spool (Ctrl+End to its last row) and sorted by the warehouse; then Pin keeps the panel
 * and the next run opens a new one. The pinned panel is closed at the end.
 */
async function resultTabsSpoolPin({ page, log, shot }) {
  const wide = "select g as n, repeat('x', 3000) as wide from generate_series(1, 900) as g";
  const sql = `${wide}; select count(*) as runs from hightouch_audit.sync_runs; select * from no_such_table; select 4 as four`;
  await runCommand(page, 'Sync Logs: New Query');
  await page.locator('.monaco-editor .view-lines').first().waitFor({ state: 'visible', timeout: 15_000 });
  await typeIntoNewQuery(page, sql, log);
  await page.keyboard.press('Control+a');
  await runCommand(page, 'Sync Logs: Run Query');
  const frame = await findWebview(
    page,
    () =>
      document.querySelectorAll('[role="tab"]').length === 4 &&
      /not run/.test(document.querySelector('[data-testid="tab-4"]')?.textContent ?? ''),
    null,
    'four statement tabs, the last not run',
    90_000,
  );
  const tabText = async (i) => textOf(frame.locator(`[data-testid="tab-${i}"]`));
  const labels = [await tabText(1), await tabText(2), await tabText(3), await tabText(4)];
  log(`tabs: ${labels.join(' | ')}`);
  if (!/^1 select g as n.*900 rows$/.test(labels[0])) throw new Error(`tab 1: ${labels[0]}`);
  if (!/1 row$/.test(labels[1])) throw new Error(`tab 2: ${labels[1]}`);
  if (!/failed$/.test(labels[2])) throw new Error(`tab 3: ${labels[2]}`);
  const selected = await frame.locator('[role="tab"][aria-selected="true"]').getAttribute('data-testid');
  if (selected !== 'tab-3') throw new Error(`the failed statement is on screen, not ${selected}`);
  if (!/Query failed \(code 42P01\)/.test(await textOf(frame.locator('body'))))
    throw new Error('the failed tab shows the error with its code');
  await frame.locator('[data-testid="tab-1"]').click();
  await waitUntil(
    async () => /kept in a temporary file/.test(await textOf(frame.locator('body'))),
    'the first tab: its rows past the budget in a spool file',
  );
  const cell = (row, col) =>
    frame.locator(`[role="row"][aria-rowindex="${row + 2}"] [role="gridcell"][aria-colindex="${col + 2}"]`);
  await cell(0, 0).click();
  await page.keyboard.press('Control+End');
  await waitUntil(async () => (await textOf(cell(899, 0)).catch(() => '')) === '900', 'row 900 read from the spool');
  const head = frame.locator('[data-testid="grid"] .sg-colhead[data-column="0"] .sg-colhead-text');
  await head.click();
  await head.click();
  // The sort keeps the scroll position (at the bottom after Ctrl+End): back to the top to read it.
  await waitUntil(async () => (await textOf(cell(899, 0)).catch(() => '')) === '1', 'the last row, sorted');
  await cell(899, 0).click();
  await page.keyboard.press('Control+Home');
  await waitUntil(async () => (await textOf(cell(0, 0)).catch(() => '')) === '900', 'sorted by n, descending');
  const status = await textOf(frame.locator('[data-testid="grid-status"]'));
  log(`grid status: ${status}`);
  if (!/by the warehouse \(the query re-ran\)/.test(status))
    throw new Error(`a spooled result sorts in the warehouse, the status says: ${status}`);
  await shot('results-tabs');

  await frame.locator('[data-testid="pin"]').click();
  const pinnedTab = page.locator('.tabs-container .tab', { hasText: 'Sync Logs: Results (pinned)' });
  await pinnedTab.first().waitFor({ state: 'visible', timeout: 10_000 });
  const after = "select 'after the pin' as label";
  await runTypedQuery(page, after, log);
  await findWebview(
    page,
    (want) => (document.querySelector('details.sql pre')?.textContent ?? '') === want,
    after,
    'the run after the pin, in a new panel',
    60_000,
  );
  // The new panel opens as a tab beside the editor, over the pinned one: bring the pinned one back.
  await pinnedTab.first().click();
  const stillPinned = await findWebview(
    page,
    () => document.querySelectorAll('[role="tab"]').length === 4,
    null,
    'the pinned panel still showing its four tabs',
  );
  if (!stillPinned) throw new Error('the pinned panel lost its tabs');
  await pinnedTab.first().locator('.codicon-close, .tab-actions .action-label').first().click();
  await pinnedTab.first().waitFor({ state: 'detached', timeout: 10_000 });
}

/**
 * A run error that closes a code block with an indented fence and then holds an image (a
 * tracking pixel) and a link: the run's tooltip shows it all as text, builds no <img> or <a>,
 * and the page asks 127.0.0.1:9 for nothing. The error goes in through Run Query (the demo takes
 * writes), on the newest run of the sync the walk has open; only that run's error changes.
 */
async function hostileRunErrorTooltip({ page, log, shot }) {
  const pixel = 'https://127.0.0.1:9/pixel.png';
  // Backticks, brackets, parentheses and the newline as chr(): typed, the editor might pair or indent them.
  const [tick, nl, open, close, lp, rp] = [96, 10, 91, 93, 40, 41].map((c) => `chr(${c})`);
  const text = `'  ' || repeat(${tick}, 3) || ${nl} || '!' || ${open} || 'x' || ${close} || ${lp} || '${pixel}' || ${rp} || ' ' || ${open} || 'click' || ${close} || ${lp} || 'https://example.invalid' || ${rp}`;
  const newest =
    '(select sync_run_id from hightouch_audit.sync_runs where sync_id = r.sync_id order by started_at desc, sync_run_id desc limit 1)';
  const sql = `update hightouch_audit.sync_runs r set error = ${text} where r.model_name = '${ANALYSIS_SYNC}' and r.sync_run_id = ${newest}`;
  await runTypedQuery(page, sql, log);
  const frame = webviewFrame(page);
  await waitUntil(
    async () => /finished: 1 rows affected/.test(await textOf(frame.locator('body'))),
    'the run error to be set (1 row)',
    60_000,
  );

  const asked = [];
  const onRequest = (r) => {
    if (r.url().includes('127.0.0.1:9/') || r.url().includes('example.invalid')) asked.push(r.url());
  };
  page.on('request', onRequest);
  try {
    await runCommand(page, 'Sync Logs: Refresh');
    const sync = syncRow(page, ANALYSIS_SYNC);
    await sync.waitFor({ state: 'visible', timeout: 30_000 });
    await expand(sync);
    const run = viewTree(page, 'Syncs').locator('[role="treeitem"][aria-level="3"]').first();
    await run.waitFor({ state: 'visible', timeout: 30_000 });
    const hover = page.locator('.monaco-hover, .workbench-hover', { hasText: 'Run ID:' }).first();
    await waitUntil(
      async () => {
        await page.mouse.move(0, 0);
        await run.hover();
        await hover.waitFor({ state: 'visible', timeout: 3_000 });
        // Done once the error is drawn: as text, or (the defect) as an image or a link.
        return (await textOf(hover)).includes(pixel) || (await hover.locator('img, a').count()) > 0;
      },
      'the run tooltip showing the error',
      30_000,
    );
    const seen = await textOf(hover);
    log(`run tooltip: ${seen.slice(0, 300)}`);
    await shot('tooltip');
    const made = await hover.evaluate((e) => ({
      imgs: e.querySelectorAll('img').length,
      links: e.querySelectorAll('a').length,
    }));
    assert.deepEqual(made, { imgs: 0, links: 0 }, 'the hover holds no <img> and no <a>');
    assert.ok(seen.includes(`![x](${pixel}) [click](https://example.invalid)`), 'the error reads as written');
    await page.waitForTimeout(500);
    assert.deepEqual(asked, [], 'nothing in the tooltip was fetched');
  } finally {
    page.off('request', onRequest);
    await page.mouse.move(0, 0);
    await page.keyboard.press('Escape');
  }
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

// ---------------------------------------------------------------------------------------------
// The analysis panels (Error breakdown, Flapping rows, Row timeline, Model over time)

/**
 * The content frame of a webview whose document passes `test` (run inside the frame with `arg`).
 * Several webviews can be on screen at once (the results beside an analysis panel), so the
 * frame is picked by what it shows rather than by position; the frame is re-found after a reload.
 */
async function findWebview(page, test, arg, what, timeoutMs = 30_000) {
  let found;
  await waitUntil(
    async () => {
      for (const f of page.frames()) {
        if (f === page.mainFrame() || f.isDetached()) continue;
        if (await f.evaluate(test, arg).catch(() => false)) {
          found = f;
          return true;
        }
      }
      return false;
    },
    what,
    timeoutMs,
  );
  return found;
}

/** An analysis panel's frame, by its heading (PANEL_TITLES: "Error breakdown", ...). */
const analysisFrame = (page, title, timeoutMs) =>
  findWebview(
    page,
    (t) => document.querySelector('h1.panel-title')?.textContent === t,
    title,
    `the "${title}" panel`,
    timeoutMs,
  );

/** Waits until the panel's phase is `ready` (fails at once on error/empty/cancelled, with the reason). */
async function waitReady(frame, what, timeoutMs = 60_000) {
  const phase = frame.locator('[data-testid="phase"]');
  let last = '';
  await waitUntil(
    async () => {
      last = (await phase.getAttribute('data-phase', { timeout: 1_000 })) ?? '';
      return last === 'ready' || last === 'error' || last === 'empty' || last === 'cancelled';
    },
    `${what} to be ready`,
    timeoutMs,
  ).catch((err) => {
    throw new Error(`${err.message} (last phase "${last}")`);
  });
  if (last !== 'ready') throw new Error(`${what}: phase "${last}": ${await textOf(phase)}`);
}

/** Brings an open analysis panel to the front by its editor tab (it keeps its params). */
async function showTab(page, panelTitle) {
  const tab = page.locator('.tabs-container .tab', { hasText: `${panelTitle}:` }).first();
  await tab.waitFor({ state: 'visible', timeout: 10_000 });
  await tab.click();
  return analysisFrame(page, panelTitle);
}

/** A summary card's number (summary-<name>), as a number. */
async function summaryNumber(frame, name) {
  const text = await textOf(frame.locator(`[data-testid="summary-${name}"]`));
  const n = Number(text.replace(/[^\d.-]/g, ''));
  if (!/\d/.test(text) || !Number.isFinite(n)) throw new Error(`summary-${name} is not a number: "${text}"`);
  return n;
}

/** Right-click a tree row and choose a context-menu entry by its exact title. */
async function contextMenu(page, row, title) {
  await row.click({ button: 'right' });
  const item = page
    .locator('.monaco-menu .action-item', {
      has: page.locator('.action-label', { hasText: new RegExp(`^${escapeRe(title)}$`) }),
    })
    .first();
  await item.waitFor({ state: 'visible', timeout: 10_000 });
  await item.click();
  const menu = page.locator('.monaco-menu').first();
  // Seen in code-server: a click right after the menu opens (focus coming back from a webview)
  // can leave the menu open with the item highlighted; Enter then runs the highlighted item.
  const closed = await menu.waitFor({ state: 'hidden', timeout: 3_000 }).then(
    () => true,
    () => false,
  );
  if (!closed) {
    await item.hover();
    await page.keyboard.press('Enter');
    await menu.waitFor({ state: 'hidden', timeout: 10_000 });
  }
}

/** The sync id shown in a sync row's tooltip ("Sync ID: 48213"). */
async function syncIdFromTooltip(page, row) {
  const hover = page.locator('.monaco-hover, .workbench-hover', { hasText: 'Sync ID:' }).first();
  let id;
  await waitUntil(
    async () => {
      await page.mouse.move(0, 0);
      await row.hover();
      await hover.waitFor({ state: 'visible', timeout: 3_000 });
      id = /Sync ID:\s*(\S+)/.exec(await textOf(hover))?.[1];
      return !!id;
    },
    'the sync row tooltip with its Sync ID',
    30_000,
  );
  await page.mouse.move(0, 0);
  await page.keyboard.press('Escape');
  return id;
}

let queryCounter = 0;

/** The text of the editor that has the keyboard focus (null when focus is elsewhere); one line is all this reads reliably. */
const focusedEditorText = (page) =>
  page.evaluate(() => {
    const lines = document.activeElement?.closest('.monaco-editor')?.querySelector('.view-lines');
    return lines instanceof HTMLElement ? lines.innerText.replace(/\u00a0/g, ' ').trim() : null;
  });

/**
 * Replaces the text of the editor New Query just opened with `text` (one line), typed, and checks
 * that it landed as written. Once in CI, and sometimes here, Ctrl+A came before the new editor
 * was ready and the typing mixed with the starter query, so the run failed on two statements.
 */
/** New Query, `sql` typed over the starter text, then Run Query from the palette. */
async function runTypedQuery(page, sql, log) {
  await runCommand(page, 'Sync Logs: New Query');
  await page.locator('.monaco-editor .view-lines').first().waitFor({ state: 'visible', timeout: 15_000 });
  await typeIntoNewQuery(page, sql, log);
  await runCommand(page, 'Sync Logs: Run Query');
}

async function typeIntoNewQuery(page, text, log) {
  // The starter query has the focus: its first comment shows in the focused editor.
  await page.waitForFunction(
    () =>
      (document.activeElement?.closest('.monaco-editor')?.textContent ?? '')
        .replace(/\u00a0/g, ' ')
        .includes('Sync Logs query on the'),
    null,
    { timeout: 15_000 },
  );
  for (let attempt = 1; attempt <= 3; attempt++) {
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type(text, { delay: 0 });
    await page.keyboard.press('Escape'); // close a completion list, if one is open
    // Monaco renders on the next frames: give the text a moment to show before judging it.
    const landed = await page
      .waitForFunction(
        (want) => {
          const lines = document.activeElement?.closest('.monaco-editor')?.querySelector('.view-lines');
          return lines instanceof HTMLElement && lines.innerText.replace(/\u00a0/g, ' ').trim() === want;
        },
        text,
        { timeout: 3_000 },
      )
      .then(
        () => true,
        () => false,
      );
    if (landed) return;
    log(
      `the typed query did not land as written (attempt ${attempt}): ${JSON.stringify(await focusedEditorText(page))}`,
    );
  }
  throw new Error(`could not type into the editor: ${text}`);
}

/**
 * Runs one `select count(*) ...` through the UI (New Query, typed, Run Query) and reads the
 * number from the Results panel. The count column gets a unique alias, so the result read is
 * this query's and not a previous one's.
 */
async function countThroughResults(page, sqlAfterCount, log) {
  const alias = `walk_count_${++queryCounter}`;
  const sql = `select count(*) as ${alias} ${sqlAfterCount}`;
  await runTypedQuery(page, sql, log);
  const frame = await findWebview(
    page,
    (a) =>
      (document.querySelector('details.sql')?.textContent ?? '').includes(a) &&
      ([...document.querySelectorAll('.col-name')].some((e) => e.textContent === a) ||
        !!document.querySelector('.box.error[role="alert"]')),
    alias,
    `the results of "${sql}"`,
    60_000,
  );
  const failed = frame.locator('.box.error[role="alert"]');
  if (await failed.count()) throw new Error(`the query failed: ${await textOf(failed)}\n  SQL: ${sql}`);
  const cell = frame.locator('[role="row"][aria-rowindex="2"] [role="gridcell"]').first();
  const text = await textOf(cell);
  const n = Number(text.replace(/[^\d]/g, ''));
  if (!/^\d[\d,.\s]*$/.test(text)) throw new Error(`the count cell reads "${text}" (SQL: ${sql})`);
  log(`${sql} -> ${n}`);
  return n;
}

const syncRow = (page, label) =>
  viewTree(page, 'Syncs')
    .locator('[role="treeitem"][aria-level="2"]', {
      has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRe(label)}$`) }),
    })
    .first();

/** The sync the analysis steps look at: the demo's busiest, which also has the hostile-name row. */
const ANALYSIS_SYNC = 'Active customers';

/** Error Breakdown from the tree's context menu, widened to all runs: its failure total equals a count through the Results panel. */
async function breakdownFromContextMenu({ page, state, log, shot }) {
  const row = syncRow(page, ANALYSIS_SYNC);
  await row.scrollIntoViewIfNeeded();
  const syncId = await syncIdFromTooltip(page, row);
  assert.match(syncId, /^\d+$/, `the tooltip's sync id "${syncId}" is numeric in the demo`);
  log(`"${ANALYSIS_SYNC}" is sync ${syncId} (from its tooltip)`);
  state.syncId = syncId;

  await contextMenu(page, row, 'Error Breakdown');
  let frame = await analysisFrame(page, 'Error breakdown');
  await waitReady(frame, 'the error breakdown');
  const scopeValue = await frame.locator('[data-testid="scope-select"]').inputValue();
  assert.equal(scopeValue, syncId, 'the breakdown is scoped to the right-clicked sync');
  const windowSelect = frame.locator('[data-testid="window-select"]');
  assert.equal(await windowSelect.inputValue(), '30', 'the breakdown opens on the last 30 days');
  const windowTotal = await summaryNumber(frame, 'total-failures');

  // All runs: the panel reloads with new params; wait for the scope line to say so and for ready.
  await windowSelect.selectOption({ label: 'All runs' });
  await waitUntil(
    async () => /All runs/.test(await textOf(frame.locator('[data-testid="scope"]'))),
    'the breakdown scope to say "All runs"',
  );
  await waitReady(frame, 'the breakdown over all runs');
  const total = await summaryNumber(frame, 'total-failures');
  log(`failures: ${windowTotal} in the last 30 days, ${total} over all runs`);
  assert.ok(total > 0, 'the busiest demo sync has failures');
  assert.ok(total >= windowTotal, `all runs (${total}) hold at least the last 30 days (${windowTotal})`);

  const unexpected = frame.locator('[data-testid="unexpected-section"]');
  await unexpected.waitFor({ state: 'visible', timeout: 10_000 });
  const chart = frame.locator('[data-testid="chart-section"]');
  await waitUntil(
    async () => (await chart.getAttribute('data-phase')) === 'ready',
    'the breakdown chart to be ready',
    60_000,
  );
  const canvas = frame.locator('canvas[data-testid="breakdown-chart"]');
  await waitUntil(async () => {
    const size = await canvas.evaluate((c) => ({ w: c.width, h: c.height, cw: c.clientWidth, ch: c.clientHeight }));
    return size.w > 0 && size.h > 0 && size.cw > 0 && size.ch > 0;
  }, 'the breakdown chart canvas to have a size');
  const painted = await canvas.evaluate((c) => {
    const d = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data;
    if (!d) return 0;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) n++;
    return n;
  });
  assert.ok(painted > 0, 'the chart canvas has painted pixels');
  await shot('all-runs');

  const counted = await countThroughResults(
    page,
    `from hightouch_audit.sync_changelog where sync_id = '${syncId}' and status = 'failed'`,
    log,
  );
  assert.equal(
    total,
    counted,
    `the breakdown's failures over all runs (${total}) equal count(*) of failed changelog rows (${counted})`,
  );
  // Back to the panel for the next step (the query editor may have taken its place): by its tab,
  // so it comes back as it was (all runs), from the state the extension replays.
  frame = await showTab(page, 'Error breakdown');
  await waitReady(frame, 'the error breakdown again');
  assert.match(
    await textOf(frame.locator('[data-testid="scope"]')),
    /All runs/,
    'the breakdown comes back with the window it had',
  );
}

/** The markup in a failure text (a signup form's first name) is text in the breakdown, and no element. */
async function breakdownHostileText({ page, log, shot }) {
  const frame = await analysisFrame(page, 'Error breakdown');
  await waitReady(frame, 'the error breakdown');
  const windowSelect = frame.locator('[data-testid="window-select"]');
  if ((await windowSelect.inputValue()) !== '') {
    await windowSelect.selectOption({ label: 'All runs' });
    await waitUntil(
      async () => /All runs/.test(await textOf(frame.locator('[data-testid="scope"]'))),
      'the breakdown scope to say "All runs"',
    );
    await waitReady(frame, 'the breakdown over all runs');
  }
  const markup = '<img src=x onerror=alert(1)>';
  const template = frame.locator('[data-testid="templates-table"] tr[data-key]', { hasText: markup }).first();
  await template.waitFor({ state: 'attached', timeout: 15_000 });
  const key = await template.getAttribute('data-key');
  log(`template with markup: ${key}`);
  // Drill down: the failed rows of that template, each with its full failure text.
  await template.locator('td').nth(2).click();
  const drill = frame.locator('[data-testid="drill"]');
  await waitUntil(
    async () => (await drill.getAttribute('data-phase')) === 'ready',
    'the drill-down of the template',
    60_000,
  );
  const inSummary = template.locator('summary', { hasText: markup });
  assert.equal(await inSummary.count(), 1, 'the template line shows the markup as text');
  const failureCell = frame.locator('[data-testid="drill-table"] td.failure-cell', { hasText: markup }).first();
  await failureCell.scrollIntoViewIfNeeded();
  assert.ok(await failureCell.isVisible(), 'a drill-down row shows the failure text with the markup');
  const imgs = await frame.evaluate(() => document.querySelectorAll('img').length);
  // (VS Code injects one inline script of its own into every webview: look for ours by content.)
  const injected = await frame.evaluate(
    () =>
      [...document.querySelectorAll('script, [onerror]')].filter(
        (e) => e.hasAttribute('onerror') || /alert\(/.test(e.textContent ?? ''),
      ).length,
  );
  log(`img elements in the breakdown: ${imgs}; script/onerror elements from the data: ${injected}`);
  assert.equal(imgs, 0, 'no <img> element was created from warehouse text');
  assert.equal(injected, 0, 'no <script> or onerror element was created from warehouse text');
  await shot('drill');
}

/** Flapping Rows from the context menu; its top row opens a Row Timeline with events. */
async function flappingToTimeline({ page, state, log, shot }) {
  const row = syncRow(page, ANALYSIS_SYNC);
  await contextMenu(page, row, 'Flapping Rows');
  const frame = await analysisFrame(page, 'Flapping rows');
  await waitReady(frame, 'the flapping rows');
  const rows = frame.locator('[data-testid="flapping-table"] tbody tr[data-key]');
  await waitUntil(async () => (await rows.count()) > 0, 'rows in the flapping table');
  const first = rows.first();
  const rowId = await first.getAttribute('data-key');
  const ops = Number((await textOf(first.locator('td').nth(1))).replace(/[^\d]/g, ''));
  log(`${await rows.count()} flapping rows; first ${rowId} with ${ops} operations`);
  assert.ok(ops > 0, `the first row's operations is a positive number (got ${ops})`);
  const shownRows = await summaryNumber(frame, 'rows-shown');
  assert.equal(shownRows, await rows.count(), 'summary-rows-shown matches the table');
  await shot('flapping');

  await first.locator('td').first().locator('button').click();
  const timeline = await analysisFrame(page, 'Row timeline');
  await waitUntil(
    async () => (await timeline.locator('[data-testid="row-input"]').inputValue()) === rowId,
    `the timeline of row ${rowId}`,
  );
  await waitReady(timeline, 'the row timeline');
  const events = timeline.locator('[data-testid="timeline-events"] li.event');
  await waitUntil(async () => (await events.count()) > 0, 'events in the row timeline');
  const n = await summaryNumber(timeline, 'events');
  log(`row timeline of ${rowId}: ${n} operations, ${await events.count()} drawn`);
  assert.equal(n, await events.count(), 'summary-events matches the events drawn');
  assert.ok(n >= ops, `the timeline (all time, ${n}) has at least the row's operations in the 30-day window (${ops})`);
  state.timelineRowId = rowId;
  await shot('timeline');
}

/**
 * The on-call path: Sync Health from the view's title bar; its first line (the worst sync) is
 * failing, and its rows failing now and stuck rows equal independent counts through the Results
 * panel; its stuck-rows figure opens Flapping Rows at the Stuck rows section, and a stuck row opens
 * a timeline whose repeated failures are folded into one entry.
 */
async function healthToStuckTimeline({ page, log, shot }) {
  await runCommand(page, 'Sync Logs: Open Sync Health');
  let frame = await analysisFrame(page, 'Sync health');
  await waitReady(frame, 'the sync health overview');
  const first = frame.locator('[data-testid="health-table"] tbody tr[data-key]').first();
  const syncId = await first.getAttribute('data-key');
  const stateLabel = await textOf(first.locator('[data-testid="state"]'));
  const number = async (testid) =>
    Number((await textOf(first.locator(`[data-testid="${testid}"]`))).replace(/[^\d]/g, ''));
  const failingNow = await number('failing-now');
  const stuck = await number('stuck');
  log(`worst sync ${syncId}: ${stateLabel}, ${failingNow} rows failing now, ${stuck} stuck rows`);
  assert.match(stateLabel, /failing/i, 'the worst sync of the demo is failing');
  await shot('health');

  const failingCounted = await countThroughResults(
    page,
    `from (select distinct row_id from hightouch_audit.sync_snapshot where sync_id = '${syncId}' and status = 'failed') f`,
    log,
  );
  assert.equal(failingNow, failingCounted, "rows failing now equal the snapshot's failed rows");
  // Stuck: the row's latest 3 operations (by run start) all failed.
  const latest = `select c.row_id, c.status, row_number() over (partition by c.row_id order by r.started_at desc, c.sync_run_id desc) as rn from hightouch_audit.sync_changelog c join hightouch_audit.sync_runs r on r.sync_run_id = c.sync_run_id where c.sync_id = '${syncId}'`;
  const stuckCounted = await countThroughResults(
    page,
    `from (select row_id from (${latest}) t where rn <= 3 group by row_id having count(*) = 3 and sum(case when status = 'failed' then 1 else 0 end) = 3) s`,
    log,
  );
  assert.equal(stuck, stuckCounted, 'stuck rows equal an independent count of rows whose latest 3 operations failed');

  frame = await showTab(page, 'Sync health');
  await frame
    .locator('[data-testid="health-table"] tbody tr[data-key]')
    .first()
    .locator('[data-testid="stuck"]')
    .click();
  const flapping = await analysisFrame(page, 'Flapping rows');
  await waitReady(flapping, 'the flapping rows of the worst sync');
  const stuckRows = flapping.locator('[data-testid="stuck-table"] tbody tr[data-key]');
  await waitUntil(async () => (await stuckRows.count()) > 0, 'rows in the Stuck rows section');
  const section = flapping.locator('[data-testid="stuck-section"]');
  assert.ok(
    await section.evaluate((e) => {
      const r = e.getBoundingClientRect();
      return r.top < window.innerHeight && r.bottom > 0;
    }),
    'the Stuck rows section is scrolled into view',
  );
  log(`stuck section: ${await textOf(flapping.locator('[data-testid="stuck-count"]'))}`);
  await shot('stuck');

  const rowId = await stuckRows.first().getAttribute('data-key');
  const streak = Number((await textOf(stuckRows.first().locator('td').nth(1))).replace(/[^\d]/g, ''));
  await stuckRows.first().locator('td').first().locator('button').click();
  const timeline = await analysisFrame(page, 'Row timeline');
  await waitUntil(
    async () => (await timeline.locator('[data-testid="row-input"]').inputValue()) === rowId,
    `the timeline of row ${rowId}`,
  );
  await waitReady(timeline, 'the row timeline of a stuck row');
  const folded = timeline.locator('[data-testid="timeline-entry"]').first();
  await folded.waitFor({ state: 'visible', timeout: 15_000 });
  const count = Number(await folded.getAttribute('data-count'));
  const text = await textOf(folded.locator('[data-testid="entry-count"]'));
  log(`timeline of ${rowId}: first folded entry "${text}" (${count} operations); streak ${streak}`);
  assert.match(text, /failed \d[\d,]* times/, 'the folded entry says how many times it failed');
  assert.ok(
    count >= Math.min(streak, 3),
    `the folded entry holds the streak's failures (${count} >= ${Math.min(streak, 3)})`,
  );
  await shot('timeline');
}

/**
 * Explain Run on the newest run of the analysis sync: its waterfalls add up to the run's operations
 * and failures counted through the Results panel, and the Failed bar lists that many rows.
 */
async function runExplained({ page, state, log, shot }) {
  const run = viewTree(page, 'Syncs').locator('[role="treeitem"][aria-level="3"]').first();
  await run.scrollIntoViewIfNeeded();
  log(`explaining ${await textOf(run.locator('.label-name'))}`);
  await contextMenu(page, run, 'Explain Run');
  const frame = await analysisFrame(page, 'Run explained');
  await waitReady(frame, 'the run explained');
  const sum = async (kind) => {
    const values = await frame
      .locator(`[data-testid="waterfalls"] [data-testid="bar-${kind}"] .bar-value`)
      .allTextContents();
    return values.reduce((t, v) => t + Number(v.replace(/[^\d]/g, '')), 0);
  };
  const planned = await sum('planned');
  const failed = await sum('failed');
  log(`waterfalls: ${planned} planned, ${failed} failed`);
  const newest = `(select sync_run_id from hightouch_audit.sync_runs where sync_id = '${state.syncId}' order by started_at desc, sync_run_id desc limit 1)`;
  assert.equal(
    planned,
    await countThroughResults(page, `from hightouch_audit.sync_changelog where sync_run_id = ${newest}`, log),
    "planned = the run's operations",
  );
  assert.equal(
    failed,
    await countThroughResults(
      page,
      `from hightouch_audit.sync_changelog where sync_run_id = ${newest} and status = 'failed'`,
      log,
    ),
    "failed = the run's failed operations",
  );
  // Hidden behind the Results panel, the webview was rebuilt: find it again.
  const again = await showTab(page, 'Run explained');
  await waitReady(again, 'the run explained, shown again');
  if (failed > 0) {
    const bar = again
      .locator('[data-testid="waterfalls"] [data-testid="bar-failed"] button.bar-fill:not([disabled])')
      .first();
    await bar.click();
    const listed = again.locator('[data-testid="run-rows-table"] tbody tr[data-key]');
    await waitUntil(async () => (await listed.count()) > 0, 'the failed rows of the bar');
    const n = await listed.count();
    log(`failed bar lists: ${await textOf(again.locator('[data-testid="run-rows-count"]'))}`);
    const value = Number(
      (
        await textOf(
          again
            .locator('[data-testid="waterfalls"] [data-testid="bar-failed"]', {
              has: again.locator('button.bar-fill:not([disabled])'),
            })
            .first()
            .locator('.bar-value'),
        )
      ).replace(/[^\d]/g, ''),
    );
    assert.equal(n, value, 'the Failed bar lists as many rows as it counts');
  }
  const last = await showTab(page, 'Run explained');
  await waitReady(last, 'the run explained, shown again');
  log(`against the previous run: ${await textOf(last.locator('[data-testid="comparison"]'))}`.slice(0, 300));
  await shot('run');
}

/** Model Over Time from the context menu: rows in the model now equal the sync's snapshot rows. */
async function modelOverTime({ page, state, log, shot }) {
  const row = syncRow(page, ANALYSIS_SYNC);
  await contextMenu(page, row, 'Model Over Time');
  let frame = await analysisFrame(page, 'Model over time');
  await waitReady(frame, 'the model over time');
  const membership = await summaryNumber(frame, 'membership');
  log(`rows in the model now: ${membership}`);
  assert.ok(membership > 0, `summary-membership is positive (got ${membership})`);
  const canvas = frame.locator('canvas[data-testid="model-chart"]');
  assert.ok(await canvas.evaluate((c) => c.width > 0 && c.height > 0), 'the model chart canvas has a size');
  await shot('model');
  const counted = await countThroughResults(
    page,
    `from hightouch_audit.sync_snapshot where sync_id = '${state.syncId}'`,
    log,
  );
  assert.equal(
    membership,
    counted,
    `rows in the model now (${membership}) equal count(*) of the sync's snapshot (${counted})`,
  );
  // Leave the model panel on screen for the reload.
  frame = await showTab(page, 'Model over time');
  await waitReady(frame, 'the model over time again');
  state.membership = membership;
}

/**
 * After Developer: Reload Window, the open analysis panel is restored and loads again.
 *
 * Opt-in (`--reload`): flaky here. In about 1 run in 5 the restored "Model over time" tab stays
 * blank: its webview's inner frame is still VS Code's `pending-frame` (fake.html, empty body)
 * after 60-90 s, i.e. no HTML was ever set, while the Results panel beside it is restored every
 * time; the extension's log shows no error. The other runs restore it and reach ready in 3-9 s.
 */
async function reloadRestoresPanel({ page, state, log }) {
  const consoleErrors = [];
  const onConsole = (m) => {
    if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(`${m.type()}: ${m.text().slice(0, 300)}`);
  };
  page.on('console', onConsole);
  try {
    await reloadAndCheck({ page, state, log });
  } catch (err) {
    throw new Error(
      `${err.message}\nworkbench console errors/warnings since the reload:\n  ${consoleErrors.slice(-15).join('\n  ') || '(none)'}`,
    );
  } finally {
    page.off('console', onConsole);
  }
}

async function reloadAndCheck({ page, state, log }) {
  const before = await analysisFrame(page, 'Model over time');
  await before.evaluate(() => (window.__walkMarker = 1)); // gone once the frame is a new one
  await runCommand(page, 'Developer: Reload Window');
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  const t = Date.now();
  const after = await findWebview(
    page,
    (title) => document.querySelector('h1.panel-title')?.textContent === title && window.__walkMarker === undefined,
    'Model over time',
    'the Model over time panel restored after the reload',
    60_000,
  ).catch(async (err) => {
    // What the page holds instead: every frame's address and the start of its text.
    const frames = [];
    for (const f of page.frames()) {
      const text = await f
        .evaluate(
          () => `${document.readyState} ${document.body?.innerText.slice(0, 80).replace(/\s+/g, ' ') ?? '(no body)'}`,
        )
        .catch((e) => `(${String(e).slice(0, 60)})`);
      frames.push(`${f.name() || '-'} ${f.url().slice(0, 140)} :: ${text}`);
    }
    const webviews = await page.locator('iframe.webview').count();
    throw new Error(`${err.message}\n${webviews} iframe.webview elements; frames:\n  ${frames.join('\n  ')}`);
  });
  await waitReady(after, 'the restored model over time', 90_000);
  const membership = await summaryNumber(after, 'membership');
  log(`restored and ready ${formatMs(Date.now() - t)} after the reload; membership ${membership}`);
  assert.equal(membership, state.membership, 'the restored panel shows the same sync');
  const tab = page.locator('.tabs-container .tab', { hasText: 'Model over time' });
  assert.ok((await tab.count()) > 0, 'the restored panel has its tab');
}

/**
 * A theme change reaches the webview (body class and colors), then the first theme comes back.
 * code-server starts in a light theme here (headless Chromium prefers light); the walk switches
 * to the other kind and back, whichever it starts in, and screenshots the panel in both.
 */
async function themeSwitch({ page, log, shot }) {
  const frame = await analysisFrame(page, 'Model over time');
  await waitReady(frame, 'the model over time');
  const bodyClass = () => frame.evaluate(() => document.body.className);
  const bg = () => frame.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const firstClass = await bodyClass();
  const firstBg = await bg();
  const startsLight = /vscode-light/.test(firstClass);
  assert.ok(
    startsLight || /vscode-dark/.test(firstClass),
    `the webview body has a theme kind class, got "${firstClass}"`,
  );
  const input = page.locator('.quick-input-widget input.input');
  const rows = page.locator('.quick-input-widget .monaco-list-row');
  /** Picks a theme by its name; returns the name of the theme that was current. */
  const pickTheme = async (name) => {
    await runCommand(page, 'Preferences: Color Theme');
    await waitUntil(
      async () =>
        (await rows.filter({ hasText: /Light/ }).count()) > 0 && (await rows.filter({ hasText: /Dark/ }).count()) > 0,
      'the theme list',
      15_000,
    ).catch(async (err) => {
      throw new Error(`${err.message}; the quick input shows: ${await textOf(page.locator('.quick-input-widget'))}`);
    });
    const current = await textOf(page.locator('.quick-input-widget .monaco-list-row.focused .label-name').first());
    await input.fill(name);
    await rows.filter({ hasText: name }).first().waitFor({ state: 'visible', timeout: 10_000 });
    await input.press('Enter');
    await input.waitFor({ state: 'hidden', timeout: 10_000 });
    return current;
  };
  const other = startsLight ? 'Dark Modern' : 'Light Modern';
  const original = await pickTheme(other);
  log(`theme "${original}" (${firstClass}, ${firstBg}) -> "${other}"`);
  const otherKind = startsLight ? /vscode-dark/ : /vscode-light/;
  await waitUntil(async () => otherKind.test(await bodyClass()), `the webview body to follow "${other}"`);
  await waitUntil(async () => (await bg()) !== firstBg, 'the webview background to change');
  const chart = frame.locator('canvas[data-testid="model-chart"]');
  assert.ok(
    await chart.evaluate((c) => c.width > 0 && c.height > 0),
    'the chart is still drawn after the theme change',
  );
  log(`webview body now "${await bodyClass()}", background ${await bg()}`);
  await shot(startsLight ? 'dark' : 'light');
  assert.ok(original, 'the theme picker showed the current theme');
  await pickTheme(original);
  await waitUntil(
    async () => (await bodyClass()) === firstClass && (await bg()) === firstBg,
    `the webview back in "${original}"`,
  );
  await shot(startsLight ? 'light' : 'dark');
}

/**
 * A sync-log notebook of the workspace, run in the real editor: the first cell's result in the
 * output renderer's grid (rows there, a header click sorts them), the second cell's magic comment
 * draws a bar chart with pixels on it, and its Table shows the same statuses. The notebook's kernel
 * is the active connection's, chosen without asking.
 */
async function notebookOutputs({ page, log, shot }) {
  // The notebook gets the whole editor area: in a narrow group its toolbar folds Run All away.
  // The earlier steps' untitled queries are closed without saving.
  await runCommand(page, 'View: Close All Editors');
  const dontSave = page.locator('.monaco-dialog-box .monaco-button', { hasText: "Don't Save" });
  if (
    await dontSave.waitFor({ state: 'visible', timeout: 5_000 }).then(
      () => true,
      () => false,
    )
  )
    await dontSave.click();
  await page.keyboard.press('Control+p');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 5_000 });
  await input.fill('investigate.synclogs.sql');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'investigate.synclogs.sql' }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.notebook-editor >> visible=true').first().waitFor({ state: 'visible', timeout: 30_000 });
  // The notebook toolbar's Run All (the palette lists it under another name in each VS Code).
  await page
    .locator('.notebook-toolbar-container .action-item >> visible=true', { hasText: 'Run All' })
    .first()
    .click();
  const frame = await findWebview(
    page,
    () =>
      document.querySelectorAll('[data-testid="nb-output"]').length >= 2 &&
      document.querySelector('[data-testid="grid"] [role="gridcell"]') !== null &&
      document.querySelector('canvas[data-testid="nb-chart"]') !== null,
    null,
    'the grid and the chart in the notebook outputs',
    90_000,
  );
  const summary = await textOf(frame.locator('[data-testid="nb-summary"]').first());
  log(`first output: ${summary}`);
  if (!/^\d+ rows? in /.test(summary)) throw new Error(`the grid output says its rows: ${summary}`);
  const runsOf = () =>
    frame.evaluate(() =>
      [...document.querySelectorAll('[data-testid="grid"] [role="row"]')]
        .map((r) => r.querySelector('[role="gridcell"][aria-colindex="5"]')?.textContent)
        .filter((t) => t)
        .map(Number),
    );
  const before = await runsOf();
  if (before.length < 2) throw new Error(`rows in the grid output: ${before.length}`);
  const head = frame.locator('[data-testid="grid"] .sg-colhead[data-column="3"] .sg-colhead-text');
  await head.click();
  await head.click();
  const max = Math.max(...before);
  await waitUntil(async () => (await runsOf())[0] === max, `the runs column sorted descending (${max} first)`);
  // Keys reach the grid inside the output: a range selected with the mouse, copied with Ctrl+C.
  const cell = (row, col) =>
    frame.locator(`[role="row"][aria-rowindex="${row + 2}"] [role="gridcell"][aria-colindex="${col + 2}"]`).first();
  await cell(0, 0).click();
  await cell(2, 1).click({ modifiers: ['Shift'] });
  await page.keyboard.press('Control+c');
  await waitUntil(
    async () =>
      /Copied 3 rows × 2 columns as TSV/.test(await textOf(frame.locator('[data-testid="grid-status"]').first())),
    'the copy said in the output grid',
  );
  const inked = await frame.evaluate(() => {
    const c = document.querySelector('canvas[data-testid="nb-chart"]');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return { n, w: c.width, h: c.height };
  });
  log(`chart canvas ${inked.w}x${inked.h}, ${inked.n} pixels drawn`);
  if (inked.n < 1000) throw new Error(`the chart drew ${inked.n} pixels`);
  await frame.locator('[data-testid="nb-chart-table-toggle"]').click();
  const table = await textOf(frame.locator('[data-testid="nb-chart-table-table"]'));
  if (!/succeeded/.test(table) || !/failed/.test(table)) throw new Error(`the chart's table: ${table.slice(0, 200)}`);
  await shot('notebook');
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
  ['the results grid: sort, keys, copy, filter', resultsGrid],
  ['several statements in tabs, a spooled result, and a pinned panel', resultTabsSpoolPin],
  ['a run error with a fence, an image and a link: its tooltip shows text only', hostileRunErrorTooltip],
  ['Add Connection: the real form, and a refused connection explained before saving', addConnectionForm],
  ['Error Breakdown from the context menu: all runs equal a count in the Results panel', breakdownFromContextMenu],
  ['Error Breakdown: markup in a failure text stays text', breakdownHostileText],
  ['Flapping Rows from the context menu, then a Row Timeline', flappingToTimeline],
  ['Model Over Time from the context menu: membership equals the snapshot count', modelOverTime],
  ['Color theme: the panel follows a light/dark switch, and back', themeSwitch],
  ['Sync Health: the worst sync checked against SQL, then its Stuck rows and a folded timeline', healthToStuckTimeline],
  ['Explain Run from a run in the tree: the waterfalls equal counts in the Results panel', runExplained],
  ['a sync-log notebook: a result in the output grid, sorted, and a chart from a magic comment', notebookOutputs],
];

// ---------------------------------------------------------------------------------------------
// Runner

const slug = (s) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);

/** Steps left out unless asked for (they are flaky in code-server), each placed after the step it follows. */
export const optionalSteps = {
  reload: {
    after: modelOverTime,
    step: ['Reload Window: the analysis panel is restored and loads', reloadRestoresPanel],
  },
};

export async function walk({ vsix, maxSteps, keep = false, stepTimeoutMs = 120_000, optional = [] } = {}) {
  const all = [...steps];
  for (const name of optional) {
    const o = optionalSteps[name];
    if (!o) throw new Error(`unknown optional step "${name}"; known: ${Object.keys(optionalSteps).join(', ')}`);
    all.splice(all.findIndex(([, fn]) => fn === o.after) + 1, 0, o.step);
  }
  const started = Date.now();
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const wb = await startWorkbench({
    name: 'ui',
    devExtension: !vsix,
    vsix,
    log: (l) => console.log(l),
    // A 1 MB budget, so a few megabytes of rows spool to disk (resultTabsSpoolPin); other results are far smaller.
    settings: { 'syncLogs.resultMemoryBudgetMB': 1 },
  });
  console.log(
    `[ui] workbench at ${wb.server.url} (${vsix ? `installed ${vsix}` : 'development extension from the repo'}; server ${formatMs(wb.timings.serverStart)}, page ${formatMs(wb.timings.pageLoad)})`,
  );
  const { page } = wb;
  const consoleErrors = [];
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  const counts = { passed: 0, failed: 0, skipped: 0 };
  const state = {};
  const chosen = all.slice(0, maxSteps ?? all.length);
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
        console.log(
          `  ✘ ${name} (${formatMs(Date.now() - t)})\n      ${String(err?.message ?? err)
            .split('\n')
            .join('\n      ')}`,
        );
        await page.screenshot({ path: `${base}-FAILED.png` }).catch(() => {});
        const text = await page
          .evaluate(() => document.body?.innerText ?? '')
          .catch((e) => `could not read the page: ${e}`);
        writeFileSync(`${base}-FAILED.txt`, `${text}\n\n--- page errors ---\n${consoleErrors.join('\n')}\n`);
        // The extension host's and the workbench's logs (the run folder is removed at exit).
        try {
          cpSync(join(wb.layout.userData, 'logs'), `${base}-FAILED-logs`, { recursive: true });
        } catch {
          // no logs written yet
        }
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
      optional: args.includes('--reload') ? ['reload'] : [],
    });
    const total = counts.passed + counts.failed;
    console.log(
      `ui: ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`,
    );
    process.exit(counts.failed || total === 0 ? 1 : 0);
  } catch (err) {
    console.error(err instanceof SystemError ? err.message : (err?.stack ?? err));
    console.log('ui: 0 passed, 1 failed');
    process.exit(1);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
