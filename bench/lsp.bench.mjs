// The language server as an editor sees it: `node dist/server.js --stdio` spoken to over
// JSON-RPC. Every latency runs from the moment the client writes the message to the moment
// the answer is parsed on the client, so it includes the transport both ways.
//
//   node bench/lsp.bench.mjs        (build first: scripts/bench.mjs does)
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { LspClient } from './lib/lspClient.mjs';
import { check, ms, printTable } from './lib/report.mjs';
import { percentile, summarize } from './lib/stats.mjs';
import { seeded, syncLogWorkspace } from './lib/syncLogSql.mjs';

const SERVER = fileURLToPath(new URL('../dist/server.js', import.meta.url));
const URI = 'file:///bench/workspace.sql';
const START_RUNS = 7;
const COMPLETIONS = 240;
const EDITS = 150;
const HOVERS = 100;
const SPLITS = 60;

async function startServer(initializationOptions, dialect) {
  const began = performance.now();
  const client = new LspClient(SERVER);
  const { at } = await client.request('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: {},
    initializationOptions,
  });
  client.notify('initialized', {});
  // The extension tells the server the active connection's dialect (default: Postgres, the Demo's).
  if (dialect) client.notify('syncLogs/setContext', { dialect, schema: 'hightouch_audit' });
  return { client, startMs: at - began };
}

/**
 * Keystrokes a user types at the end of a WHERE line: a new condition on the row table's alias.
 * With `autoClose` (VS Code's default for SQL) typing `'` inserts `''` and the closing quote is
 * typed over, so quotes stay balanced; without it the rest of the file flips in and out of
 * strings while the value is typed, the lexer's worst case.
 */
function* typing(sites, seed, autoClose = true) {
  const rand = seeded(seed);
  let version = 1;
  for (;;) {
    const site = sites[Math.floor(rand() * sites.length)];
    const typed = ` and ${site.alias}.status = 'failed'`;
    const open = typed.indexOf("'");
    for (let k = 0; k < typed.length; k++) {
      if (autoClose && k === typed.length - 1) continue;
      const at = { line: site.line, character: site.character + k };
      const text = autoClose && k === open ? "''" : typed[k];
      yield {
        version: ++version,
        change: { range: { start: at, end: at }, text },
        cursor: { line: site.line, character: site.character + k + 1 },
      };
    }
    // Undo the whole condition at once, as the user would with a line edit, so the file stays the same size.
    const start = { line: site.line, character: site.character };
    const end = { line: site.line, character: site.character + typed.length };
    yield { version: ++version, change: { range: { start, end }, text: '' }, cursor: start, undo: true };
  }
}

const didChange = (client, step) =>
  client.notify('textDocument/didChange', {
    textDocument: { uri: URI, version: step.version },
    contentChanges: [step.change],
  });

async function measureStart() {
  const samples = [];
  for (let i = 0; i < START_RUNS; i++) {
    const { client, startMs } = await startServer();
    samples.push(startMs);
    await client.shutdown();
  }
  return samples;
}

