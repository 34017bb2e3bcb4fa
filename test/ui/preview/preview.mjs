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
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../../scripts/lib/system.mjs';
import { launchBrowser } from '../../../scripts/lib/browser.mjs';
import { BIDI, fixtures, XSS } from './fixtures.mjs';
import { THEMES, fakeVsCode, startPanelServer as startServer, themeCss } from './panelPage.mjs';

const outDir = join(repoRoot, 'test-output', 'preview');
const argv = process.argv.slice(2);
const only = argv.includes('--panel') ? argv[argv.indexOf('--panel') + 1] : undefined;

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
const phaseIs = (page, phase) =>
  page.waitForSelector(`[data-testid="phase"][data-phase="${phase}"]`, { timeout: 5_000 });
const posted = (page) => page.evaluate(() => window.__posted);
const text = (page, testid) => page.locator(`[data-testid="${testid}"]`).first().textContent();
const en = (n) => new Intl.NumberFormat('en-US').format(n);

async function checkSummary(page, expected) {
  for (const [name, value] of Object.entries(expected)) {
    assert.equal(
      (await text(page, `summary-${name}`))?.trim(),
      typeof value === 'number' ? en(value) : value,
      `summary-${name}`,
    );
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
          out.problems.push(
            `<${b.tagName.toLowerCase()} class="${b.className}"> holds the override with our text beside it: "${b.textContent.slice(0, 80)}"`,
          );
        }
      }
      const strings = [];
      for (const e of document.querySelectorAll('*')) {
        for (const a of ['title', 'aria-label'])
          if (e.getAttribute(a)?.includes(value)) strings.push([`${e.tagName.toLowerCase()}[${a}]`, e.getAttribute(a)]);
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
  assert.ok(
    result.checked >= atLeast,
    `checked ${result.checked} places showing the override, expected at least ${atLeast}`,
  );
  return result.checked;
}

async function checkTable(page, testid, keys) {
  const got = await page
    .locator(`[data-testid="${testid}"] tbody tr[data-key]`)
    .evaluateAll((trs) => trs.map((t) => t.getAttribute('data-key')));
  assert.deepEqual([...got].sort(), [...keys].sort(), `${testid} keys`);
}

/** What charts.ts wrote on a chart's canvas: its scales' ranges and its series' colours and shapes. */
const chartInfo = async (page, testid) =>
  JSON.parse((await page.locator(`[data-testid="${testid}"]`).getAttribute('data-chart')) ?? 'null');

/** Opens the table toggle under a chart and returns its cells, one array per row (header cell first). */
async function chartTableCells(page, testid) {
  const toggle = page.locator(`[data-testid="${testid}-toggle"]`);
  assert.equal(
    await page.locator(`[data-testid="${testid}-table"]`).isVisible(),
    false,
    `${testid} hidden until asked`,
  );
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  assert.equal(await page.locator(`[data-testid="${testid}-table"]`).isVisible(), true, `${testid} shown`);
  const rows = await page
    .locator(`[data-testid="${testid}-table"] tbody tr`)
    .evaluateAll((trs) =>
      trs.map((tr) => [...tr.children].map((c) => c.textContent.replace(/[\u2068\u2069]/g, '').trim())),
    );
  const head = await page
    .locator(`[data-testid="${testid}-table"] thead th`)
    .evaluateAll((ths) => ths.map((th) => th.textContent.trim()));
  return { head, rows };
}

