// The results grid in Chromium with a million-row result, without VS Code: serves
// dist/webview/results.{js,css} under the webviews' CSP, fakes acquireVsCodeApi, and answers the
// grid's messages from this process the way the results panel's host does (pages by offset, sort
// and filter with the shared view model, find, range copy), so what is checked is the grid and
// the shared rules together. Checks keyboard moves, selection, copy, sort, filter, find, the cell
// inspector, NULL against empty, alignment, hostile text, resize, reorder and a 400 px width,
// and saves screenshots in test-output/preview/grid-<theme>.png.
//
//   node esbuild.mjs && node --import tsx test/ui/preview/grid.mjs [--headed] [--frames]
//
// Prints "grid: N passed, N failed" and exits 1 on a failure. `--frames` (the benchmark) also
// prints frame timings of scrolling top to bottom by keyboard and by dragging, and the time
// from the first page to a drawn grid; no test asserts on time.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../../scripts/lib/system.mjs';
import { viewOrder } from '../../../src/shared/grid/viewModel.ts';
import { findInRows } from '../../../src/shared/grid/find.ts';
import { formatRange } from '../../../src/shared/grid/rangeCopy.ts';
import { fakeVsCode, previewRun, themeNames, until } from './panelPage.mjs';
import { XSS } from './fixtures.mjs';

const outDir = join(repoRoot, 'test-output', 'preview');
const argv = process.argv.slice(2);
const measureFrames = argv.includes('--frames');

export const ROWS = 1_000_000;
const COLUMNS = [
  { name: 'id', type: 'int8' },
  { name: 'row_id', type: 'text' },
  { name: 'note', type: 'text' },
  { name: 'fields', type: 'jsonb' },
  { name: 'amount', type: 'numeric' },
  { name: 'started_at', type: 'timestamptz' },
];
const TYPES = COLUMNS.map((c) => c.type);
const T0 = Date.UTC(2026, 9, 1);

/** Row `i` of the result: every kind of cell, NULL and empty apart, hostile text now and then. */
export function rowAt(i) {
  const k = i % 7;
  return [
    i,
    `row-${i}`,
    k === 0 ? null : k === 1 ? '' : k === 2 ? XSS : `note ${i}`,
    i % 5 === 0 ? { contact_id: `c-${i}`, score: i % 100, tags: ['a', 'b'] } : null,
    (i * 1.25).toFixed(2),
    new Date(T0 + i * 60_000).toISOString(),
  ];
}

/** The host's side of the panel: one view over the generated rows, as ResultView does. */
class FakeHost {
  view = 0;
  order = undefined;
  copies = [];
  messages = [];
  constructor(page) {
    this.page = page;
  }
  get count() {
    return this.order ? this.order.length : ROWS;
  }
  row(i) {
    return rowAt(this.order ? this.order[i] : i);
  }
  slice(start, end) {
    const out = [];
    for (let i = start; i < Math.min(end, this.count); i++) out.push(this.row(i));
    return out;
  }
  post(m) {
    return this.page.evaluate((msg) => window.postMessage(msg, '*'), m).catch(() => {});
  }
  async receive(m) {
    this.messages.push(m);
    const runId = m.runId;
    switch (m.type) {
      case 'requestRows':
        if ((m.view ?? 0) !== this.view) return;
        await this.post({
          type: 'rows',
          runId,
          view: this.view,
          offset: m.offset,
          rows: this.slice(m.offset, m.offset + Math.min(m.count, 1000)),
        });
        return;
      case 'setView': {
        this.order = viewOrder({ count: ROWS, row: rowAt }, TYPES, m);
        this.view = m.view;
        await this.post({
          type: 'viewApplied',
          runId,
          view: m.view,
          rowCount: this.count,
          where: 'memory',
          rows: this.slice(0, 200),
        });
        return;
      }
      case 'find': {
        const found = findInRows(this, m.columns, m.query, m.from, m.backwards, m.inclusive);
        await this.post({ type: 'found', runId, seq: m.seq, ...found });
        return;
      }
      case 'copyRange': {
        const rows = this.slice(m.top, m.bottom + 1).map((r) => m.columns.map((c) => r[c]));
        this.copies.push({
          request: m,
          text: formatRange(
            m.columns.map((c) => COLUMNS[c]),
            rows,
            m.format,
            m.withHeaders,
          ),
        });
        return;
      }
    }
  }
}

