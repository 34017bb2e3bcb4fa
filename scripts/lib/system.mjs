// Machine-level helpers shared by the start, test and package scripts:
//  - which Debian packages a task needs, and installing them (as root) or saying how;
//  - running child processes in their own process group and never leaving one behind.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

// ---------------------------------------------------------------------------------------------
// Debian packages

/**
 * What each task needs. `bins` are looked up on PATH (or as absolute paths); `dpkg` names are
 * checked with dpkg-query when it exists (header-only packages have no binary to look for).
 */
const requirements = {
  /** building code-server's native modules (node-pty, kerberos, keytar, native-keymap) */
  codeServer: [
    { pkg: 'build-essential', bins: ['make', 'g++'] },
    { pkg: 'pkg-config', bins: ['pkg-config'] },
    { pkg: 'python3', bins: ['python3'] },
    { pkg: 'libkrb5-dev', dpkg: true },
    { pkg: 'libsecret-1-dev', dpkg: true },
    { pkg: 'libx11-dev', dpkg: true },
    { pkg: 'libxkbfile-dev', dpkg: true },
    // @vscode/ripgrep would download its binary; Debian's is packed in its place
    { pkg: 'ripgrep', bins: ['rg'] },
  ],
  browser: [{ pkg: 'chromium', bins: ['chromium'] }],
  postgres: [{ pkg: 'postgresql', bins: ['initdb', 'pg_ctl'], binDirs: postgresBinDirs() }],
};

function postgresBinDirs() {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => join(root, v, 'bin'));
}

export function which(bin, extraDirs = []) {
  if (bin.includes('/')) return existsSync(bin) ? bin : null;
  for (const dir of [...(process.env.PATH ?? '').split(':'), ...extraDirs]) {
    if (dir && existsSync(join(dir, bin))) return join(dir, bin);
  }
  return null;
}

const hasDpkg = () => which('dpkg-query') !== null;

function dpkgInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

function missingFor(req) {
  if (req.bins) return req.bins.some((b) => !which(b, req.binDirs ?? [])) ? [req.pkg] : [];
  if (req.dpkg && hasDpkg()) return dpkgInstalled(req.pkg) ? [] : [req.pkg];
  return [];
}

/**
 * Make sure the Debian packages for the given tasks are there. As root, installs what is
 * missing with apt-get; otherwise throws an error that names the exact command to run.
 * @param {Array<keyof typeof requirements>} tasks
 */
