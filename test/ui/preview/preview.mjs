// Preview of the four analysis webviews without VS Code: serves dist/webview/*.js|css on
// 127.0.0.1, opens each panel in Chromium (playwright-core) under the same CSP as
// renderWebviewHtml (scripts by nonce only), fakes acquireVsCodeApi, posts realistic host
// messages, checks what the page shows and posts, and saves screenshots for a light and a dark
// theme in test-output/preview/<panel>-<theme>.png.
//
//   node esbuild.mjs && node test/ui/preview/preview.mjs [--panel breakdown] [--headed]
//
// Prints "preview: N passed, N failed" and exits 1 on a failure.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../../scripts/lib/system.mjs';
import { launchBrowser } from '../../../scripts/lib/browser.mjs';
import { BIDI, fixtures, XSS } from './fixtures.mjs';

const outDir = join(repoRoot, 'test-output', 'preview');
const distDir = join(repoRoot, 'dist', 'webview');
const argv = process.argv.slice(2);
const only = argv.includes('--panel') ? argv[argv.indexOf('--panel') + 1] : undefined;

const THEMES = {
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      '--vscode-font-family': 'system-ui, "Segoe UI", Ubuntu, sans-serif',
      '--vscode-font-size': '13px',
      '--vscode-font-weight': 'normal',
      '--vscode-editor-font-family': '"DejaVu Sans Mono", monospace',
      '--vscode-editor-font-size': '12px',
      '--vscode-foreground': '#cccccc',
      '--vscode-descriptionForeground': '#9d9d9d',
      '--vscode-editor-background': '#1f1f1f',
      '--vscode-sideBar-background': '#181818',
      '--vscode-panel-border': '#2b2b2b',
      '--vscode-widget-border': '#313131',
      '--vscode-focusBorder': '#0078d4',
      '--vscode-errorForeground': '#f85149',
      '--vscode-editorWarning-foreground': '#cca700',
      '--vscode-textLink-foreground': '#4daafc',
      '--vscode-textLink-activeForeground': '#4daafc',
      '--vscode-textCodeBlock-background': '#2b2b2b',
      '--vscode-textBlockQuote-background': '#2b2b2b',
      '--vscode-badge-background': '#616161',
      '--vscode-badge-foreground': '#f8f8f8',
      '--vscode-button-background': '#0078d4',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-hoverBackground': '#026ec1',
      '--vscode-button-secondaryBackground': '#313131',
      '--vscode-button-secondaryForeground': '#cccccc',
      '--vscode-button-secondaryHoverBackground': '#3c3c3c',
      '--vscode-dropdown-background': '#313131',
      '--vscode-dropdown-foreground': '#cccccc',
      '--vscode-dropdown-border': '#3c3c3c',
      '--vscode-input-background': '#313131',
      '--vscode-input-foreground': '#cccccc',
      '--vscode-input-border': '#3c3c3c',
      '--vscode-input-placeholderForeground': '#989898',
      '--vscode-list-hoverBackground': '#2a2d2e',
      '--vscode-list-inactiveSelectionBackground': '#37373d',
      '--vscode-inputValidation-errorBackground': '#5a1d1d',
      '--vscode-inputValidation-errorBorder': '#be1100',
      '--vscode-inputValidation-warningBackground': '#352a05',
      '--vscode-notificationsInfoIcon-foreground': '#3794ff',
      '--vscode-charts-red': '#f14c4c',
      '--vscode-charts-blue': '#3794ff',
      '--vscode-charts-yellow': '#cca700',
      '--vscode-charts-orange': '#d18616',
      '--vscode-charts-green': '#89d185',
      '--vscode-charts-purple': '#b180d7',
      '--vscode-progressBar-background': '#0078d4',
    },
  },
  light: {
    bodyClass: 'vscode-light',
    vars: {
      '--vscode-font-family': 'system-ui, "Segoe UI", Ubuntu, sans-serif',
      '--vscode-font-size': '13px',
      '--vscode-font-weight': 'normal',
      '--vscode-editor-font-family': '"DejaVu Sans Mono", monospace',
      '--vscode-editor-font-size': '12px',
      '--vscode-foreground': '#3b3b3b',
      '--vscode-descriptionForeground': '#717171',
      '--vscode-editor-background': '#ffffff',
      '--vscode-sideBar-background': '#f8f8f8',
      '--vscode-panel-border': '#e5e5e5',
      '--vscode-widget-border': '#e5e5e5',
      '--vscode-focusBorder': '#005fb8',
      '--vscode-errorForeground': '#f85149',
      '--vscode-editorWarning-foreground': '#bf8803',
      '--vscode-textLink-foreground': '#005fb8',
      '--vscode-textLink-activeForeground': '#005fb8',
      '--vscode-textCodeBlock-background': '#f2f2f2',
      '--vscode-textBlockQuote-background': '#f8f8f8',
      '--vscode-badge-background': '#cccccc',
      '--vscode-badge-foreground': '#3b3b3b',
      '--vscode-button-background': '#005fb8',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-hoverBackground': '#0258a8',
      '--vscode-button-secondaryBackground': '#e5e5e5',
      '--vscode-button-secondaryForeground': '#3b3b3b',
      '--vscode-button-secondaryHoverBackground': '#cccccc',
      '--vscode-dropdown-background': '#ffffff',
      '--vscode-dropdown-foreground': '#3b3b3b',
      '--vscode-dropdown-border': '#cecece',
      '--vscode-input-background': '#ffffff',
      '--vscode-input-foreground': '#3b3b3b',
      '--vscode-input-border': '#cecece',
      '--vscode-input-placeholderForeground': '#767676',
      '--vscode-list-hoverBackground': '#f2f2f2',
      '--vscode-list-inactiveSelectionBackground': '#e4e6f1',
      '--vscode-inputValidation-errorBackground': '#f2dede',
      '--vscode-inputValidation-errorBorder': '#be1100',
      '--vscode-inputValidation-warningBackground': '#f6f5d2',
      '--vscode-notificationsInfoIcon-foreground': '#1a85ff',
      '--vscode-charts-red': '#e51400',
      '--vscode-charts-blue': '#1a85ff',
      '--vscode-charts-yellow': '#bf8803',
      '--vscode-charts-orange': '#d18616',
      '--vscode-charts-green': '#388a34',
      '--vscode-charts-purple': '#652d90',
      '--vscode-progressBar-background': '#005fb8',
    },
  },
};

