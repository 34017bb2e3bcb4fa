// The language server as an editor sees it: `node dist/server.js --stdio` spoken to over
// JSON-RPC. Every latency runs from the moment the client writes the message to the moment
// the answer is parsed on the client, so it includes the transport both ways.
//
//   node bench/lsp.bench.mjs        (build first: scripts/bench.mjs does)
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

async function startServer(initializationOptions) {
  const began = performance.now();
  const client = new LspClient(SERVER);
  const { at } = await client.request('initialize', { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions });
  client.notify('initialized', {});
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
      yield { version: ++version, change: { range: { start: at, end: at }, text }, cursor: { line: site.line, character: site.character + k + 1 } };
    }
    // Undo the whole condition at once, as the user would with a line edit, so the file stays the same size.
    const start = { line: site.line, character: site.character };
    const end = { line: site.line, character: site.character + typed.length };
    yield { version: ++version, change: { range: { start, end }, text: '' }, cursor: start, undo: true };
  }
}

const didChange = (client, step) =>
  client.notify('textDocument/didChange', { textDocument: { uri: URI, version: step.version }, contentChanges: [step.change] });

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
async function measureCompletion(text, sites) {
  const { client } = await startServer();
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
    const { result, at } = await client.request('textDocument/completion', { textDocument: { uri: URI }, position: step.cursor });
    samples.push(at - sent);
    items += (Array.isArray(result) ? result : result.items).length;
  }
  // Hover on the column after `where x.` at WHERE lines across the file.
  const hovers = [];
  let shown = 0;
  for (let k = 0; k < HOVERS; k++) {
    const site = sites[(k * 37) % sites.length];
    const sent = performance.now();
    const { result, at } = await client.request('textDocument/hover', { textDocument: { uri: URI }, position: { line: site.line, character: 9 } });
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
  const forVersion = (v) => client.next((m) => m.method === 'textDocument/publishDiagnostics' && m.params.version === v);
  let opened = forVersion(1);
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
const sources = fileURLToPath(new URL('../src/server/', import.meta.url));
const newestSource = Math.max(...readdirSync(sources).map((f) => statSync(join(sources, f)).mtimeMs));
if (statSync(SERVER).mtimeMs < newestSource) console.log(`WARNING: ${SERVER} is older than src/server: these figures are for a stale build.`);
const { text, sites } = syncLogWorkspace(5000, 42);
const start = await measureStart();
const completion = await measureCompletion(text, sites);
const diags = await measureDiagnostics(text, sites);
const unclosed = await measureDiagnostics(text, sites, { edits: 54, autoClose: false });

const startSorted = summarize(start);
const c = summarize(completion.samples);
const d = summarize(diags.samples);
const u = summarize(unclosed.samples);
const h = summarize(completion.hovers);
console.log(`lsp: node ${process.version}, file of 5,000 lines (${(text.length / 1024).toFixed(0)} KiB, ${diags.count} diagnostics on open)`);
printTable('Language server over stdio (client write -> client parse of the answer)', ['measure', 'n', 'p50', 'p95', 'max'], [
  ['start: spawn -> initialize reply', start.length, ms(percentile(start, 50)), '', ms(startSorted.max)],
  [`completion while typing (${completion.meanItems.toFixed(0)} items avg)`, c.n, ms(c.p50), ms(c.p95), ms(c.max)],
  [`hover (${completion.shown} of ${h.n} with content; no target)`, h.n, ms(h.p50), ms(h.p95), ms(h.max)],
  ['diagnostics: didChange -> publish (debounce 0)', d.n, ms(d.p50), ms(d.p95), ms(d.max)],
  ['diagnostics: didOpen -> first publish (cold)', 1, ms(diags.coldMs), '', ''],
  ['diagnostics, quotes not auto-closed (no target)', u.n, ms(u.p50), ms(u.p95), ms(u.max)],
]);
console.log('Typing simulates VS Code: a condition typed key by key at a WHERE line, quotes auto-closed, then undone.');
console.log('Diagnostics are timed with the debounce set to 0 through initializationOptions: the server\'s own work plus');
console.log('transport. The shipped 150 ms debounce adds to what a user waits.');
check('server start median', percentile(start, 50), 300);
check('server start max', startSorted.max, 300);
check('completion p95', c.p95, 10);
check('diagnostics p95 after an edit', d.p95, 10);