function showResult(runId) {
  return {
    type: 'showResult',
    runId,
    sql: 'select * from hightouch_audit.sync_changelog',
    connectionName: 'Demo (embedded)',
    startedAt: Date.now(),
    columns: COLUMNS,
    rowCount: ROWS,
    rowCountExact: true,
    keptRows: ROWS,
    truncated: false,
    maxRows: ROWS,
    elapsedMs: 840,
    page: { offset: 0, rows: Array.from({ length: 200 }, (_, i) => rowAt(i)) },
  };
}

// ---------------------------------------------------------------------------------------------

export async function openGrid(context, origin, theme, width = 1200) {
  const page = await context.newPage();
  await page.setViewportSize({ width, height: 800 });
  const errors = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  const host = new FakeHost(page);
  await page.exposeBinding('__toHost', (_src, m) => void host.receive(m));
  await page.addInitScript(fakeVsCode);
  await page.addInitScript(() => {
    const api = window.acquireVsCodeApi;
    window.acquireVsCodeApi = () => {
      const inner = api();
      return { ...inner, postMessage: (m) => (inner.postMessage(m), window.__toHost(m)) };
    };
  });
  await page.goto(`${origin}/panel/results/${theme}`);
  await page.waitForFunction(() => window.__posted.some((m) => m.type === 'ready'));
  const runId = `run-${theme}`;
  // From the message's arrival to the first frame with cells drawn, timed in the page.
  const openMs = await page.evaluate(
    (m) =>
      new Promise((resolve) => {
        const t0 = performance.now();
        window.postMessage(m, '*');
        const poll = () =>
          document.querySelector('[data-testid="grid"] .sg-cell')
            ? requestAnimationFrame(() => resolve(performance.now() - t0))
            : requestAnimationFrame(poll);
        requestAnimationFrame(poll);
      }),
    showResult(runId),
  );
  return { page, host, errors, runId, openMs };
}

const cellText = (page, row, col) =>
  page
    .locator(
      `[data-testid="grid"] [role="row"][aria-rowindex="${row + 2}"] [role="gridcell"][aria-colindex="${col + 2}"]`,
    )
    .textContent();
const activeCell = (page) =>
  page.evaluate(() => {
    const a = document.activeElement;
    return {
      row: Number(a?.closest('[role="row"]')?.getAttribute('aria-rowindex')) - 2,
      col: Number(a?.getAttribute('aria-colindex')) - 2,
      text: a?.textContent,
    };
  });
const lastMessage = (host, type) => host.messages.filter((m) => m.type === type).at(-1);