const themeCss = (theme) => `:root {\n${Object.entries(THEMES[theme].vars).map(([k, v]) => `  ${k}: ${v};`).join('\n')}\n}`;

/** The same shell and CSP as renderWebviewHtml, with the theme VS Code would inject (as a nonce'd style). */
function html(panel, theme, origin) {
  const nonce = randomBytes(16).toString('base64');
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${origin} 'nonce-${nonce}'`,
    `font-src ${origin}`,
    `img-src ${origin} data:`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta property="csp-nonce" content="${nonce}">
<style nonce="${nonce}" id="_defaultStyles">${themeCss(theme)}</style>
<link rel="stylesheet" nonce="${nonce}" href="${origin}/dist/${panel}.css">
<title>${panel}</title>
</head>
<body class="${THEMES[theme].bodyClass}">
<div id="app"></div>
<script nonce="${nonce}" src="${origin}/dist/${panel}.js"></script>
</body>
</html>`;
}

function startServer() {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const page = /^\/panel\/(\w+)\/(\w+)$/.exec(url.pathname);
    if (page) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html(page[1], page[2], `http://127.0.0.1:${server.address().port}`));
      return;
    }
    const file = /^\/dist\/([\w.-]+\.(js|css|map))$/.exec(url.pathname);
    if (file && existsSync(join(distDir, file[1]))) {
      const type = file[2] === 'js' ? 'text/javascript' : file[2] === 'css' ? 'text/css' : 'application/json';
      res.writeHead(200, { 'content-type': type });
      res.end(readFileSync(join(distDir, file[1])));
      return;
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    res.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Runs before any page script: a fake VS Code API and a recorder of CSP violations. */
function fakeVsCode() {
  window.__posted = [];
  window.__state = undefined;
  window.__csp = [];
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi called twice');
    acquired = true;
    return {
      postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
      getState: () => window.__state,
      setState: (s) => (window.__state = JSON.parse(JSON.stringify(s))),
    };
  };
  document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
}

