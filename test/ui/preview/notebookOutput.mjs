// The notebook output renderer (dist/webview/notebookRenderer.js) in Chromium, without VS Code:
// a page like a notebook's output webview (panelPage.mjs's /notebook/<theme>, under its CSP)
// imports the bundle and this file plays VS Code's part, activating it with a fake renderer
// context (postMessage recorded, messages sent back) and handing it output items. Checks a
// million-row grid output (only a few rows in the DOM, sorting, filtering, exact copy text,
// hostile text as text, Export asked by run id, the host's notice shown), a chart output (a
// canvas with pixels drawn, the table toggle with the same numbers, hostile labels as text) and
// a bad magic comment's message; no console errors or CSP violations. Screenshots in
// test-output/preview/notebook-output-<theme>.png.
//
//   node esbuild.mjs && node --import tsx test/ui/preview/notebookOutput.mjs
//
// Prints "renderer: N passed, N failed" and exits 1 on a failure.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../../scripts/lib/system.mjs';
import { formatRange } from '../../../src/shared/grid/rangeCopy.ts';
import { NOTEBOOK_RESULT_MIME } from '../../../src/shared/notebookOutput.ts';
import { shapeChart } from '../../../src/notebook/chartData.ts';
import { cellOutput } from '../../../src/notebook/cellOutput.ts';
import { parseOutputComment } from '../../../src/notebook/outputComment.ts';
import { previewRun, themeNames, until as waitUntil } from './panelPage.mjs';
import { XSS } from './fixtures.mjs';

const outDir = join(repoRoot, 'test-output', 'preview');
const ROWS = 1_000_000;
const COLUMNS = [
  { name: 'id', type: 'int8' },
  { name: 'row_id', type: 'text' },
  { name: 'note', type: 'text' },
  { name: 'started_at', type: 'timestamptz' },
];
const T0 = Date.UTC(2026, 9, 1);

/** Row `i`; self-contained, since it is also sent to the page to make the million rows there. */
function rowAt(i, xss, t0) {
  const k = i % 7;
  return [i, `row-${i}`, k === 0 ? null : k === 2 ? xss : `note ${i}`, new Date(t0 + i * 60_000).toISOString()];
}

const GRID_RUN = 'run-grid';

/** Failures per day and category, with a hostile category: the chart's rows. */
const CHART_COLUMNS = [
  { name: 'day', type: 'date' },
  { name: 'category', type: 'text' },
  { name: 'rows', type: 'int8' },
];
const CHART_ROWS = [];
for (let d = 0; d < 7; d++)
  ['timeout', 'auth', XSS].forEach((category, c) =>
    CHART_ROWS.push([`2026-03-0${d + 1}T00:00:00.000Z`, category, String((d + 1) * (c + 2) + (c === 2 ? 0.5 : 0))]),
  );

function chartOutput(kind) {
  const shaped = shapeChart(
    { output: 'chart', chart: kind, x: 'day', y: ['rows'], series: 'category' },
    CHART_COLUMNS,
    CHART_ROWS,
  );
  assert.ok('chart' in shaped, JSON.stringify(shaped));
  return {
    version: 1,
    runId: `run-${kind}`,
    columns: CHART_COLUMNS,
    rows: [],
    rowCount: CHART_ROWS.length,
    rowCountExact: true,
    elapsedMs: 41,
    chart: shaped.chart,
  };
}

/** A cell whose magic comment names a column the result lacks: the grid, with the reason. */
function badCommentOutput() {
  const sql = `-- synclogs: chart=bar x=dya y=rows\nselect 1`;
  const parts = cellOutput(
    { columns: CHART_COLUMNS, rows: CHART_ROWS.slice(0, 3), rowCount: 3, truncated: false, elapsedMs: 9 },
    parseOutputComment(sql),
    'run-bad',
  );
  return parts.json;
}

const exact = new Intl.NumberFormat('en-US', { maximumFractionDigits: 10 });

// ---------------------------------------------------------------------------------------------