/** WCAG contrast of two #rrggbb colours. */
function contrastRatio(a, b) {
  const lum = (hex) => {
    const [r, g, bl] = [1, 3, 5]
      .map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
      .map((x) => (x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
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
  assert.ok(
    (await posted(page)).some((m) => m.type === 'cancel'),
    'Cancel posts cancel',
  );
  await postToPage(page, {
    ...f.state,
    view: { phase: 'error', message: `relation "sync_changelog" does not exist\n${XSS}` },
  });
  await phaseIs(page, 'error');
  assert.equal(
    await page.locator('[data-testid="phase"] [role="alert"] pre').textContent(),
    `relation "sync_changelog" does not exist\n${XSS}`,
  );
  assert.equal(await page.locator('[data-testid="cancel"]').isVisible(), false, 'Cancel hidden when not loading');
  await postToPage(page, { ...f.state, view: { phase: 'empty', reason: 'No failures in the last 7 days.' } });
  await phaseIs(page, 'empty');
  assert.equal(await text(page, 'empty-reason'), 'No failures in the last 7 days.');
  await postToPage(page, { ...f.state, view: { phase: 'cancelled', message: 'Cancelled by you.' } });
  await phaseIs(page, 'cancelled');
  await page.locator('[data-testid="refresh"]').click();
  assert.ok(
    (await posted(page)).some((m) => m.type === 'refresh'),
    'Refresh posts refresh',
  );
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
    await page.waitForFunction((t) => document.querySelector('[data-testid="elapsed"]')?.textContent !== t, t0, {
      timeout: 3_000,
    });
    await postToPage(page, f.state);
    await phaseIs(page, 'ready');
    const d = f.state.view.data;
    const newOnes = d.templates.filter((t) => t.isNew);
    assert.ok(newOnes.length > 0 && newOnes.length < d.templates.length, 'the fixture has new and older templates');
    await checkSummary(page, {
      'total-rows': d.totalRows,
      'total-failures': d.totalFailures,
      'distinct-texts': d.distinctTexts,
      templates: d.templates.length,
      unexpected: d.categories.find((c) => c.unexpected).rows,
      'new-templates': newOnes.length,
    });
    await checkTable(
      page,
      'categories-table',
      d.categories.map((c) => c.name),
    );
    await checkTable(
      page,
      'templates-table',
      d.templates.map((t) => t.template),
    );
    // Rows first (bold), failures beside them, in every template and category line.
    const figure = (t) =>
      `${en(t.rows)} ${t.rows === 1 ? 'row' : 'rows'} · ${en(t.failures)} ${t.failures === 1 ? 'failure' : 'failures'}`;
    for (const t of d.templates) {
      const row = page
        .locator('[data-testid="templates-table"] tbody tr')
        .filter({ has: page.locator('summary', { hasText: t.template }) })
        .first();
      assert.equal((await row.locator('.figure').textContent()).trim(), figure(t), t.template);
      assert.equal(
        (await row.locator('.figure strong').textContent()).trim(),
        `${en(t.rows)} ${t.rows === 1 ? 'row' : 'rows'}`,
      );
      // The new badge: the word itself, on new templates only.
      assert.equal(await row.locator('[data-testid="new-badge"]').count(), t.isNew ? 1 : 0, `${t.template}: new badge`);
      if (t.isNew) assert.equal((await row.locator('[data-testid="new-badge"]').textContent()).trim(), 'new');
    }
    for (const c of d.categories) {
      assert.equal(
        (await page.locator(`[data-testid="categories-table"] tr[data-key="${c.name}"] .figure`).textContent()).trim(),
        figure(c),
        c.name,
      );
    }
    // Whole-log first seen, older than the window, is shown as is (not clipped).
    const oldest = d.templates.find((t) => t.template.startsWith('INVALID_EMAIL'));
    const oldRow = page
      .locator('[data-testid="templates-table"] tbody tr')
      .filter({ has: page.locator('summary', { hasText: 'INVALID_EMAIL' }) });
    const shownFirst = await oldRow.locator('td.nowrap').first().textContent();
    assert.equal(
      shownFirst,
      await page.evaluate(
        (iso) =>
          new Intl.DateTimeFormat('en-US', {
            year: 'numeric',
            month: 'short',
            day: 'numeric',
            hour: '2-digit',
            minute: '2-digit',
          }).format(new Date(iso)),
        oldest.firstSeen,
      ),
    );
    // New only: the toggle says how many, filters to them, and back.
    assert.equal((await text(page, 'new-only')).trim(), `New only (${newOnes.length})`);
    await page.locator('[data-testid="new-only"]').click();
    assert.equal(await page.locator('[data-testid="new-only"]').getAttribute('aria-pressed'), 'true');
    await checkTable(
      page,
      'templates-table',
      newOnes.map((t) => t.template),
    );
    await page.locator('[data-testid="new-only"]').click();
    await checkTable(
      page,
      'templates-table',
      d.templates.map((t) => t.template),
    );
    assert.ok(
      (await text(page, 'definitions')).includes('first appearance in the whole log falls inside the window'),
      'the help defines new templates',
    );
    // Before the history answers: "…" where first seen and the new count will be, the toggle waiting.
    await postToPage(page, {
      ...f.state,
      view: {
        ...f.state.view,
        data: {
          ...d,
          history: null,
          templates: d.templates.map((t) => ({ ...t, firstSeen: null, lastSeen: null, isNew: null })),
        },
      },
    });
    assert.equal((await text(page, 'summary-new-templates')).trim(), '…');
    assert.equal(await page.locator('[data-testid="new-only"]').isDisabled(), true);
    assert.equal(await page.locator('[data-testid="new-badge"]').count(), 0);
    assert.match(await text(page, 'history-note'), /Reading first and last seen over the whole log/);
    // A category clicked while the history is read stays chosen when the history's redraw comes.
    await page.locator('[data-testid="categories-table"] tr[data-key="rate limit"]').click();
    await postToPage(page, f.state);
    await checkTable(
      page,
      'templates-table',
      d.templates.filter((t) => t.category === 'rate limit').map((t) => t.template),
    );
    assert.equal(
      await page.locator('[data-testid="categories-table"] tr[data-key="rate limit"]').getAttribute('aria-selected'),
      'true',
      'the follow-up redraw keeps the chosen category',
    );
    // No window: nothing is new, and the panel says so.
    await postToPage(page, {
      ...f.state,
      params: { ...f.state.params, days: null },
      view: {
        ...f.state.view,
        data: { ...d, windowStart: null, templates: d.templates.map((t) => ({ ...t, isNew: false })) },
      },
    });
    assert.match(await text(page, 'new-only'), /no window/);
    assert.equal(await page.locator('[data-testid="new-only"]').isDisabled(), true);
    // Upper bounds are marked, in words too.
    await postToPage(page, { ...f.state, view: { ...f.state.view, data: { ...d, rowsUpperBound: true } } });
    assert.match(await text(page, 'rows-upper-bound'), /at most/);
    assert.equal(
      await page
        .locator('[data-testid="categories-table"] tr[data-key="rate limit"] .figure strong')
        .getAttribute('aria-label'),
      `at most ${en(240)} rows`,
    );
    // The vendor link, with a workspace set: the sync's page.
    assert.equal(await page.locator('[data-testid="vendor-sync"]').count(), 0, 'no link without a workspace');
    await postToPage(page, { ...f.state, context: { ...f.state.context, vendorLinks: true } });
    await page.locator('[data-testid="vendor-sync"]').click();
    assert.deepEqual((await posted(page)).at(-1), { type: 'openVendor', target: { kind: 'sync', syncId: '1043' } });
    await postToPage(page, f.state);
    await phaseIs(page, 'ready');
    assert.equal(
      await page.locator('[data-testid="category-problems"] li').count(),
      d.problems.length,
      'category problems',
    );
    assert.match(await text(page, 'unexpected-section'), /Unexpected: no category matches/);
    // Chart after the table.
    assert.equal(await page.locator('[data-testid="chart-section"]').getAttribute('data-phase'), 'loading');
    await postToPage(page, f.chart);
    await page.locator('[data-testid="breakdown-chart"]').waitFor();
    assert.equal(await page.locator('[data-testid="chart-section"]').getAttribute('data-phase'), 'ready');
    assert.equal(
      await page.locator('[data-testid="chart-capped"]').count(),
      0,
      'no cap note when nothing was left out',
    );
    // A category's colour comes from its name: the same when the chart holds other categories.
    const colorsOf = async () =>
      Object.fromEntries(
        (await chartInfo(page, 'breakdown-chart')).datasets
          .filter((x) => x.type === 'bar')
          .map((x) => [x.label.replace(/[\u2068\u2069]/g, ''), x.color]),
      );
    const catColors = await colorsOf();
    const red = THEMES[theme].vars['--vscode-charts-red'];
    assert.equal(catColors['Unexpected (no category matches)'], red, 'unexpected is the red');
    const others = Object.entries(catColors).filter(([k]) => !k.startsWith('Unexpected'));
    assert.equal(new Set(others.map(([, c]) => c)).size, others.length, 'categories differ');
    for (const [k, c] of others) {
      assert.notEqual(c, red, `${k} is not red`);
      assert.ok(
        contrastRatio(c, THEMES[theme].vars['--vscode-editor-background']) >= 3,
        `${k} ${c} keeps 3:1 against the background`,
      );
    }
    const fewer = {
      ...f.chart,
      view: {
        ...f.chart.view,
        data: {
          ...f.chart.view.data,
          series: [...f.chart.view.data.series].reverse().filter((x) => x.category !== 'invalid data'),
        },
      },
    };
    await postToPage(page, fewer);
    const again = await colorsOf();
    for (const [k, c] of Object.entries(again))
      assert.equal(c, catColors[k], `${k} keeps its colour with other series around it`);
    await postToPage(page, f.chart);
    await page.locator('[data-testid="breakdown-chart"]').waitFor();
    // The table toggle: the chart's numbers per run.
    const ct = await chartTableCells(page, 'breakdown-chart-data');
    const cs = [...f.chart.view.data.series].sort(
      (a, b) => Number(b.category === 'unexpected') - Number(a.category === 'unexpected'),
    );
    assert.deepEqual(ct.head, [
      'Run',
      ...cs.map((x) => (x.category === 'unexpected' ? 'Unexpected (no category matches)' : x.category)),
      'Total',
      'Failed runs',
    ]);
    assert.deepEqual(
      ct.rows.map((r) => r.slice(1)),
      f.chart.view.data.buckets.map((b, i) => [
        ...cs.map((x) => en(x.counts[i])),
        en(cs.reduce((t, x) => t + x.counts[i], 0)),
        en(b.failedRuns),
      ]),
    );
    await page.locator('[data-testid="breakdown-chart-data-toggle"]').click();
    // A chart that hit both read limits says so.
    await postToPage(page, {
      ...f.chart,
      view: { ...f.chart.view, data: { ...f.chart.view.data, capped: { runs: 100000, pairs: 500000 } } },
    });
    assert.match(
      await text(page, 'chart-capped'),
      /covers only the newest 100,000 runs, and leaves out the smallest \(run, failure text\) pairs past the largest 500,000/,
    );
    await postToPage(page, f.chart);
    await page.locator('[data-testid="breakdown-chart"]').waitFor();
    assert.equal(await page.locator('[data-testid="chart-capped"]').count(), 0);
    // Click a category: filter + drill.
    await page.locator('[data-testid="categories-table"] tr[data-key="rate limit"]').click();
    await checkTable(
      page,
      'templates-table',
      d.templates.filter((t) => t.category === 'rate limit').map((t) => t.template),
    );
    let last = (await posted(page)).at(-1);
    assert.deepEqual(last, { type: 'drill', selector: { category: 'rate limit' } });
    await page.locator('[data-testid="categories-table"] tr[data-key="rate limit"]').click();
    await checkTable(
      page,
      'templates-table',
      d.templates.map((t) => t.template),
    );
    // Drill result with hostile text.
    await postToPage(page, f.drill);
    await page.locator('[data-testid="drill-table"]').waitFor();
    await checkTable(
      page,
      'drill-table',
      f.drill.view.data.rows.map((r) => `${r.syncId}\u0000${r.syncRunId ?? ''}\u0000${r.rowId}`),
    );
    assert.match(await text(page, 'drill-texts'), /2 of 5 texts/);
    // The drill says rows (distinct row ids), not operations; and the category's figures in all.
    const drillRows = new Set(f.drill.view.data.rows.map((r) => `${r.syncId}|${r.rowId}`)).size;
    const unexpectedCat = d.categories.find((c) => c.unexpected);
    assert.equal(
      (await text(page, 'drill-summary')).trim(),
      `${f.drill.view.data.rows.length} failed operations of ${drillRows} rows (distinct row ids); in all ${figure(unexpectedCat)}.`,
    );
    assert.ok(
      (await page.locator('[data-testid="drill"]').textContent()).includes(XSS),
      'the hostile text is shown as text',
    );
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
    assert.deepEqual(await page.evaluate(() => window.__state), {
      panel: 'breakdown',
      params: { ...f.state.params, source: 'snapshot' },
    });
    await page.locator('[data-testid="edit-categories"]').click();
    assert.equal((await posted(page)).at(-1).type, 'openCategories');
    // A single run: the chip with the way back, the window disabled.
    await postToPage(page, { ...f.state, params: { ...f.state.params, syncRunId: 'r-5012' } });
    await phaseIs(page, 'ready');
    assert.match(await text(page, 'run-chip'), /Run r-5012/);
    assert.equal(await page.locator('[data-testid="window-select"]').isDisabled(), true, 'window disabled for one run');
    await page.locator('[data-testid="run-chip"] button').click();
    assert.deepEqual((await posted(page)).at(-1), {
      type: 'setParams',
      params: { ...f.state.params, syncRunId: null },
    });
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
    await checkTable(
      page,
      'flapping-table',
      d.rows.map((r) => r.rowId),
    );
    assert.equal(
      await page.locator('[data-testid="flapping-table"] svg.sparkline').count(),
      d.rows.length,
      'a sparkline per row',
    );
    assert.ok((await page.locator('[data-testid="flapping-table"] svg.sparkline rect').count()) > 0, 'sparkline bars');
    await page.locator('[data-testid="flapping-chart"]').waitFor();
    // The table toggle: the chart's numbers, the same top rows in the same order.
    const ft = await chartTableCells(page, 'flapping-chart-data');
    const top = d.rows.slice(0, 20);
    assert.deepEqual(ft.head, ['Row id', 'Changes', 'Entries', 'Exits', 'Retries', 'Operations']);
    assert.deepEqual(
      ft.rows,
      top.map((r) => [r.rowId, ...[r.changes, r.entries, r.exits, r.retries, r.operations].map(en)]),
    );
    await page.locator('[data-testid="flapping-chart-data-toggle"]').click();
    assert.ok((await text(page, 'flapping-table')).includes('0.96'), 'rate per run with 2 decimals');
    await page.locator('[data-testid="flapping-table"] button.link').first().click();
    assert.deepEqual((await posted(page)).at(-1), { type: 'openTimeline', syncId: '1043', rowId: d.rows[0].rowId });
    await page.selectOption('[data-testid="order-select"]', 'cycles');
    assert.deepEqual((await posted(page)).at(-1), {
      type: 'setParams',
      params: { ...f.state.params, orderBy: 'cycles' },
    });
    assert.ok((await text(page, 'flapping-table')).includes(XSS), 'hostile row id shown as text');
    await checkNoXss(page);
    await checkBidiIsolated(page, f, 4);
    // Stuck and recovered rows: listed with their totals; a row id opens its timeline; pending until the follow-up answers.
    await checkTable(
      page,
      'stuck-table',
      d.stuck.stuck.map((r) => r.rowId),
    );
    await checkTable(
      page,
      'recovered-table',
      d.stuck.recovered.map((r) => r.rowId),
    );
    await checkSummary(page, { 'stuck-rows': d.stuck.stuckRows });
    assert.match(await text(page, 'stuck-count'), /^3 of 41 shown/);
    assert.ok((await text(page, 'stuck-table')).includes(XSS), 'a hostile template shown as text');
    assert.ok((await text(page, 'recovered-table')).includes('1 d 12 h'), 'time to recover');
    await page.locator('[data-testid="stuck-table"] button.link').first().click();
    assert.deepEqual((await posted(page)).at(-1), {
      type: 'openTimeline',
      syncId: '1043',
      rowId: d.stuck.stuck[0].rowId,
    });
    await postToPage(page, { ...f.state, view: { ...f.state.view, data: { ...d, stuck: null } } });
    await page.locator('[data-testid="stuck-loading"]').waitFor();
    await checkSummary(page, { 'stuck-rows': '…' });
    await postToPage(page, f.state);
    await phaseIs(page, 'ready');
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
    assert.deepEqual((await posted(page)).at(-1), {
      type: 'setParams',
      params: { rowId: 'contact-0042', syncId: '1043' },
    });
    await checkPhases(page, 'timeline', f);
    await postToPage(page, f.state);
    await phaseIs(page, 'ready');
    const d = f.state.view.data;
    await checkSummary(page, {
      events: d.events.length,
      entries: d.entries.length,
      failures: d.events.filter((e) => e.status === 'failed').length,
    });
    // Entries newest first, a folded one keyed by its first and last run; the toggle reads them oldest first.
    const entryKey = (e) => {
      const [first, last] = [d.events[e.events[0]], d.events[e.events.at(-1)]];
      return e.count === 1 ? `${first.syncId}:${first.syncRunId}` : `${e.syncId}:${first.syncRunId}..${last.syncRunId}`;
    };
    const topKeys = () =>
      page
        .locator('[data-testid="timeline-events"] > li')
        .evaluateAll((lis) => lis.map((l) => l.getAttribute('data-key')));
    assert.deepEqual(await topKeys(), d.entries.map(entryKey), 'entries newest first');
    assert.match(await text(page, 'entry-count'), /^failed 4 times, .+ to .+, same kind of error, 2 different texts$/);
    assert.equal(
      await page.locator('[data-testid="timeline-events"] li.event').count(),
      d.events.length,
      'every operation is drawn, folded ones inside their entry',
    );
    assert.match(
      (await page.locator('[data-testid="summary-line"][data-key="1043"]').textContent()) ?? '',
      /Not in the destination · in the model \(the snapshot\) · failing since .+ \(4 attempts, same error\)/,
    );
    assert.doesNotMatch(await text(page, 'timeline-events'), /\bentered\b/, 'no failed add reads as an entry');
    await page.locator('[data-testid="order-toggle"]').click();
    assert.deepEqual(await topKeys(), [...d.entries].reverse().map(entryKey), 'the toggle: oldest first');
    assert.equal(await text(page, 'order-note'), 'oldest first');
    await page.locator('[data-testid="order-toggle"]').click();
    assert.deepEqual(await topKeys(), d.entries.map(entryKey));
    assert.equal(
      await page.locator('[data-testid="diff-table"]').count(),
      d.events.filter((e) => e.changes?.length).length,
    );
    assert.ok(
      (await page.locator('[data-testid="timeline-events"]').textContent()).includes(XSS),
      'hostile text shown as text',
    );
    await checkNoXss(page);
    await checkBidiIsolated(page, f, 10);
    // A cut history: the note, and a summary that says its streak may reach further back.
    await postToPage(page, {
      ...f.state,
      view: {
        ...f.state.view,
        data: { ...d, truncated: true, summaries: d.summaries.map((s, i) => (i === 0 ? { ...s, cut: true } : s)) },
      },
    });
    await page.locator('[data-testid="events-truncated"]').waitFor();
    assert.match(await text(page, 'events-truncated'), /History cut: showing the latest 8 operations, back to /);
    assert.match(
      (await page.locator('[data-testid="summary-line"][data-key="1043"]').textContent()) ?? '',
      /failing since at least /,
    );
    // Without fields: the note.
    await postToPage(page, {
      ...f.state,
      view: {
        ...f.state.view,
        data: {
          ...d,
          hasFields: false,
          fieldsNote: 'Redshift has no fields column: no field diff.',
          events: d.events.map((e) => ({ ...e, changes: null, fields: null })),
        },
      },
    });
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
    await checkSummary(page, {
      membership: d.currentMembership,
      runs: d.points.length,
      adds: sum('added'),
      removes: sum('removed'),
      failures: sum('failed'),
    });
    await page.locator('[data-testid="model-chart"]').waitFor();
    const keys = await page
      .locator('[data-testid="runs-table"] tbody tr[data-key]')
      .evaluateAll((trs) => trs.map((t) => t.getAttribute('data-key')));
    assert.deepEqual(
      keys,
      [...d.points].sort((a, b) => b.startedAt.localeCompare(a.startedAt)).map((p) => p.syncRunId),
      'runs newest first',
    );
    await page.selectOption('[data-testid="window-select"]', '30');
    assert.deepEqual((await posted(page)).at(-1), { type: 'setParams', params: { ...f.state.params, days: 30 } });
    // Hover the chart: a tooltip with exact numbers (drawn on the canvas; check no errors).
    const box = await page.locator('[data-testid="model-chart"]').boundingBox();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.4);
    await page.mouse.move(0, 0);
    await checkNoXss(page);
    await checkBidiIsolated(page, f, 3);

    // Operations and membership are two charts; rows in the model start at zero.
    const oldestFirst = [...d.points].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    const membershipChart = await chartInfo(page, 'membership-chart');
    assert.equal(membershipChart.scales.y.min, 0, 'membership axis starts at zero');
    assert.deepEqual(
      membershipChart.datasets.map((x) => x.label),
      ['Rows in model'],
    );
    const ops = await chartInfo(page, 'model-chart');
    assert.equal(ops.scales.y.min, 0, 'operations axis starts at zero');
    assert.ok(!ops.datasets.some((x) => x.label === 'Rows in model'), 'membership not on the operations chart');
    // Failed operations, failed runs and runs with aborted operations: three colours, three shapes.
    const series = Object.fromEntries(ops.datasets.map((x) => [x.label, x]));
    const marks = ['Failed operations', 'Failed run', 'Run with aborted operations'].map((l) => series[l]);
    assert.ok(marks.every(Boolean), 'the three failure series are drawn');
    assert.equal(new Set(marks.map((m) => m.color)).size, 3, `distinct colours: ${marks.map((m) => m.color)}`);
    assert.equal(new Set(marks.map((m) => m.pointStyle)).size, 3, `distinct shapes: ${marks.map((m) => m.pointStyle)}`);
    assert.deepEqual(
      series['Failed run'].data.map((v, i) => (v === null ? null : oldestFirst[i].syncRunId)).filter(Boolean),
      oldestFirst.filter((p) => p.status === 'failed').map((p) => p.syncRunId),
    );
    assert.deepEqual(
      series['Run with aborted operations'].data
        .map((v, i) => (v === null ? null : oldestFirst[i].syncRunId))
        .filter(Boolean),
      oldestFirst.filter((p) => p.aborted > 0).map((p) => p.syncRunId),
    );
    // The table toggle shows the chart's numbers, oldest first.
    const opsTable = await chartTableCells(page, 'model-chart-data');
    assert.deepEqual(opsTable.head, [
      'Run',
      'Added',
      'Changed',
      'Removed',
      'Failed operations',
      'Aborted operations',
      'Status',
    ]);
    assert.deepEqual(
      opsTable.rows.map((r) => r.slice(1)),
      oldestFirst.map((p) => [en(p.added), en(p.changed), en(p.removed), en(p.failed), en(p.aborted), p.status]),
    );
    assert.ok(
      opsTable.rows.every((r, i) => r[0].endsWith(oldestFirst[i].syncRunId)),
      'rows name their run',
    );
    assert.deepEqual(
      series.Added.data,
      oldestFirst.map((p) => p.added),
      'the chart draws the same numbers',
    );
    const membershipTable = await chartTableCells(page, 'membership-chart-data');
    assert.deepEqual(
      membershipTable.rows.map((r) => r[1]),
      oldestFirst.map((p) => en(p.membership)),
    );
    assert.deepEqual(
      membershipChart.datasets[0].data,
      oldestFirst.map((p) => p.membership),
    );
    assert.equal(await page.locator('[data-testid="clip-note"]').count(), 0, 'no outlier here: the axis is whole');
    assert.equal(
      ops.scales.y.max >= Math.max(...oldestFirst.map((p) => p.added + p.changed + p.removed)),
      true,
      'nothing cut',
    );

    // An outlier first load (50,000 adds, then runs of 20-80): the axis is cut above the typical
    // runs, so their bars are tall, and the cut run is labelled with its real number.
    await postToPage(page, f.outlier);
    await phaseIs(page, 'ready');
    const o = [...f.outlier.view.data.points].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    const oTotals = o.map((p) => p.added + p.changed + p.removed);
    const cut = await chartInfo(page, 'model-chart');
    assert.ok(cut.scales.y.max < 1_000, `axis max ${cut.scales.y.max}, not set by the 50,000 outlier`);
    for (const v of oTotals.slice(1))
      assert.ok(
        v / cut.scales.y.max >= 0.3,
        `a typical run of ${v} is at least 30% of the axis (max ${cut.scales.y.max})`,
      );
    assert.match(
      await text(page, 'clip-note'),
      /The axis stops at 100 .* 1 run above it is drawn cut off .*\(50,000 operations\)/,
    );
    assert.equal((await chartInfo(page, 'membership-chart')).scales.y.min, 0);
    // The tables stayed open across the redraw and show the outlier's real numbers.
    assert.equal(
      await page.locator('[data-testid="model-chart-data-table"]').isVisible(),
      true,
      'the table stays open',
    );
    const oRows = await page
      .locator('[data-testid="model-chart-data-table"] tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.children[1].textContent));
    assert.deepEqual(
      oRows,
      o.map((p) => en(p.added)),
    );
    await page.locator('[data-testid="model-chart-data-toggle"]').click();
    await page.locator('[data-testid="membership-chart-data-toggle"]').click();
    await shot(page, 'model-outlier', theme);
    if (theme === 'dark') {
      await switchTheme(page, 'hc');
      const hc = Object.fromEntries((await chartInfo(page, 'model-chart')).datasets.map((x) => [x.label, x]));
      assert.equal(
        new Set(['Failed operations', 'Failed run', 'Run with aborted operations'].map((l) => hc[l].color)).size,
        3,
        'distinct in high contrast',
      );
      await shot(page, 'model-outlier', 'hc');
    }
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