// ---------------------------------------------------------------------------------------------

async function openPanel(context, origin, panel, theme) {
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.addInitScript(fakeVsCode);
  await page.goto(`${origin}/panel/${panel}/${theme}`);
  await page.locator('[data-testid="phase"]').waitFor();
  await page.waitForFunction(() => window.__posted.some((m) => m.type === 'ready'));
  return { page, errors };
}

const postToPage = (page, message) => page.evaluate((m) => window.postMessage(m, '*'), message);
const phaseIs = (page, phase) => page.waitForSelector(`[data-testid="phase"][data-phase="${phase}"]`, { timeout: 5_000 });
const posted = (page) => page.evaluate(() => window.__posted);
const text = (page, testid) => page.locator(`[data-testid="${testid}"]`).first().textContent();
const en = (n) => new Intl.NumberFormat('en-US').format(n);

async function checkSummary(page, expected) {
  for (const [name, value] of Object.entries(expected)) {
    assert.equal((await text(page, `summary-${name}`))?.trim(), typeof value === 'number' ? en(value) : value, `summary-${name}`);
  }
}

async function checkNoXss(page) {
  assert.equal(await page.evaluate(() => document.querySelectorAll('img').length), 0, 'no <img> from warehouse text');
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no script ran from warehouse text');
}

/** Every string in a fixture that holds BIDI: the warehouse values the page may show it in. */
function hostileStrings(value, out = new Set()) {
  if (typeof value === 'string') {
    if (value.includes(BIDI)) out.add(value.trim());
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) hostileStrings(v, out);
  }
  return out;
}

/**
 * Every place the page shows BIDI (a right-to-left override inside a value) keeps the override
 * to that value: it sits between FSI and PDI in its string, or the element that bounds it for the
 * bidi algorithm (a block, an atomic inline like a button or badge, a flex or grid item, or an
 * isolating element such as <bdi>) holds that warehouse value and nothing of ours. Attributes and
 * option labels, which cannot hold elements, need FSI ... PDI or the value last. Returns how many
 * places were checked.
 */
async function checkBidiIsolated(page, f, atLeast) {
  const result = await page.evaluate(
    ({ value, hostile }) => {
      const FSI = '\u2068';
      const PDI = '\u2069';
      const known = new Set(hostile);
      const bare = (s) => s.replace(/[\u2068\u2069]/g, '').trim();
      const visible = (s) => s.replace(/[\s\u200e\u200f\u2066-\u2069\u202a-\u202e]/g, '') !== '';
      /** Whether position `at` of `s` is inside an FSI/LRI/RLI ... PDI that closes later in `s`. */
      const isolatedInString = (s, at) => {
        let depth = 0;
        for (const ch of s.slice(0, at)) {
          if (ch === FSI || ch === '\u2066' || ch === '\u2067') depth++;
          else if (ch === PDI && depth > 0) depth--;
        }
        return depth > 0 && s.indexOf(PDI, at) >= 0;
      };
      const boundary = (node) => {
        for (let e = node.parentElement; e; e = e.parentElement) {
          const st = getComputedStyle(e);
          if (!['inline', 'contents'].includes(st.display)) return e;
          if (['isolate', 'isolate-override', 'plaintext'].includes(st.unicodeBidi)) return e;
          const parent = e.parentElement ? getComputedStyle(e.parentElement).display : '';
          if (/flex|grid/.test(parent)) return e;
        }
        return document.body;
      };
      const out = { checked: 0, problems: [] };
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const text = n.textContent;
        for (let at = text.indexOf(value); at >= 0; at = text.indexOf(value, at + 1)) {
          out.checked++;
          if (isolatedInString(text, at)) continue;
          const b = boundary(n);
          if (known.has(bare(b.textContent))) continue;
          out.problems.push(`<${b.tagName.toLowerCase()} class="${b.className}"> holds the override with our text beside it: "${b.textContent.slice(0, 80)}"`);
        }
      }
      const strings = [];
      for (const e of document.querySelectorAll('*')) {
        for (const a of ['title', 'aria-label']) if (e.getAttribute(a)?.includes(value)) strings.push([`${e.tagName.toLowerCase()}[${a}]`, e.getAttribute(a)]);
      }
      if (document.title.includes(value)) strings.push(['title', document.title]);
      for (const [where, s] of strings) {
        for (let at = s.indexOf(value); at >= 0; at = s.indexOf(value, at + 1)) {
          out.checked++;
          if (isolatedInString(s, at) || !visible(s.slice(at + value.length))) continue;
          out.problems.push(`${where} "${s.slice(0, 80)}" has our text after the override, unisolated`);
        }
      }
      return out;
    },
    { value: BIDI, hostile: [...hostileStrings(f)] },
  );
  assert.deepEqual(result.problems, [], 'bidi overrides stay inside their values');
  assert.ok(result.checked >= atLeast, `checked ${result.checked} places showing the override, expected at least ${atLeast}`);
  return result.checked;
}

