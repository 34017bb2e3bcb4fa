// A minimal LSP client over a child's stdio (Content-Length framed JSON-RPC), stamping each
// incoming message with its arrival time so latencies include the transport both ways.
import { spawn } from 'node:child_process';

export class LspClient {
  #buffer = Buffer.alloc(0);
  #nextId = 1;
  #replies = new Map();
  #listeners = [];

  constructor(serverPath, args = ['--stdio']) {
    this.child = spawn(process.execPath, [serverPath, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.child.stdout.on('data', (chunk) => this.#read(chunk));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  #read(chunk) {
    const at = performance.now();
    this.#buffer = this.#buffer.length ? Buffer.concat([this.#buffer, chunk]) : chunk;
    for (;;) {
      const headerEnd = this.#buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.#buffer.subarray(0, headerEnd).toString('ascii'))?.[1]);
      if (this.#buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(this.#buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8'));
      this.#buffer = this.#buffer.subarray(headerEnd + 4 + length);
      if (message.id !== undefined && !message.method) {
        this.#replies.get(message.id)?.(message, at);
        this.#replies.delete(message.id);
      } else if (message.id !== undefined) {
        // Server-to-client requests (workspace/configuration and the like) get an empty answer.
        this.#write({ id: message.id, result: null });
      } else {
        for (const l of [...this.#listeners]) l(message, at);
      }
    }
  }

  #write(message) {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }), 'utf8');
    this.child.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
  }

  /** Sends a request; resolves with { result, at } where `at` is the reply's arrival time. */
  request(method, params) {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#replies.set(id, (m, at) =>
        m.error ? reject(new Error(m.error.message)) : resolve({ result: m.result, at }),
      );
      this.#write({ id, method, params });
    });
  }

  notify(method, params) {
    this.#write({ method, params });
  }

  /** The next notification matching `match`, with its arrival time; rejects after timeoutMs. */
  next(match, timeoutMs = 10_000) {
    return new Promise((resolve, reject) => {
      const listener = (m, at) => {
        if (!match(m)) return;
        cleanup();
        resolve({ message: m, at });
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error('timed out waiting for a notification'));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.#listeners = this.#listeners.filter((l) => l !== listener);
      };
      this.#listeners.push(listener);
    });
  }

  async shutdown() {
    await this.request('shutdown', null);
    this.notify('exit', null);
    return this.exited;
  }
}
