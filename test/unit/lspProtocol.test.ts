// The built language server (dist/server.js) spoken to over stdio by hand: Content-Length framed
// JSON-RPC, as any LSP client would. Needs a build first (`npm test` builds before unit tests).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  SET_CONTEXT_METHOD,
  SET_DOCUMENT_CONTEXT_METHOD,
  type SetContextParams,
  type SetDocumentContextParams,
} from '../../src/shared/lspProtocol';

const SERVER = join(__dirname, '../../dist/server.js');
const URI = 'untitled:Untitled-1';

interface Message {
  id?: number;
  method?: string;
  params?: any;
  result?: any;
  error?: { message: string };
}

/** A minimal LSP client over a child's stdio. */
class RpcClient {
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly replies = new Map<number, (m: Message) => void>();
  readonly notifications: Message[] = [];
  private readonly watchers: (() => void)[] = [];

  constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (chunk: Buffer) => this.read(chunk));
  }

  private read(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString('ascii'))?.[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(
        this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8'),
      ) as Message;
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      if (message.id !== undefined && !message.method) this.replies.get(message.id)?.(message);
      else if (message.method) {
        // Server-to-client requests (e.g. workspace/configuration) get an empty answer.
        if (message.id !== undefined) this.write({ id: message.id, result: null });
        else this.notifications.push(message);
        for (const w of this.watchers.splice(0)) w();
      }
    }
  }

  private write(message: object): void {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }), 'utf8');
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  request(method: string, params: unknown): Promise<any> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.replies.set(id, (m) => (m.error ? reject(new Error(m.error.message)) : resolve(m.result)));
      this.write({ id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.write({ method, params });
  }

  /** The first notification (from now on, or already received after `since`) matching `match`. */
  async waitFor(match: (m: Message) => boolean, since = 0, timeoutMs = 5000): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.notifications.slice(since).find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error('Timed out waiting for a notification');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        this.watchers.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

const diagnosticsFor = (uri: string, pred: (ds: any[]) => boolean) => (m: Message) =>
  m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri && pred(m.params.diagnostics);

describe('language server over stdio (dist/server.js)', () => {
  let child: ChildProcessWithoutNullStreams;
  let rpc: RpcClient;
  let startMs = 0;
  let init: any;
  let text = 'select failed_reason from hightouch_audit.sync_changelog';

  before(async () => {
    // A missing build is a failure, not a skip: run `node esbuild.mjs` (npm test does) first.
    assert.ok(existsSync(SERVER), `${SERVER} is missing: build first (node esbuild.mjs)`);
    const began = performance.now();
    child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: 'pipe' });
    rpc = new RpcClient(child);
    init = await rpc.request('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    startMs = performance.now() - began;
    assert.equal(init.capabilities.textDocumentSync, 2, 'incremental sync');
    rpc.notify('initialized', {});
  });

  after(async () => {
    if (child.exitCode === null) child.kill();
  });

  it('names itself in the initialize reply', () => {
    // Start time is reported, not asserted: `npm run bench` tracks it against its target.
    console.log(`language server: spawn to initialize result in ${startMs.toFixed(0)} ms`);
    assert.equal(init.serverInfo?.name, 'synclogs-language-server');
  });

  it('publishes a diagnostic naming failure_reason on open, with a quick fix', async () => {
    rpc.notify('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'sql', version: 1, text } });
    const m = await rpc.waitFor(diagnosticsFor(URI, (ds) => ds.some((d) => /failure_reason/.test(d.message))));
    const diag = m.params.diagnostics.find((d: any) => /failure_reason/.test(d.message));
    assert.equal(diag.code, 'unknown-column');
    assert.deepEqual(diag.range.start, { line: 0, character: 7 });

    const actions = await rpc.request('textDocument/codeAction', {
      textDocument: { uri: URI },
      range: diag.range,
      context: { diagnostics: [diag] },
    });
    assert.equal(actions.length, 1);
    assert.match(actions[0].title, /failure_reason/);
    assert.equal(actions[0].edit.changes[URI][0].newText, 'failure_reason');
  });

  it('hovers a table with its description', async () => {
    const h = await rpc.request('textDocument/hover', {
      textDocument: { uri: URI },
      position: { line: 0, character: text.length - 3 },
    });
    assert.match(h.contents.value, /sync_changelog/);
    assert.match(h.contents.value, /One row per operation/);
  });

  it('completes the three tables after `hightouch_audit.` (incremental edits)', async () => {
    const added = ';\nselect fields from hightouch_audit.';
    rpc.notify('textDocument/didChange', {
      textDocument: { uri: URI, version: 2 },
      contentChanges: [
        {
          range: { start: { line: 0, character: text.length }, end: { line: 0, character: text.length } },
          text: added,
        },
      ],
    });
    text += added;
    const items = await rpc.request('textDocument/completion', {
      textDocument: { uri: URI },
      position: { line: 1, character: 'select fields from hightouch_audit.'.length },
    });
    const labels = (Array.isArray(items) ? items : items.items).map((i: any) => i.label);
    for (const t of ['sync_changelog', 'sync_snapshot', 'sync_runs'])
      assert.ok(labels.includes(t), `${t} in ${labels.join(', ')}`);
  });

  it('reports `fields` once told the connection is Redshift', async () => {
    const line = 'select fields from hightouch_audit.';
    rpc.notify('textDocument/didChange', {
      textDocument: { uri: URI, version: 3 },
      contentChanges: [
        {
          range: { start: { line: 1, character: line.length }, end: { line: 1, character: line.length } },
          text: 'sync_snapshot',
        },
      ],
    });
    const since = rpc.notifications.length;
    const params: SetContextParams = { dialect: 'redshift', schema: 'hightouch_audit' };
    rpc.notify(SET_CONTEXT_METHOD, params);
    const m = await rpc.waitFor(
      diagnosticsFor(URI, (ds) => ds.some((d) => d.code === 'fields-on-redshift')),
      since,
    );
    const d = m.params.diagnostics.find((x: any) => x.code === 'fields-on-redshift');
    assert.deepEqual(d.range.start, { line: 1, character: 7 });
  });

  it('keeps diagnostics right while an edit opens and closes a string across statements', async () => {
    const uri = 'untitled:Untitled-2';
    const first = 'select row_id from hightouch_audit.sync_changelog where op_type = ';
    const second = 'select failed_reason from hightouch_audit.sync_changelog';
    const change = (version: number, character: number, insert: string) =>
      rpc.notify('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ range: { start: { line: 0, character }, end: { line: 0, character } }, text: insert }],
      });
    const typo = (ds: any[]) => ds.find((d) => d.code === 'unknown-column');
    const published = (version: number) => (m: Message) =>
      m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri && m.params.version === version;

    let since = rpc.notifications.length;
    rpc.notify('textDocument/didOpen', {
      textDocument: { uri, languageId: 'sql', version: 1, text: `${first};\n${second}` },
    });
    assert.deepEqual(typo((await rpc.waitFor(published(1), since)).params.diagnostics)?.range.start, {
      line: 1,
      character: 7,
    });

    // An opening quote swallows the `;` and the next statement: nothing there is a column any more.
    since = rpc.notifications.length;
    change(2, first.length, "'a");
    assert.equal(typo((await rpc.waitFor(published(2), since)).params.diagnostics), undefined);

    since = rpc.notifications.length;
    change(3, first.length + 2, "'");
    assert.deepEqual(typo((await rpc.waitFor(published(3), since)).params.diagnostics)?.range.start, {
      line: 1,
      character: 7,
    });
  });

  it("checks a document told its own connection with that connection's dialect, the others with the active one's", async () => {
    const onActive = 'vscode-notebook-cell:/n.synclogs.sql#a';
    const onOwn = 'vscode-notebook-cell:/n.synclogs.sql#b';
    const sql = 'select fields from hightouch_audit.sync_snapshot';
    const fieldsFlagged = (ds: any[]) => ds.some((d) => d.code === 'fields-on-redshift');
    const global: SetContextParams = { dialect: 'postgres', schema: 'hightouch_audit' };
    rpc.notify(SET_CONTEXT_METHOD, global);
    let since = rpc.notifications.length;
    for (const uri of [onActive, onOwn])
      rpc.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text: sql } });
    await rpc.waitFor(
      diagnosticsFor(onOwn, (ds) => !fieldsFlagged(ds)),
      since,
    );
    since = rpc.notifications.length;
    const own: SetDocumentContextParams = {
      uris: [onOwn],
      context: { dialect: 'redshift', schema: 'hightouch_audit' },
    };
    rpc.notify(SET_DOCUMENT_CONTEXT_METHOD, own);
    await rpc.waitFor(diagnosticsFor(onOwn, fieldsFlagged), since);
    // The other document was not told: a fresh check of it still reads Postgres.
    since = rpc.notifications.length;
    rpc.notify(SET_CONTEXT_METHOD, global);
    await rpc.waitFor(
      diagnosticsFor(onActive, (ds) => !fieldsFlagged(ds)),
      since,
    );
    await rpc.waitFor(diagnosticsFor(onOwn, fieldsFlagged), since);
    // Without a context, the document goes back to the active connection's.
    since = rpc.notifications.length;
    rpc.notify(SET_DOCUMENT_CONTEXT_METHOD, { uris: [onOwn] } satisfies SetDocumentContextParams);
    await rpc.waitFor(
      diagnosticsFor(onOwn, (ds) => !fieldsFlagged(ds)),
      since,
    );
  });

  it('shuts down and exits', async () => {
    assert.equal(await rpc.request('shutdown', null), null);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    rpc.notify('exit', null);
    assert.equal(await exited, 0);
  });
});