async function openNotebook(context, origin, theme) {
  const page = await context.newPage();
  await page.setViewportSize({ width: 1100, height: 1400 });
  const errors = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
    );
  });
  await page.goto(`${origin}/notebook/${theme}`);
  // VS Code's part: import the renderer as a module and activate it with a context that records
  // what the renderer posts and can send it the host's messages.
  await page.evaluate(async (mime) => {
    const renderer = await import(window.__rendererUrl);
    const listeners = [];
    window.__posted = [];
    window.__toRenderer = (m) => listeners.forEach((l) => l(m));
    window.__api = renderer.activate({
      postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
      onDidReceiveMessage: (l) => (listeners.push(l), { dispose: () => {} }),
    });
    window.__render = (id, data) => {
      let element = document.getElementById(id);
      if (!element) {
        element = document.createElement('div');
        element.id = id;
        element.className = 'output';
        document.getElementById('container').append(element);
      }
      return window.__api.renderOutputItem(
        { id, mime, json: () => data, text: () => JSON.stringify(data) },
        element,
        new AbortController().signal,
      );
    };
  }, NOTEBOOK_RESULT_MIME);
  // The million rows are made in the page (a million rows through the protocol would be the test's cost, not the renderer's).
  await page.evaluate(
    ({ source, rows, columns, runId, xss, t0 }) => {
      const rowAt = new Function(`return (${source})`)();
      const all = new Array(rows);
      for (let i = 0; i < rows; i++) all[i] = rowAt(i, xss, t0);
      window.__render('out-grid', {
        version: 1,
        runId,
        columns,
        rows: all,
        rowCount: rows,
        rowCountExact: true,
        elapsedMs: 840,
      });
    },
    { source: rowAt.toString(), rows: ROWS, columns: COLUMNS, runId: GRID_RUN, xss: XSS, t0: T0 },
  );
  for (const [id, data] of [
    ['out-stacked', chartOutput('stacked')],
    ['out-line', chartOutput('line')],
    ['out-bad', badCommentOutput()],
  ])
    await page.evaluate(({ id, data }) => window.__render(id, data), { id, data });
  await page.waitForSelector('#out-grid [data-testid="grid"] .sg-cell');
  return { page, errors };
}

const gridCell = (page, row, col) =>
  page
    .locator(`#out-grid [role="row"][aria-rowindex="${row + 2}"] [role="gridcell"][aria-colindex="${col + 2}"]`)
    .textContent();
const posted = (page, type) => page.evaluate((t) => window.__posted.filter((m) => m.type === t), type);
/** The renderer's checks allow longer than the default: their outputs are built from a million rows. */
const until = (fn, what, ms = 15_000) => waitUntil(fn, what, ms);