const checks = [
  [
    'a million rows: the count, names with types under them, and only the rows on screen in the DOM',
    async ({ page }) => {
      assert.equal((await page.locator('[data-testid="row-count"]').textContent()).trim(), '1,000,000');
      const heads = await page.locator('[data-testid="grid"] .sg-colhead').allTextContents();
      assert.ok(heads[0].includes('id') && heads[0].includes('int8'), `header: ${heads[0]}`);
      assert.ok(heads.some((h) => h.includes('fields') && h.includes('jsonb')));
      const domRows = await page.locator('[data-testid="grid"] [role="row"]').count();
      assert.ok(domRows > 10 && domRows < 80, `rows in the DOM: ${domRows}`);
      assert.equal(await page.locator('[data-testid="grid"]').getAttribute('aria-rowcount'), String(ROWS + 1));
    },
  ],
  [
    'NULL is not empty, numbers are right-aligned, JSON and hostile text are text',
    async ({ page }) => {
      const nullCell = page.locator('[role="row"][aria-rowindex="2"] [aria-colindex="4"]');
      assert.equal((await nullCell.textContent()).trim(), 'NULL');
      assert.match(await nullCell.getAttribute('class'), /sg-null/);
      const empty = page.locator('[role="row"][aria-rowindex="3"] [aria-colindex="4"]');
      assert.equal(await empty.textContent(), '');
      assert.equal(await empty.getAttribute('aria-label'), 'empty');
      assert.equal(await cellText(page, 2, 2), XSS, 'markup shown as text');
      assert.equal(await page.locator('img').count(), 0);
      assert.equal(await page.evaluate(() => window.__pwned), undefined);
      const align = await page
        .locator('[role="row"][aria-rowindex="3"] [aria-colindex="2"]')
        .evaluate((e) => getComputedStyle(e).textAlign);
      assert.equal(align, 'right');
      assert.match(await cellText(page, 0, 3), /"contact_id":"c-0"/);
    },
  ],
  [
    'keyboard: Ctrl+End reaches the millionth row, Ctrl+Home comes back, arrows and PageDown move',
    async ({ page }) => {
      await page.locator('[role="row"][aria-rowindex="2"] [aria-colindex="2"]').click();
      await page.keyboard.press('Control+End');
      await until(async () => (await activeCell(page)).row === ROWS - 1, 'the last row');
      const end = await activeCell(page);
      assert.equal(end.col, COLUMNS.length - 1);
      await until(async () => (await cellText(page, ROWS - 1, 1).catch(() => '')) === `row-${ROWS - 1}`, 'row text');
      await page.keyboard.press('Control+Home');
      await until(async () => (await activeCell(page)).row === 0, 'the first row');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowRight');
      assert.deepEqual(await activeCell(page), { row: 1, col: 1, text: 'row-1' });
      await page.keyboard.press('PageDown');
      const paged = await activeCell(page);
      assert.ok(paged.row > 10 && paged.row < 60, `PageDown moved to ${paged.row}`);
      await until(async () => (await activeCell(page)).text === `row-${paged.row}`, 'the paged row drawn');
    },
  ],
  [
    'selection and copy: Shift+arrows select a range, Ctrl+C copies it as TSV, the menu as Markdown with headers',
    async ({ page, host }) => {
      await page.keyboard.press('Control+Home');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Shift+ArrowDown');
      await page.keyboard.press('Shift+ArrowDown');
      await page.keyboard.press('Shift+ArrowRight');
      await page.keyboard.press('Control+c');
      const copy = await until(() => host.copies.at(-1), 'a copy');
      assert.deepEqual(
        { top: copy.request.top, bottom: copy.request.bottom, columns: copy.request.columns, f: copy.request.format },
        { top: 1, bottom: 3, columns: [0, 1], f: 'tsv' },
      );
      assert.equal(copy.text, '1\trow-1\r\n2\trow-2\r\n3\trow-3\r\n');
      const selected = await page.locator('[data-testid="grid"] [role="gridcell"][aria-selected="true"]').count();
      assert.equal(selected, 6);
      // Markdown with headers through the toolbar's format choice.
      await page.evaluate(() => {
        const d = document.querySelector('[data-testid="copy-format"]');
        d.value = 'markdown';
      });
      await page.locator('[data-testid="copy-headers"]').click();
      await page.locator('[data-testid="copy-selection"]').click();
      const md = await until(() => host.copies.length >= 2 && host.copies.at(-1), 'a markdown copy');
      assert.equal(md.request.format, 'markdown');
      assert.equal(md.request.withHeaders, true);
      assert.equal(md.text, '| id | row\\_id |\n| ---: | --- |\n| 1 | row-1 |\n| 2 | row-2 |\n| 3 | row-3 |\n');
    },
  ],
  [
    'sort: a header click sorts ascending, a second descending, over all million rows',
    async ({ page, host }) => {
      const head = page.locator('[data-testid="grid"] .sg-colhead[data-column="0"] .sg-colhead-text');
      await head.click();
      await until(() => lastMessage(host, 'setView')?.sort?.[0]?.dir === 'asc', 'an ascending sort');
      await head.click();
      await until(() => lastMessage(host, 'setView')?.sort?.[0]?.dir === 'desc', 'a descending sort');
      await until(async () => (await cellText(page, 0, 1).catch(() => '')) === `row-${ROWS - 1}`, 'the last id first');
      assert.equal(
        await page.locator('[data-testid="grid"] .sg-colhead[data-column="0"]').getAttribute('aria-sort'),
        'descending',
      );
      assert.match(
        await page.locator('[data-testid="grid-status"]').textContent(),
        /^sorted by id ↓, in memory · 1,000,000 rows$/,
      );
      // A third click clears the sort: the rows as the warehouse sent them.
      await head.click();
      await until(() => lastMessage(host, 'setView')?.sort?.length === 0, 'the sort cleared');
      await until(async () => (await cellText(page, 0, 1).catch(() => '')) === 'row-0', 'the first row back');
      assert.equal(
        await page.locator('[data-testid="grid"] .sg-colhead[data-column="0"]').getAttribute('aria-sort'),
        'none',
      );
    },
  ],
  [
    'filter: the quick filter narrows a million rows to the eleven that contain the text',
    async ({ page, host }) => {
      await page.locator('[data-testid="grid-quick-filter"]').fill('row-77777');
      await until(() => lastMessage(host, 'setView')?.quick === 'row-77777', 'the quick filter');
      await until(async () => /11 rows/.test(await page.locator('[data-testid="grid-status"]').textContent()), 'count');
      assert.equal(await page.locator('[data-testid="grid"]').getAttribute('aria-rowcount'), '12');
      const ids = [];
      for (let r = 0; r < 11; r++) ids.push(await cellText(page, r, 1));
      assert.ok(
        ids.every((t) => t.includes('row-77777')),
        ids.join(','),
      );
      await page.locator('[data-testid="grid-quick-filter"]').fill('');
      await until(() => lastMessage(host, 'setView')?.quick === '', 'the filter cleared');
      await until(
        async () => (await page.locator('[data-testid="grid"]').getAttribute('aria-rowcount')) === String(ROWS + 1),
        'every row back',
      );
    },
  ],
  [
    'find: Ctrl+F finds text across the view and Enter steps to the next match',
    async ({ page, host }) => {
      await page.locator('[role="row"][aria-rowindex="2"] [aria-colindex="2"]').click();
      await page.keyboard.press('Control+f');
      const input = page.locator('[data-testid="find-bar"] input');
      await input.waitFor();
      await input.fill('row-4242');
      await until(() => lastMessage(host, 'find')?.query === 'row-4242', 'a find');
      await until(
        async () => /of 11|1\/11|11/.test(await page.locator('[data-testid="find-count"]').textContent()),
        'count',
      );
      await input.press('Enter');
      await until(() => host.messages.filter((m) => m.type === 'find').length >= 2, 'the next match');
      const current = page.locator('[data-testid="grid"] .sg-match-current');
      await until(async () => (await current.count()) === 1, 'the current match marked');
      assert.match(await current.textContent(), /^row-4242/);
      assert.equal(await current.getAttribute('aria-colindex'), '3');
      assert.ok((await page.locator('[data-testid="grid"] .sg-match').count()) >= 2, 'other matches on screen marked');
      await page.keyboard.press('Escape');
      // Focus comes back to the grid, so the keys go on working.
      await page.keyboard.press('Control+Home');
      await until(async () => (await activeCell(page)).row === 0, 'the first row after the find bar closed');
    },
  ],
  [
    'the cell inspector shows JSON pretty-printed and a long value in full',
    async ({ page }) => {
      const cell = page.locator('[role="row"][aria-rowindex="2"] [aria-colindex="5"]');
      await cell.dblclick();
      const text = await page.locator('[data-testid="inspector-text"]').textContent();
      assert.equal(text, JSON.stringify(rowAt(0)[3], null, 2));
      await page.keyboard.press('Escape');
      assert.equal(await page.locator('[data-testid="inspector"]').count(), 0);
    },
  ],
  [
    'columns resize by dragging the edge and move by dragging the header',
    async ({ page }) => {
      const head = page.locator('[data-testid="grid"] .sg-colhead[data-column="1"]');
      const before = (await head.boundingBox()).width;
      const edge = await head.locator('.sg-resize').boundingBox();
      await page.mouse.move(edge.x + edge.width / 2, edge.y + edge.height / 2);
      await page.mouse.down();
      await page.mouse.move(edge.x + 80, edge.y + edge.height / 2, { steps: 5 });
      await page.mouse.up();
      const after = (await head.boundingBox()).width;
      assert.ok(after > before + 60, `width ${before} -> ${after}`);
      const box = await page.locator('[data-testid="grid"] .sg-colhead[data-column="2"]').boundingBox();
      const first = await page.locator('[data-testid="grid"] .sg-colhead[data-column="0"]').boundingBox();
      await page.mouse.move(box.x + 10, box.y + 10);
      await page.mouse.down();
      await page.mouse.move(first.x + 5, first.y + 10, { steps: 8 });
      await page.mouse.up();
      const order = await page.locator('[data-testid="grid"] .sg-colhead').evaluateAll((hs) =>
        hs
          .slice()
          .sort((a, b) => a.getBoundingClientRect().left - b.getBoundingClientRect().left)
          .map((h) => h.dataset.column),
      );
      assert.equal(order[0], '2', `order ${order.join(',')}`);
    },
  ],
];