async function checkTable(page, testid, keys) {
  const got = await page.locator(`[data-testid="${testid}"] tbody tr[data-key]`).evaluateAll((trs) => trs.map((t) => t.getAttribute('data-key')));
  assert.deepEqual([...got].sort(), [...keys].sort(), `${testid} keys`);
}

async function shot(page, panel, theme) {
  await page.evaluate(() => document.fonts?.ready);
  await page.screenshot({ path: join(outDir, `${panel}-${theme}.png`), fullPage: true });
}

/** Loading, error, empty, cancelled: the shell's phases, with Cancel only while loading. */
async function checkPhases(page, panel, f) {
  await postToPage(page, { ...f.state, view: { phase: 'loading', message: 'Querying the changelog…' } });
  await phaseIs(page, 'loading');
  assert.equal(await page.locator('[data-testid="cancel"]').isVisible(), true, 'Cancel visible while loading');
  await page.locator('[data-testid="cancel"]').click();
  assert.ok((await posted(page)).some((m) => m.type === 'cancel'), 'Cancel posts cancel');
  await postToPage(page, { ...f.state, view: { phase: 'error', message: `relation "sync_changelog" does not exist\n${XSS}` } });
  await phaseIs(page, 'error');
  assert.equal(await page.locator('[data-testid="phase"] [role="alert"] pre').textContent(), `relation "sync_changelog" does not exist\n${XSS}`);
  assert.equal(await page.locator('[data-testid="cancel"]').isVisible(), false, 'Cancel hidden when not loading');
  await postToPage(page, { ...f.state, view: { phase: 'empty', reason: 'No failures in the last 7 days.' } });
  await phaseIs(page, 'empty');
  assert.equal(await text(page, 'empty-reason'), 'No failures in the last 7 days.');
  await postToPage(page, { ...f.state, view: { phase: 'cancelled', message: 'Cancelled by you.' } });
  await phaseIs(page, 'cancelled');
  await page.locator('[data-testid="refresh"]').click();
  assert.ok((await posted(page)).some((m) => m.type === 'refresh'), 'Refresh posts refresh');
  await checkNoXss(page);
}

// ---------------------------------------------------------------------------------------------
// Per panel