const checks = [
  [
    'a million-row output: the grid, sized to at most 420 px, with only the rows in view in the DOM',
    async ({ page }) => {
      assert.equal(
        await page.locator('#out-grid [data-testid="nb-summary"]').textContent(),
        '1,000,000 rows in 840 ms',
      );
      assert.equal(
        await page.locator('#out-grid [data-testid="grid"]').getAttribute('aria-rowcount'),
        String(ROWS + 1),
      );
      const domRows = await page.locator('#out-grid [role="row"]').count();
      assert.ok(domRows > 5 && domRows < 50, `rows in the DOM: ${domRows}`);
      const box = await page.locator('#out-grid .slnb-grid').boundingBox();
      assert.ok(box.height <= 420 && box.height > 300, `grid box height ${box.height}`);
      // The grid's CSS came with the renderer: the scroller is positioned, so rows scroll inside it.
      const position = await page
        .locator('#out-grid [data-testid="grid-scroller"]')
        .evaluate((e) => getComputedStyle(e).position);
      assert.equal(position, 'absolute');
      assert.equal(await gridCell(page, 1, 1), 'row-1');
    },
  ],
  [
    'hostile markup in a cell is text, not HTML',
    async ({ page }) => {
      assert.equal(await gridCell(page, 2, 2), XSS);
      assert.equal(await page.locator('img').count(), 0);
      assert.equal(await page.evaluate(() => window.__pwned), undefined);
      const nullCell = page.locator('#out-grid [role="row"][aria-rowindex="2"] [aria-colindex="4"]');
      assert.equal(await nullCell.textContent(), 'NULL');
    },
  ],
  [
    'sort: a header click sorts ascending, a second descending, over all million rows in the output',
    async ({ page }) => {
      const head = page.locator('#out-grid .sg-colhead[data-column="0"] .sg-colhead-text');
      await head.click();
      await head.click();
      await until(async () => (await gridCell(page, 0, 1).catch(() => '')) === `row-${ROWS - 1}`, 'the last id first');
      assert.equal(
        await page.locator('#out-grid .sg-colhead[data-column="0"]').getAttribute('aria-sort'),
        'descending',
      );
      assert.match(
        await page.locator('#out-grid [data-testid="grid-status"]').textContent(),
        /^sorted by id ↓, in memory · 1,000,000 rows$/,
      );
      await head.click();
      await until(async () => (await gridCell(page, 0, 1).catch(() => '')) === 'row-0', 'the first row back');
    },
  ],
  [
    'filter: the quick filter narrows the million rows to the eleven that contain the text',
    async ({ page }) => {
      const quick = page.locator('#out-grid [data-testid="grid-quick-filter"]');
      await quick.fill('row-77777');
      await until(
        async () => (await page.locator('#out-grid [data-testid="grid"]').getAttribute('aria-rowcount')) === '12',
        'eleven rows',
      );
      await quick.fill('');
      await until(
        async () =>
          (await page.locator('#out-grid [data-testid="grid"]').getAttribute('aria-rowcount')) === String(ROWS + 1),
        'every row back',
      );
    },
  ],
  [
    "copy: a selected range goes to the host's clipboard as exactly the TSV and the Markdown the rows make",
    async ({ page }) => {
      await page.locator('#out-grid [role="row"][aria-rowindex="3"] [aria-colindex="2"]').click();
      await page.keyboard.press('Shift+ArrowDown');
      await page.keyboard.press('Shift+ArrowDown');
      await page.keyboard.press('Shift+ArrowRight');
      await page.keyboard.press('Shift+ArrowRight');
      await page.keyboard.press('Control+c');
      const copies = await until(async () => (await posted(page, 'copy')).length && posted(page, 'copy'), 'a copy');
      const rows = [1, 2, 3].map((i) => rowAt(i, XSS, T0).slice(0, 3));
      assert.equal(copies.at(-1).text, formatRange(COLUMNS.slice(0, 3), rows, 'tsv', false));
      assert.equal(copies.at(-1).text, `1\trow-1\tnote 1\r\n2\trow-2\t${XSS}\r\n3\trow-3\tnote 3\r\n`);
      // The context menu, inside the selection, copies the same range in another format.
      await page.locator('#out-grid [role="row"][aria-rowindex="3"] [aria-colindex="2"]').click({ button: 'right' });
      await page.locator('[data-testid="copy-markdown-headers"]').click();
      const md = await until(async () => (await posted(page, 'copy')).length >= 2 && posted(page, 'copy'), 'markdown');
      assert.equal(md.at(-1).text, formatRange(COLUMNS.slice(0, 3), rows, 'markdown', true));
      assert.ok(md.at(-1).text.includes('\\<img'), 'markup is escaped in Markdown');
      assert.equal(
        await page.locator('#out-grid [data-testid="grid-status"]').textContent(),
        'Copied 3 rows × 3 columns as Markdown with headers',
      );
    },
  ],
  [
    'Export full result asks the host by run id (never with SQL), and the host’s notice shows in the output',
    async ({ page }) => {
      await page.locator('#out-grid [data-testid="nb-export"]').click();
      const exports = await until(
        async () => (await posted(page, 'export')).length && posted(page, 'export'),
        'export',
      );
      assert.deepEqual(exports.at(-1), { type: 'export', runId: GRID_RUN });
      await page.evaluate(
        (runId) => window.__toRenderer({ type: 'notice', runId, text: `Exported 5 rows. ${'<b>x</b>'}` }),
        GRID_RUN,
      );
      assert.equal(
        await page.locator('#out-grid [data-testid="nb-notice"]').textContent(),
        'Exported 5 rows. <b>x</b>',
      );
      // A notice for another run, or a message that is not one, changes nothing.
      await page.evaluate(() => window.__toRenderer({ type: 'notice', runId: 'other', text: 'not mine' }));
      await page.evaluate(() => window.__toRenderer({ type: 'bogus' }));
      assert.equal(
        await page.locator('#out-grid [data-testid="nb-notice"]').textContent(),
        'Exported 5 rows. <b>x</b>',
      );
    },
  ],
  [
    'a stacked-bar and a line chart: canvases with pixels drawn, the numbers the host shaped',
    async ({ page }) => {
      for (const kind of ['stacked', 'line']) {
        const canvas = page.locator(`#out-${kind} canvas[data-testid="nb-chart"]`);
        const described = JSON.parse(
          await until(() => canvas.getAttribute('data-chart'), `the ${kind} chart laid out`),
        );
        const expected = chartOutput(kind).chart;
        assert.deepEqual(
          described.datasets.map((d) => d.data),
          expected.series.map((s) => s.values),
        );
        assert.equal(described.datasets[0].type, kind === 'line' ? 'line' : 'bar');
        assert.equal(described.scales.y.min, 0, 'the axis starts at zero');
        const painted = await canvas.evaluate((c) => {
          const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
          let n = 0;
          for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
          return { n, of: c.width * c.height };
        });
        assert.ok(painted.n > 2000, `${kind}: ${painted.n} of ${painted.of} pixels drawn`);
      }
    },
  ],
  [
    'the table toggle shows the chart’s numbers as text, hostile labels included',
    async ({ page }) => {
      const toggle = page.locator('#out-stacked [data-testid="nb-chart-table-toggle"]');
      const table = page.locator('#out-stacked [data-testid="nb-chart-table-table"]');
      assert.equal(await table.isVisible(), false);
      await toggle.click();
      assert.equal(await table.isVisible(), true);
      const chart = chartOutput('stacked').chart;
      const headers = await table.locator('thead th').allTextContents();
      assert.deepEqual(headers, ['day', ...chart.series.map((s) => s.label)]);
      assert.ok(headers.includes(XSS), 'the hostile category is a header, as text');
      const body = await table
        .locator('tbody tr')
        .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
      assert.deepEqual(
        body,
        chart.labels.map((label, i) => [
          label,
          ...chart.series.map((s) => (s.values[i] === null ? '—' : exact.format(s.values[i]))),
        ]),
      );
      assert.equal(body[0][3], '4.5', 'fractions are kept');
      assert.equal(await page.locator('img').count(), 0);
    },
  ],
  [
    'a magic comment naming a column the result lacks: the message with the columns there are, and the grid',
    async ({ page }) => {
      assert.equal(
        await page.locator('#out-bad [data-testid="nb-problem"]').textContent(),
        'The chart could not be drawn: x= "dya" is not a column of this result; its columns are: day, category, rows.',
      );
      assert.equal(await page.locator('#out-bad [data-testid="grid"]').getAttribute('aria-rowcount'), '4');
      const box = await page.locator('#out-bad .slnb-grid').boundingBox();
      assert.ok(box.height < 200, `a three-row grid is short: ${box.height}`);
    },
  ],
  [
    'an output that is not ours (or not this version) says so, as text, and draws nothing else',
    async ({ page }) => {
      await page.evaluate(() =>
        window.__render('out-foreign', { version: 2, runId: 'x', rows: '<img src=x onerror="window.__pwned=1">' }),
      );
      assert.match(await page.locator('#out-foreign').textContent(), /not a Sync Logs result this version can read/);
      assert.equal(await page.locator('#out-foreign canvas, #out-foreign [data-testid="grid"]').count(), 0);
      // Drawn again in place, and disposed: the old grid goes.
      await page.evaluate(() => window.__api.disposeOutputItem('out-foreign'));
      await page.evaluate(() => document.getElementById('out-foreign').remove());
    },
  ],
];

async function main() {
  mkdirSync(outDir, { recursive: true });
  await previewRun('renderer', { width: 1100, height: 1400 }, async ({ context, origin, record }) => {
    for (const theme of themeNames) {
      let opened;
      await record(`${theme}: the renderer activates and draws four outputs`, async () => {
        opened = await openNotebook(context, origin, theme);
      });
      if (!opened) continue;
      for (const [name, fn] of checks) await record(`${theme}: ${name}`, () => fn(opened));
      await record(`${theme}: no console errors or CSP violations`, async () => {
        assert.deepEqual(opened.errors, []);
        assert.deepEqual(await opened.page.evaluate(() => window.__csp), []);
      });
      await opened.page.mouse.click(1, 1);
      await opened.page.screenshot({ path: join(outDir, `notebook-output-${theme}.png`), fullPage: true });
      await opened.page.close();
    }
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
