import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tooltipMarkdown, type Tooltip } from '../../src/views/tooltipMarkdown';
import { failureItem, runErrorItem, runItem, syncItem, toRunSummary, toSyncSummary } from '../../src/views/treeModel';
import { readRendered } from '../support/vscodeMarkdown';
import { ownTextUntouched } from '../support/bidi';
import { checkTooltip, REPORTED, TRICKS } from '../support/tooltipChecks';

test('every fence and link trick stays inside its code, as title subject, row value and body', () => {
  for (const v of TRICKS)
    checkTooltip({
      title: 'Run',
      subject: v,
      rows: [
        ['Status', v],
        ['Destination', `${v} ${v}`],
      ],
      body: v,
    });
});

test('the reported text: no link, no image, the text intact', () => {
  const r = readRendered(tooltipMarkdown({ title: 'Run', subject: '9001', rows: [], body: REPORTED }));
  assert.doesNotMatch(r.html, /<a |<img /);
  assert.deepEqual(r.codeBlocks, [REPORTED]);
});

/**
 * The tooltip as toTreeItem built it before, with VS Code 1.100's MarkdownString: appendText
 * escapes some punctuation, turns spaces into &nbsp; and newlines into paragraphs; appendCodeblock
 * sizes its fence from backtick runs at the start of a line only.
 */
function oldTooltip(t: { title: string; rows: [string, string][]; body?: string }): string {
  const appendText = (v: string) =>
    v
      .replace(/[\\`*_{}[\]()#+\-!~]/g, '\\$&')
      .replace(/([ \t]+)/g, (m) => '&nbsp;'.repeat(m.length))
      .replace(/>/g, '\\>')
      .replace(/\n/g, '\n\n');
  const codeblock = (code: string, lang: string) => {
    const longest = Math.max(0, ...(code.match(/^`+/gm) ?? []).map((r) => r.length));
    const fence = '`'.repeat(longest >= 3 ? longest + 1 : 3);
    return `\n${fence}${lang}\n${code}\n${fence}\n`;
  };
  let md = `**${appendText(t.title)}**\n\n`;
  for (const [label, value] of t.rows) md += `${appendText(`${label}: `)}${appendText(value)}  \n`;
  if (t.body) md += `\n\n${codeblock(t.body, 'text')}`;
  return md;
}

test('the tooltip it replaces fails these checks: the fence trick made a live image and link, a bare URL a link', () => {
  const before = readRendered(oldTooltip({ title: 'Run 9001', rows: [['Status', 'failed']], body: REPORTED }));
  assert.match(before.html, /<img src="https:\/\/127\.0\.0\.1:9\/pixel\.png"/);
  assert.match(before.html, /<a href="https:\/\/example\.invalid">/);
  assert.match(
    readRendered(oldTooltip({ title: 'Run', rows: [['Destination', 'https://127.0.0.1:9/x']] })).html,
    /<a href=/,
  );
  assert.throws(() =>
    checkTooltip(
      { title: 'Run', subject: '9001', rows: [], body: REPORTED },
      oldTooltip({ title: 'Run 9001', rows: [], body: REPORTED }),
    ),
  );
});

test('the tree items built from hostile warehouse rows give safe tooltips', () => {
  const opts = { now: new Date('2026-11-01T12:00:00Z'), timeZone: 'UTC' };
  for (const v of TRICKS) {
    const run = toRunSummary({
      sync_run_id: v,
      status: v,
      error: v,
      started_at: '2026-11-01T10:00:00Z',
      finished_at: null,
      planned: 3,
      attempted: 3,
      succeeded: 1,
      failed: 2,
    });
    const sync = toSyncSummary({
      sync_id: v,
      model_name: v,
      destination: v,
      primary_key: v,
      status: v,
      error: v,
      started_at: null,
      finished_at: null,
      run_count: 1,
    });
    const items = [
      runItem(run, opts),
      syncItem(sync, opts),
      failureItem({ template: v, example: v, rowCount: 2, distinctTexts: 2, sampleRowId: v }),
      runErrorItem(v),
    ];
    for (const item of items) checkTooltip(item.tooltip!);
  }
});

test('long values are cut so the whole tooltip stays under VS Code 100,000-character limit', () => {
  const huge = `${'`'.repeat(150_000)}![x](https://127.0.0.1:9/p.png)`;
  const t: Tooltip = {
    title: 'Run',
    subject: huge,
    rows: [
      ['Status', huge],
      ['Error', `x${'\n'.repeat(200_000)}y`],
    ],
    body: huge,
  };
  checkTooltip(t);
  assert.ok(tooltipMarkdown(t).length < 60_000);
});

test('values sit bidi-isolated in their code spans: an override stops at the value', () => {
  const v = 'invoice\u202efdp.exe';
  const r = readRendered(
    tooltipMarkdown({
      title: 'Sync',
      subject: v,
      rows: [
        ['Destination', v],
        ['Primary key', 'id'],
      ],
    }),
  );
  // The rendered text in order: each span's text followed by the label after it.
  const [first, second] = r.codeSpans;
  assert.ok(ownTextUntouched(`Sync ${first}`, ' Destination:'));
  assert.ok(ownTextUntouched(`Destination: ${second}`, ' Primary key: id'));
});