/** Completion while typing, on the server as shipped (its diagnostics debounce stays on, as in an editor). */
async function measureCompletion(text, sites, dialect) {
  const { client } = await startServer(undefined, dialect);
  const opened = client.next((m) => m.method === 'textDocument/publishDiagnostics' && m.params.version === 1);
  client.notify('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'sql', version: 1, text } });
  await opened;
  const samples = [];
  let items = 0;
  for (const step of typing(sites, 7)) {
    if (samples.length >= COMPLETIONS) break;
    didChange(client, step);
    if (step.undo) continue;
    const sent = performance.now();
    const { result, at } = await client.request('textDocument/completion', {
      textDocument: { uri: URI },
      position: step.cursor,
    });
    samples.push(at - sent);
    items += (Array.isArray(result) ? result : result.items).length;
  }
  // Hover on the column after `where x.` at WHERE lines across the file.
  const hovers = [];
  let shown = 0;
  for (let k = 0; k < HOVERS; k++) {
    const site = sites[(k * 37) % sites.length];
    const sent = performance.now();
    const { result, at } = await client.request('textDocument/hover', {
      textDocument: { uri: URI },
      position: { line: site.line, character: 9 },
    });
    hovers.push(at - sent);
    if (result) shown++;
  }
  await client.shutdown();
  return { samples, meanItems: items / samples.length, hovers, shown };
}

/**
 * Diagnostics after each edit with the debounce set to 0 (initializationOptions), so the time
 * is the server's own work plus transport: didChange written -> publishDiagnostics for that
 * version parsed. The editor's 150 ms debounce would come on top of this.
 */
async function measureDiagnostics(text, sites, { edits = EDITS, autoClose = true } = {}) {
  const { client } = await startServer({ diagnosticsDebounceMs: 0 });
  const forVersion = (v) =>
    client.next((m) => m.method === 'textDocument/publishDiagnostics' && m.params.version === v);
  const opened = forVersion(1);
  const openSent = performance.now();
  client.notify('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'sql', version: 1, text } });
  const first = await opened;
  const coldMs = first.at - openSent;
  const count = first.message.params.diagnostics.length;
  const samples = [];
  for (const step of typing(sites, 11, autoClose)) {
    if (samples.length >= edits) break;
    const published = forVersion(step.version);
    const sent = performance.now();
    didChange(client, step);
    const { at } = await published;
    samples.push(at - sent);
  }
  await client.shutdown();
  return { samples, coldMs, count };
}

if (!existsSync(SERVER)) {
  console.error(`${SERVER} is missing: run node esbuild.mjs first`);
  process.exit(1);
}
// The server bundles its own sources and the lexer with the dialects' lexical traits.
const sourceDirs = ['../src/server/', '../src/sql/dialects/'].map((d) => fileURLToPath(new URL(d, import.meta.url)));
const sourceFiles = [
  ...sourceDirs.flatMap((d) => readdirSync(d).map((f) => join(d, f))),
  fileURLToPath(new URL('../src/sql/lexer.ts', import.meta.url)),
];
const newestSource = Math.max(...sourceFiles.map((f) => statSync(f).mtimeMs));
if (statSync(SERVER).mtimeMs < newestSource)
  console.log(`WARNING: ${SERVER} is older than its sources: these figures are for a stale build.`);
/**
 * Run Query's statement split (src/sql/statementAtCursor.ts) of the whole file, as it runs on each
 * Ctrl+Enter: bundled the way the extension ships it, and timed in this process, per dialect.
 */
async function measureSplit(text) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const bundle = join(root, 'out', 'bench', 'statementSplit.cjs');
  await esbuild.build({
    stdin: {
      contents:
        "export { chooseSqlToRun } from './src/sql/statementAtCursor'; export { DIALECT_KINDS, dialectFor } from './src/sql/dialects';",
      resolveDir: root,
      loader: 'ts',
    },
    outfile: bundle,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'error',
  });
  const { chooseSqlToRun, DIALECT_KINDS, dialectFor } = createRequire(import.meta.url)(bundle);
  // The first split runs unoptimised code (a user's first Ctrl+Enter); reported apart, so the
  // per-dialect rows compare the dialects rather than which one ran first.
  const began = performance.now();
  chooseSqlToRun(text, { start: 0, end: 0 }, dialectFor('postgres').lexical);
  const rows = [{ kind: 'first split (cold, postgres)', n: 1, p50: performance.now() - began, p95: NaN, max: NaN }];
  for (let k = 0; k < 5; k++) chooseSqlToRun(text, { start: 0, end: 0 }, dialectFor('postgres').lexical);
  for (const kind of DIALECT_KINDS) {
    const lexical = dialectFor(kind).lexical;
    const samples = [];
    for (let k = 0; k < SPLITS; k++) {
      const cursor = Math.floor(((k * 7919) % SPLITS) * (text.length / SPLITS));
      const began = performance.now();
      chooseSqlToRun(text, { start: cursor, end: cursor }, lexical);
      samples.push(performance.now() - began);
    }
    rows.push({ kind, ...summarize(samples) });
  }
  return rows;
}

const { text, sites } = syncLogWorkspace(5000, 42);
const start = await measureStart();
const completion = await measureCompletion(text, sites);
const bigqueryCompletion = await measureCompletion(text, sites, 'bigquery');
const split = await measureSplit(text);
const diags = await measureDiagnostics(text, sites);
const unclosed = await measureDiagnostics(text, sites, { edits: 54, autoClose: false });

const startSorted = summarize(start);
const c = summarize(completion.samples);
const d = summarize(diags.samples);
const u = summarize(unclosed.samples);
const h = summarize(completion.hovers);
const cb = summarize(bigqueryCompletion.samples);
const worstSplit = split.slice(1).reduce((a, b) => (b.p95 > a.p95 ? b : a));
console.log(
  `lsp: node ${process.version}, file of 5,000 lines (${(text.length / 1024).toFixed(0)} KiB, ${diags.count} diagnostics on open)`,
);
printTable(
  'Language server over stdio (client write -> client parse of the answer)',
  ['measure', 'n', 'p50', 'p95', 'max'],
  [
    ['start: spawn -> initialize reply', start.length, ms(percentile(start, 50)), '', ms(startSorted.max)],
    [`completion while typing (${completion.meanItems.toFixed(0)} items avg)`, c.n, ms(c.p50), ms(c.p95), ms(c.max)],
    [
      `completion, BigQuery dialect (${bigqueryCompletion.meanItems.toFixed(0)} items avg)`,
      cb.n,
      ms(cb.p50),
      ms(cb.p95),
      ms(cb.max),
    ],
    [`hover (${completion.shown} of ${h.n} with content; no target)`, h.n, ms(h.p50), ms(h.p95), ms(h.max)],
    ['diagnostics: didChange -> publish (debounce 0)', d.n, ms(d.p50), ms(d.p95), ms(d.max)],
    ['diagnostics: didOpen -> first publish (cold)', 1, ms(diags.coldMs), '', ''],
    ['diagnostics, quotes not auto-closed (no target)', u.n, ms(u.p50), ms(u.p95), ms(u.max)],
  ],
);
printTable(
  `Run Query's statement split of the whole file (in process, no transport)`,
  ['dialect', 'n', 'p50', 'p95', 'max'],
  split.map((r) => [
    r.kind,
    r.n,
    ms(r.p50),
    Number.isNaN(r.p95) ? '' : ms(r.p95),
    Number.isNaN(r.max) ? '' : ms(r.max),
  ]),
);
console.log('Typing simulates VS Code: a condition typed key by key at a WHERE line, quotes auto-closed, then undone.');
console.log(
  "Diagnostics are timed with the debounce set to 0 through initializationOptions: the server's own work plus",
);
console.log('transport. The shipped 150 ms debounce adds to what a user waits.');
check('server start median', percentile(start, 50), 300);
check('server start max', startSorted.max, 300);
check('completion p95', c.p95, 10);
check('completion p95, BigQuery dialect', cb.p95, 10);
check(`statement split p95 (worst dialect: ${worstSplit.kind})`, worstSplit.p95, 20);
check('diagnostics p95 after an edit', d.p95, 10);