async function checkNarrow(context, origin) {
  const { page, errors } = await openGrid(context, origin, 'dark', 400);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page scrolls sideways at 400 px by ${overflow}px`);
  const grid = await page.locator('[data-testid="grid"]').boundingBox();
  assert.ok(grid.width <= 400 && grid.width > 300, `grid width ${grid.width}`);
  await page.screenshot({ path: join(outDir, 'grid-400px.png') });
  assert.deepEqual(errors, []);
  await page.close();
}

/** Frame timing while scrolling top to bottom: every rAF interval, in ms. */
async function frames(page, action) {
  await page.evaluate(() => {
    window.__frames = [];
    let last = performance.now();
    const tick = (t) => {
      window.__frames.push(t - last);
      last = t;
      if (window.__framing) requestAnimationFrame(tick);
    };
    window.__framing = true;
    requestAnimationFrame(tick);
  });
  await action();
  return page.evaluate(() => {
    window.__framing = false;
    return window.__frames.slice(1);
  });
}

function summarize(list) {
  const sorted = [...list].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  return { frames: list.length, fps: median ? 1000 / median : 0, worst: sorted.at(-1) ?? 0 };
}

async function frameBench(context, origin) {
  const { page, openMs } = await openGrid(context, origin, 'dark');
  const out = { openMs };
  await page.locator('[role="row"][aria-rowindex="2"] [aria-colindex="2"]').click();
  // Keyboard: PageDown held (auto-repeat) for three seconds, then Ctrl+End to the bottom.
  out.keyboard = summarize(
    await frames(page, async () => {
      for (let i = 0; i < 90; i++) {
        await page.keyboard.down('PageDown');
        await new Promise((r) => setTimeout(r, 33));
      }
      await page.keyboard.up('PageDown');
      await page.keyboard.press('Control+End');
      await new Promise((r) => setTimeout(r, 300));
    }),
  );
  await page.keyboard.press('Control+Home');
  // Dragging the scrollbar's thumb from the top to the bottom over about three seconds. Headless
  // Chromium draws no scrollbar, so the drag is what a thumb drag does to the scroller: a jump of
  // scrollTop per mouse move (about 11,000 rows each), set in the page once per 33 ms.
  out.drag = summarize(
    await frames(page, () =>
      page.evaluate(async () => {
        const s = document.querySelector('[data-testid="grid-scroller"]');
        const bottom = s.scrollHeight - s.clientHeight;
        for (let i = 1; i <= 90; i++) {
          s.scrollTop = (bottom * i) / 90;
          await new Promise((r) => setTimeout(r, 33));
        }
        await new Promise((r) => setTimeout(r, 300));
      }),
    ),
  );
  out.lastRowShown = await page.evaluate(
    (n) =>
      !!document.querySelector(`[data-testid="grid"] [role="row"][aria-rowindex="${n + 1}"] .sg-cell:not(.sg-loading)`),
    ROWS,
  );
  await page.close();
  return out;
}

async function main() {
  mkdirSync(outDir, { recursive: true });
  await previewRun('grid', { width: 1200, height: 800 }, async ({ context, origin, record }) => {
    if (measureFrames) {
      console.log(JSON.stringify(await frameBench(context, origin)));
      return false;
    }
    for (const theme of themeNames) {
      const opened = await openGrid(context, origin, theme);
      for (const [name, fn] of checks) await record(`${theme}: ${name}`, () => fn(opened));
      await record(`${theme}: no console errors or CSP violations`, async () => {
        assert.deepEqual(opened.errors, []);
        assert.deepEqual(await opened.page.evaluate(() => window.__csp), []);
      });
      await opened.page.keyboard.press('Control+Home');
      await opened.page.screenshot({ path: join(outDir, `grid-${theme}.png`) });
      await opened.page.close();
    }
    await record('usable at 400 px: nothing scrolls sideways but the grid', () => checkNarrow(context, origin));
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