export function ensureSystem(tasks, log = console.log) {
  const missing = [...new Set(tasks.flatMap((t) => requirements[t].flatMap(missingFor)))];
  if (missing.length === 0) return;
  const command = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !which('apt-get')) {
    throw new SystemError(
      `Missing system packages: ${missing.join(', ')}.\n` +
        `Install them (Debian/Ubuntu) with:\n  sudo sh -c '${command}'\nthen run this command again.`,
    );
  }
  log(`[system] installing missing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', ...missing]]) {
    const r = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env });
    if (r.status !== 0) throw new SystemError(`"apt-get ${args.join(' ')}" failed (exit ${r.status}).`);
  }
  const still = [...new Set(tasks.flatMap((t) => requirements[t].flatMap(missingFor)))];
  if (still.length) throw new SystemError(`Still missing after apt-get install: ${still.join(', ')}`);
}

/** An error whose message is meant for the user as is (no stack trace needed). */
export class SystemError extends Error {}

/** Directories holding Postgres server binaries (initdb, pg_ctl), newest first. */
export function postgresBinDir() {
  return postgresBinDirs().find((d) => existsSync(join(d, 'initdb'))) ?? null;
}

// ---------------------------------------------------------------------------------------------
// Process groups and clean-up

const groups = new Set();
const cleanups = new Set();
let handlersInstalled = false;

/** Kill a process group and every descendant still alive (some re-parent or start new groups). */
export function killGroup(pid, signal = 'SIGKILL') {
  const victims = [pid, ...descendants(pid)];
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already gone
  }
  for (const p of victims) {
    try {
      process.kill(p, signal);
    } catch {
      // already gone
    }
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

function descendants(root) {
  const children = new Map();
  let entries = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(e));
    } catch {
      // the process ended while we looked
    }
  }
  const out = [];
  const todo = [root];
  while (todo.length) {
    for (const c of children.get(todo.pop()) ?? []) {
      out.push(c);
      todo.push(c);
    }
  }
  return out;
}

/** Register a synchronous clean-up that also runs on exit, Ctrl-C and SIGTERM. Returns an unregister function. */
export function onCleanup(fn) {
  installHandlers();
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

let quietSignals = false;

/** Ctrl-C is the normal way to stop (npm start): exit 0 after cleaning up instead of 128+n. */
export function exitQuietlyOnSignals() {
  installHandlers();
  quietSignals = true;
}

/**
 * Clean up and exit when the parent process goes away (e.g. `npm test` killed with SIGKILL):
 * our process groups would otherwise run on, re-parented to init.
 */
export function exitWhenOrphaned(intervalMs = 1000) {
  installHandlers();
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) {
      process.stderr.write('\n[orphaned] the parent process is gone: stopping and cleaning up...\n');
      runCleanups(1000);
      process.exit(1);
    }
  }, intervalMs).unref();
}

const sleepSync = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function runCleanups(graceMs = 0) {
  if (graceMs > 0 && groups.size) {
    // ask first, so servers can close their files; then make sure
    for (const pid of groups) killGroup(pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline && [...groups].some(alive)) sleepSync(50);
  }
  for (const pid of groups) killGroup(pid);
  groups.clear();
  for (const fn of [...cleanups].reverse()) {
    try {
      fn();
    } catch {
      // best effort on the way out
    }
  }
  cleanups.clear();
}

function installHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => runCleanups());
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ]) {
    process.on(signal, () => {
      process.stderr.write(`\n[${signal}] stopping and cleaning up...\n`);
      runCleanups(2000);
      process.exit(quietSignals ? 0 : code);
    });
  }
}

/**
 * Spawn a command as the leader of its own process group, tracked so that the whole group is
 * killed when this process exits for any reason. `stop()` kills the group (TERM, then KILL).
 */
export function spawnGroup(command, args, options = {}) {
  installHandlers();
  const child = spawn(command, args, { ...options, detached: true });
  if (child.pid) groups.add(child.pid);
  const exited = new Promise((res) => child.once('exit', (code, signal) => res({ code, signal })));
  const stop = async (graceMs = 3000) => {
    if (!child.pid) return;
    const alive = () => child.exitCode === null && child.signalCode === null;
    if (alive()) {
      killGroup(child.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, graceMs))]);
    }
    killGroup(child.pid, 'SIGKILL');
    groups.delete(child.pid);
  };
  return { child, exited, stop };
}

/**
 * Run a command to completion, streaming its output through `onLine` (or inheriting stdio),
 * in its own process group (killed with all its descendants when it ends, or after `timeoutMs`).
 * Resolves with { code, output, timedOut }.
 */
export function run(command, args, { cwd = repoRoot, env = process.env, onLine, capture = false, timeoutMs = 0 } = {}) {
  return new Promise((resolvePromise) => {
    const stdio = onLine || capture ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'];
    const { child, stop } = spawnGroup(command, args, { cwd, env, stdio });
    let output = '';
    let timedOut = false;
    const timer = timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          if (child.pid) killGroup(child.pid, 'SIGKILL');
        }, timeoutMs)
      : undefined;
    const feed = (stream, target) => {
      if (!stream) return;
      let partial = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        output += chunk;
        if (!onLine) return;
        partial += chunk;
        const lines = partial.split('\n');
        partial = lines.pop();
        for (const l of lines) onLine(l, target);
      });
      stream.on('end', () => {
        if (onLine && partial) onLine(partial, target);
      });
    };
    feed(child.stdout, 'stdout');
    feed(child.stderr, 'stderr');
    child.on('error', (err) => {
      output += String(err);
      resolvePromise({ code: 127, output });
    });
    child.on('close', async (code, signal) => {
      clearTimeout(timer);
      await stop(0);
      resolvePromise({ code: timedOut ? 124 : (code ?? (signal ? 128 : 1)), output, timedOut });
    });
  });
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

/** rm -rf that never throws. */
export function removeQuietly(path) {
  try {
    rmSync(path, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    // left behind: not worth failing a run for
  }
}

/** Environment without variables that would make a child VS Code talk to the VS Code we may be running in. */
export function cleanEnv(extra = {}) {
  const env = { ...process.env };
  for (const k of Object.keys(env)) {
    if (
      /^(VSCODE_|ELECTRON_|CODE_SERVER_|npm_(?!config_))/.test(k) ||
      k === 'PASSWORD' ||
      k === 'HASHED_PASSWORD' ||
      k === 'PORT'
    ) {
      delete env[k];
    }
  }
  return { ...env, ...extra };
}

export function formatMs(ms) {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