const checks = {
  async breakdown(page, f, theme) {
    await checkPhases(page, 'breakdown', f);
    // The loading phase with elapsed seconds ticking.
    await postToPage(page, { ...f.state, view: { phase: 'loading', message: 'Grouping failures…' } });
    await phaseIs(page, 'loading');
    const t0 = await text(page, 'elapsed');
    await page.waitForFunction((t) => document.querySelector('[data-testid="elapsed"]')?.textContent !== t, t0, { timeout: 3_000 });
    await postToPage(page, f.state);
    await phaseIs(page, 'ready');
    const d = f.state.view.data;
    await checkSummary(page, {
      'total-failures': d.totalFailures,
      'distinct-texts': d.distinctTexts,
      templates: d.templates.length,
      unexpected: d.categories.find((c) => c.unexpected).failures,
    });
    await checkTable(page, 'categories-table', d.categories.map((c) => c.name));
    await checkTable(page, 'templates-table', d.templates.map((t) => t.template));
    assert.equal(await page.locator('[data-testid="category-problems"] li').count(), d.problems.length, 'category problems');
    assert.match(await text(page, 'unexpected-section'), /Unexpected: no category matches/);
    // Chart after the table.
    assert.equal(await page.locator('[data-testid="chart-section"]').getAttribute('data-phase'), 'loading');
    await postToPage(page, f.chart);
    await page.locator('[data-testid="breakdown-chart"]').waitFor();
    assert.equal(await page.locator('[data-testid="chart-section"]').getAttribute('data-phase'), 'ready');
    assert.equal(await page.locator('[data-testid="chart-capped"]').count(), 0, 'no cap note when nothing was left out');
    // A chart that hit both read limits says so.
    await postToPage(page, { ...f.chart, view: { ...f.chart.view, data: { ...f.chart.view.data, capped: { runs: 100000, pairs: 500000 } } } });
    assert.match(await text(page, 'chart-capped'), /covers only the newest 100,000 runs, and leaves out the smallest \(run, failure text\) pairs past the largest 500,000/);
    await postToPage(page, f.chart);
    await page.locator('[data-testid="breakdown-chart"]').waitFor();
    assert.equal(await page.locator('[data-testid="chart-capped"]').count(), 0);
    // Click a category: filter + drill.
    await page.locator('[data-testid="categories-table"] tr[data-key="rate limit"]').click();
    await checkTable(page, 'templates-table', d.templates.filter((t) => t.category === 'rate limit').map((t) => t.template));
    let last = (await posted(page)).at(-1);
    assert.deepEqual(last, { type: 'drill', selector: { category: 'rate limit' } });
    await page.locator('[data-testid="categories-table"] tr[data-key="rate limit"]').click();
    await checkTable(page, 'templates-table', d.templates.map((t) => t.template));
    // Drill result with hostile text.
    await postToPage(page, f.drill);
    await page.locator('[data-testid="drill-table"]').waitFor();
    await checkTable(page, 'drill-table', f.drill.view.data.rows.map((r) => `${r.syncId}\u0000${r.syncRunId ?? ''}\u0000${r.rowId}`));
    assert.match(await text(page, 'drill-texts'), /2 of 5 texts/);
    assert.ok((await page.locator('[data-testid="drill"]').textContent()).includes(XSS), 'the hostile text is shown as text');
    await page.locator('[data-testid="drill-table"] button.link', { hasText: 'contact-0042' }).click();
    last = (await posted(page)).at(-1);
    assert.deepEqual(last, { type: 'openTimeline', syncId: '1043', rowId: 'contact-0042' });
    // A sample row of an unexpected template.
    await page.locator('[data-testid="unexpected-section"] button.sample').first().click();
    assert.equal((await posted(page)).at(-1).type, 'openTimeline');
    // Params: source -> snapshot disables the window, saves the state.
    await page.selectOption('[data-testid="source-select"]', 'snapshot');
    last = (await posted(page)).at(-1);
    assert.deepEqual(last, { type: 'setParams', params: { ...f.state.params, source: 'snapshot' } });
    assert.deepEqual(await page.evaluate(() => window.__state), { panel: 'breakdown', params: { ...f.state.params, source: 'snapshot' } });
    await page.locator('[data-testid="edit-categories"]').click();
    assert.equal((await posted(page)).at(-1).type, 'openCategories');
    // A single run: the chip with the way back, the window disabled.
    await postToPage(page, { ...f.state, params: { ...f.state.params, syncRunId: 'r-5012' } });
    await phaseIs(page, 'ready');
    assert.match(await text(page, 'run-chip'), /Run r-5012/);
    assert.equal(await page.locator('[data-testid="window-select"]').isDisabled(), true, 'window disabled for one run');
    await page.locator('[data-testid="run-chip"] button').click();
    assert.deepEqual((await posted(page)).at(-1), { type: 'setParams', params: { ...f.state.params, syncRunId: null } });
    // Back to the full view for the screenshot, with the chart and the drill-down.
    await postToPage(page, f.state);
    await phaseIs(page, 'ready');
    await postToPage(page, f.chart);
    await postToPage(page, f.drill);
    await page.locator('[data-testid="drill-table"]').waitFor();
    await checkNoXss(page);
    await checkBidiIsolated(page, f, 10);
    // A theme switch redraws the chart without errors.
    await switchTheme(page, theme === 'dark' ? 'light' : 'dark');
    await switchTheme(page, theme);
  },

  async flapping(page, f) {
    await checkPhases(page, 'flapping', f);
    await postToPage(page, f.state);
    await phaseIs(page, 'ready');
    const d = f.state.view.data;
    await checkSummary(page, { runs: d.runsInWindow, 'rows-with-operations': d.rowsWithOperations });
    await checkTable(page, 'flapping-table', d.rows.map((r) => r.rowId));
    assert.equal(await page.locator('[data-testid="flapping-table"] svg.sparkline').count(), d.rows.length, 'a sparkline per row');
    assert.ok((await page.locator('[data-testid="flapping-table"] svg.sparkline rect').count()) > 0, 'sparkline bars');
    await page.locator('[data-testid="flapping-chart"]').waitFor();
    assert.ok((await text(page, 'flapping-table')).includes('0.96'), 'rate per run with 2 decimals');
    await page.locator('[data-testid="flapping-table"] button.link').first().click();
    assert.deepEqual((await posted(page)).at(-1), { type: 'openTimeline', syncId: '1043', rowId: d.rows[0].rowId });
    await page.selectOption('[data-testid="order-select"]', 'cycles');
    assert.deepEqual((await posted(page)).at(-1), { type: 'setParams', params: { ...f.state.params, orderBy: 'cycles' } });
    assert.ok((await text(page, 'flapping-table')).includes(XSS), 'hostile row id shown as text');
    await checkNoXss(page);
    await checkBidiIsolated(page, f, 4);
    // Before the follow-up has counted them, the rows with operations read as pending, not 0.
    await postToPage(page, { ...f.state, view: { ...f.state.view, data: { ...d, rowsWithOperations: null } } });
    await checkSummary(page, { 'rows-with-operations': '…' });
    await postToPage(page, f.state);
    await phaseIs(page, 'ready');
  },

  async timeline(page, f) {
    // Empty params: the search form and a hint.
    await postToPage(page, { ...f.state, params: { rowId: '', syncId: null }, view: { phase: 'idle', message: '' } });
    await phaseIs(page, 'idle');
    await page.locator('[data-testid="hint"]').waitFor();
    await page.locator('[data-testid="row-input"]').fill('contact-0042');
    await page.selectOption('[data-testid="sync-select"]', '1043');
    await page.locator('[data-testid="search"]').click();
    assert.deepEqual((await posted(page)).at(-1), { type: 'setParams', params: { rowId: 'contact-0042', syncId: '1043' } });
    await checkPhases(page, 'timeline', f);
    await postToPage(page, f.state);
    await phaseIs(page, 'ready');
    const d = f.state.view.data;
    await checkSummary(page, { events: d.events.length, failures: d.events.filter((e) => e.status === 'failed').length });
    const keys = await page.locator('[data-testid="timeline-events"] > li').evaluateAll((lis) => lis.map((l) => l.getAttribute('data-key')));
    assert.deepEqual(keys, d.events.map((e) => `${e.syncId}:${e.syncRunId}`), 'events oldest first');
    assert.equal(await page.locator('[data-testid="diff-table"]').count(), d.events.filter((e) => e.changes?.length).length);
    assert.ok((await page.locator('[data-testid="timeline-events"]').textContent()).includes(XSS), 'hostile text shown as text');
    await checkNoXss(page);
    await checkBidiIsolated(page, f, 10);
    // Without fields: the note.
    await postToPage(page, { ...f.state, view: { ...f.state.view, data: { ...d, hasFields: false, fieldsNote: 'Redshift has no fields column: no field diff.', events: d.events.map((e) => ({ ...e, changes: null, fields: null })) } } });
    await page.locator('[data-testid="fields-note"]').waitFor();
    assert.match(await text(page, 'fields-note'), /Redshift has no fields column/);
    await postToPage(page, f.state);
    await phaseIs(page, 'ready');
  },

  async model(page, f, theme) {
    await checkPhases(page, 'model', f);
    await postToPage(page, f.state);
    await phaseIs(page, 'ready');
    const d = f.state.view.data;
    const sum = (k) => d.points.reduce((s, p) => s + p[k], 0);
    await checkSummary(page, { membership: d.currentMembership, runs: d.points.length, adds: sum('added'), removes: sum('removed'), failures: sum('failed') });
    await page.locator('[data-testid="model-chart"]').waitFor();
    const keys = await page.locator('[data-testid="runs-table"] tbody tr[data-key]').evaluateAll((trs) => trs.map((t) => t.getAttribute('data-key')));
    assert.deepEqual(keys, [...d.points].sort((a, b) => b.startedAt.localeCompare(a.startedAt)).map((p) => p.syncRunId), 'runs newest first');
    await page.selectOption('[data-testid="window-select"]', '30');
    assert.deepEqual((await posted(page)).at(-1), { type: 'setParams', params: { ...f.state.params, days: 30 } });
    // Hover the chart: a tooltip with exact numbers (drawn on the canvas; check no errors).
    const box = await page.locator('[data-testid="model-chart"]').boundingBox();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.4);
    await page.mouse.move(0, 0);
    await checkNoXss(page);
    await checkBidiIsolated(page, f, 3);
    await switchTheme(page, theme === 'dark' ? 'light' : 'dark');
    await switchTheme(page, theme);
    await postToPage(page, f.state);
    await phaseIs(page, 'ready');
  },
};

