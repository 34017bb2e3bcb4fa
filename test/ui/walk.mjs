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

/** The demo data set's model names (read from its catalog), or failing that the "Demo" connection. */
function demoLabel() {
  let names = [];
  try {
    const src = readFileSync(join(repoRoot, 'src', 'demo', 'catalog.ts'), 'utf8');
    names = [...src.matchAll(/modelName:\s*'([^']+)'/g)].map((m) => escapeRe(m[1]));
  } catch {
    // no catalog: the connection row is enough
  }
  return new RegExp(`^(Demo${names.length ? `|${names.join('|')}` : ''})$`);
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
  const rows = treeItems(page, 'Syncs', demoLabel());
  await waitUntil(async () => (await rows.count()) > 0, 'a "Demo" connection row or a demo sync row in the Syncs view', 90_000);
  const labels = await treeLabels(page, 'Syncs');
  log(`Syncs view rows: ${labels.slice(0, 8).join(' | ')}`);
  state.treeLabels = labels;
}

/** The walk, in order. Add yours at the end (or where it belongs), one line each. */
export const steps = [
  ['the workbench loads', workbenchLoads],
  ['open the Sync Logs container', openSyncLogs],
  ['the Syncs view shows the Demo connection or a demo sync', syncsShowDemo],
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
