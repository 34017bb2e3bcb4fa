import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  isRestorableView,
  isResultsHostMessage,
  isResultsWebviewMessage,
  isShowResult,
  type ShowErrorMessage,
  type ShowResultMessage,
} from '../../src/shared/resultsProtocol';
import { cellText, toDelimited } from '../../src/shared/cellText';

const run = { runId: 'r-1', sql: 'select 1', connectionName: 'Demo', startedAt: 1_700_000_000_000 };

function resultMessage(over: Partial<ShowResultMessage> = {}): ShowResultMessage {
  return {
    type: 'showResult',
    ...run,
    columns: [
      { name: 'id', type: 'int8' },
      { name: 'reason', type: 'text' },
    ],
    rowCount: 2,
    keptRows: 2,
    truncated: false,
    maxRows: 1000,
    elapsedMs: 12,
    page: {
      offset: 0,
      rows: [
        [1, '<img src=x onerror=alert(1)>'],
        [2, null],
      ],
    },
    ...over,
  };
}

describe('host -> webview guards', () => {
  it('accept each well-formed message', () => {
    const error: ShowErrorMessage = { type: 'showError', ...run, message: 'relation does not exist', code: '42P01' };
    for (const m of [
      { type: 'showRunning', ...run },
      resultMessage(),
      resultMessage({ command: 'SELECT', restored: true }),
      error,
      { type: 'showError', ...run, message: 'boom' },
      { type: 'showCancelled', ...run, message: 'Query cancelled.', elapsedMs: 5 },
      { type: 'rows', runId: 'r-1', offset: 200, rows: [[1]] },
    ]) {
      assert.equal(isResultsHostMessage(m), true, JSON.stringify(m));
    }
  });

  it('reject malformed messages', () => {
    for (const m of [
      null,
      'showResult',
      [],
      { type: 'showRunning' },
      { type: 'showRunning', ...run, runId: 7 },
      { type: 'showRunning', ...run, startedAt: Number.NaN },
      resultMessage({ columns: [{ name: 'id' }] as never }),
      resultMessage({ page: { offset: 0, rows: [1, 2] as never } }),
      resultMessage({ rowCount: -1 }),
      resultMessage({ keptRows: 1.5 }),
      resultMessage({ truncated: 'no' as never }),
      resultMessage({ restored: 'yes' as never }),
      { type: 'showError', ...run },
      { type: 'showError', ...run, message: 'x', code: 42 },
      { type: 'rows', runId: 'r-1', offset: -1, rows: [] },
      { type: 'unknown', ...run },
    ]) {
      assert.equal(isResultsHostMessage(m), false, JSON.stringify(m));
    }
  });
});

describe('webview -> host guards', () => {
  it('accept the protocol', () => {
    for (const m of [
      { type: 'ready' },
      { type: 'cancel', runId: 'r-1' },
      { type: 'requestRows', runId: 'r-1', offset: 0, count: 200 },
      { type: 'copy', runId: 'r-1', format: 'csv' },
      { type: 'copy', runId: 'r-1', format: 'tsv' },
    ]) {
      assert.equal(isResultsWebviewMessage(m), true, JSON.stringify(m));
    }
  });

  it('reject anything else', () => {
    for (const m of [
      undefined,
      { type: 'cancel' },
      { type: 'requestRows', runId: 'r-1', offset: 0, count: 0 },
      { type: 'requestRows', runId: 'r-1', offset: '0', count: 10 },
      { type: 'copy', runId: 'r-1', format: 'html' },
      { type: 'command', command: 'workbench.action.terminal.new' },
    ]) {
      assert.equal(isResultsWebviewMessage(m), false, JSON.stringify(m));
    }
  });
});

describe('saved state', () => {
  it('restores only views, never row replies or junk', () => {
    assert.equal(isRestorableView(resultMessage()), true);
    assert.equal(isRestorableView({ type: 'rows', runId: 'r-1', offset: 0, rows: [] }), false);
    assert.equal(isRestorableView({ view: resultMessage() }), false);
  });

  it('round-trips a result through JSON (what setState stores)', () => {
    assert.equal(isShowResult(JSON.parse(JSON.stringify(resultMessage()))), true);
  });
});

describe('cellText', () => {
  it('keeps NULL distinct and renders JSON compactly', () => {
    assert.equal(cellText(null), undefined);
    assert.equal(cellText(undefined), undefined);
    assert.equal(cellText('NULL'), 'NULL');
    assert.equal(cellText(''), '');
    assert.equal(cellText(42), '42');
    assert.equal(cellText(false), 'false');
    assert.equal(cellText({ a: 1, b: [1, 2] }), '{"a":1,"b":[1,2]}');
    assert.equal(cellText([1, 'x']), '[1,"x"]');
  });
});

describe('toDelimited', () => {
  const columns = [
    { name: 'id', type: 'int8' },
    { name: 'reason', type: 'text' },
    { name: 'fields', type: 'jsonb' },
  ];
  const rows = [
    [1, 'plain', { a: 1 }],
    [2, 'has, comma and "quotes"\nand a line', null],
  ];

  it('writes CSV with RFC 4180 quoting and empty NULLs', () => {
    assert.equal(
      toDelimited(columns, rows, 'csv'),
      'id,reason,fields\r\n1,plain,"{""a"":1}"\r\n2,"has, comma and ""quotes""\nand a line",\r\n',
    );
  });

  it('writes TSV with tabs and line breaks flattened', () => {
    assert.equal(toDelimited(columns, [[1, 'a\tb\nc', null]], 'tsv'), 'id\treason\tfields\r\n1\ta b c\t\r\n');
  });

  // Copy all goes to the clipboard: a failure text from a destination must not run in the sheet it is pasted into.
  it('keeps hostile text inert in both formats, as a range copy does, numbers as they are', () => {
    const hostile = [
      [-5, '=HYPERLINK("http://x.example","ok")', { a: 1 }],
      [2, '@SUM(A1)\u202e', '-12.5'],
    ];
    assert.equal(
      toDelimited(columns, hostile, 'csv'),
      'id,reason,fields\r\n-5,"\'=HYPERLINK(""http://x.example"",""ok"")","{""a"":1}"\r\n2,\'@SUM(A1)<U+202E>,-12.5\r\n',
    );
    assert.equal(
      toDelimited(columns, hostile, 'tsv'),
      'id\treason\tfields\r\n-5\t\'=HYPERLINK("http://x.example","ok")\t{"a":1}\r\n2\t\'@SUM(A1)<U+202E>\t-12.5\r\n',
    );
  });
});