async function switchTheme(page, theme) {
  await page.evaluate(
    ({ css, cls }) => {
      document.getElementById('_defaultStyles').textContent = css;
      document.body.className = cls;
    },
    { css: themeCss(theme), cls: THEMES[theme].bodyClass },
  );
  await page.waitForTimeout(100);
}

// ---------------------------------------------------------------------------------------------

const server = await startServer();
const origin = `http://127.0.0.1:${server.address().port}`;
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const profile = join(tmpdir(), `sl-preview-${process.pid}`);
const browser = await launchBrowser(profile, { width: 1280, height: 900 });
let passed = 0;
let failed = 0;
try {
  for (const panel of Object.keys(checks)) {
    if (only && panel !== only) continue;
    for (const theme of ['light', 'dark']) {
      const name = `${panel}-${theme}`;
      const started = Date.now();
      const { page, errors } = await openPanel(browser.context, origin, panel, theme);
      try {
        await checks[panel](page, fixtures[panel], theme);
        await page.waitForTimeout(50);
        const csp = await page.evaluate(() => window.__csp);
        assert.deepEqual(csp, [], 'no CSP violations');
        assert.deepEqual(errors, [], 'no console errors');
        await shot(page, panel, theme);
        console.log(`ok   ${name} (${Date.now() - started} ms)`);
        passed++;
      } catch (err) {
        failed++;
        await page.screenshot({ path: join(outDir, `${name}-FAILED.png`), fullPage: true }).catch(() => {});
        console.log(`FAIL ${name}: ${err instanceof Error ? err.message : String(err)}`);
        if (errors.length) console.log(`     page errors:\n       ${errors.join('\n       ')}`);
      } finally {
        await page.close();
      }
    }
  }
} finally {
  await browser.close();
  server.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(`screenshots in ${outDir}`);
console.log(`preview: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
