// code-server (VS Code's server and web workbench, from npm) as a tool: installed on first use
// into a cache folder outside the repo, then started on a free 127.0.0.1 port with every folder
// it writes to (user data, extensions, XDG, TMPDIR) inside one run folder.
import { spawnSync } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import {
  cleanEnv,
  ensureSystem,
  formatMs,
  freePort,
  removeQuietly,
  run,
  spawnGroup,
  SystemError,
  which,
} from './system.mjs';

export const CODE_SERVER_VERSION = '4.100.3';
// What code-server 4.100.3's @vscode/ripgrep looks for before downloading from GitHub.
const RIPGREP_CACHE = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_TAG = 'v13.0.0-10';

export function codeServerCacheDir() {
  const cacheHome = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cacheHome, 'sync-logs-explorer', `code-server-${CODE_SERVER_VERSION}`);
}

function entryOf(dir) {
  return join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

/**
 * The code-server entry script, installing it first if needed (about 60 s and 300 MB, once).
 * @returns {Promise<{ entry: string, installedNow: boolean, ms: number }>}
 */
export async function ensureCodeServer(log = console.log) {
  const dir = codeServerCacheDir();
  const marker = join(dir, '.complete');
  if (existsSync(marker) && existsSync(entryOf(dir))) return { entry: entryOf(dir), installedNow: false, ms: 0 };

  ensureSystem(['codeServer'], log);
  const started = Date.now();
  mkdirSync(dirname(dir), { recursive: true });
  const staging = mkdtempSync(`${dir}.partial-`);
  const logFile = join(dirname(dir), `code-server-${CODE_SERVER_VERSION}-install.log`);
  log(`[code-server] installing code-server@${CODE_SERVER_VERSION} into ${dir} (first use only, about a minute)...`);
  try {
    const tmp = join(staging, '.tmp');
    mkdirSync(tmp, { recursive: true });
    placeRipgrep(tmp);
    writeFileSync(join(staging, 'package.json'), JSON.stringify({ name: 'code-server-tool', private: true }, null, 2));
    const env = cleanEnv({
      TMPDIR: tmp,
      // node-pty's install runs "npx node-gyp", which otherwise stops to ask
      npm_config_yes: 'true',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
      npm_config_cache: join(tmp, 'npm-cache'),
      ...nodeHeadersEnv(),
    });
    const out = createWriteStream(logFile);
    // Under `npm test` the environment carries the outer project's npm_config_local_prefix:
    // --prefix keeps this install in the staging folder whatever it says.
    delete env.npm_config_local_prefix;
    delete env.npm_config_prefix;
    const res = await run(
      'npm',
      [
        'install',
        '--prefix',
        staging,
        '--unsafe-perm',
        '--no-save',
        '--no-package-lock',
        '--loglevel=warn',
        `code-server@${CODE_SERVER_VERSION}`,
      ],
      { cwd: staging, env, onLine: (l) => out.write(`${l}\n`) },
    );
    out.end();
    if (res.code !== 0 || !existsSync(entryOf(staging))) {
      const tail = res.output.trim().split('\n').slice(-40).join('\n');
      throw new SystemError(`code-server install failed (exit ${res.code}); full log: ${logFile}\n${tail}`);
    }
    removeQuietly(tmp);
    writeFileSync(join(staging, '.complete'), `${new Date().toISOString()}\n`);
    removeQuietly(dir);
    try {
      renameSync(staging, dir);
    } catch (err) {
      // another process finished first: use its copy
      if (!existsSync(join(dir, '.complete'))) throw err;
      removeQuietly(staging);
    }
  } catch (err) {
    removeQuietly(staging);
    throw err;
  }
  const ms = Date.now() - started;
  log(`[code-server] installed in ${formatMs(ms)}`);
  return { entry: entryOf(dir), installedNow: true, ms };
}

/** @vscode/ripgrep first looks for a tarball in $TMPDIR: give it Debian's rg instead of a download. */
function placeRipgrep(tmp) {
  const rg = which('rg');
  if (!rg) throw new SystemError('ripgrep (rg) is missing: apt-get install -y ripgrep');
  const arch = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' }[process.arch];
  if (!arch) throw new SystemError(`No ripgrep mapping for CPU architecture ${process.arch}`);
  const cache = join(tmp, RIPGREP_CACHE);
  mkdirSync(cache, { recursive: true });
  const r = spawnSync('tar', ['-czf', join(cache, `ripgrep-${RIPGREP_TAG}-${arch}.tar.gz`), '-C', dirname(rg), 'rg']);
  if (r.status !== 0) throw new SystemError(`could not pack ${rg}: ${r.stderr}`);
}

/** node-gyp must use the local Node headers (it cannot download them here). */
function nodeHeadersEnv() {
  if (process.env.npm_config_nodedir) return {};
  const prefix = resolve(dirname(process.execPath), '..');
  return existsSync(join(prefix, 'include', 'node', 'node.h')) ? { npm_config_nodedir: prefix } : {};
}

/**
 * The folders of one code-server instance, all inside `runDir`.
 * @param {string} runDir
 */
export function runLayout(runDir) {
  const d = {
    runDir,
    userData: join(runDir, 'user-data'),
    extensions: join(runDir, 'extensions'),
    xdgConfig: join(runDir, 'xdg', 'config'),
    xdgData: join(runDir, 'xdg', 'data'),
    xdgCache: join(runDir, 'xdg', 'cache'),
    tmp: join(runDir, 'tmp'),
  };
  for (const p of Object.values(d)) mkdirSync(p, { recursive: true });
  return d;
}

function serverEnv(layout, extra = {}) {
  return cleanEnv({
    XDG_CONFIG_HOME: layout.xdgConfig,
    XDG_DATA_HOME: layout.xdgData,
    XDG_CACHE_HOME: layout.xdgCache,
    XDG_RUNTIME_DIR: layout.tmp,
    TMPDIR: layout.tmp,
    EXTENSIONS_GALLERY: '{}',
    ...extra,
  });
}

const commonArgs = (layout) => [
  '--user-data-dir',
  layout.userData,
  '--extensions-dir',
  layout.extensions,
  '--disable-telemetry',
  '--disable-update-check',
];

/**
 * Write the user settings (User/settings.json in the user-data folder), merged over quiet defaults.
 * @param {ReturnType<typeof runLayout>} layout
 * @param {Record<string, unknown>} settings
 */
export function writeUserSettings(layout, settings = {}) {
  const file = join(layout.userData, 'User', 'settings.json');
  mkdirSync(dirname(file), { recursive: true });
  const defaults = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'security.workspace.trust.enabled': false,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'git.enabled': false,
  };
  writeFileSync(file, `${JSON.stringify({ ...defaults, ...settings }, null, 2)}\n`);
  return file;
}

/** `code-server --install-extension <vsix>` into the run's extensions folder (no browser needed). */
export async function installExtension(entry, layout, vsixPath, log = console.log) {
  const res = await run(process.execPath, [entry, ...commonArgs(layout), '--install-extension', vsixPath, '--force'], {
    env: serverEnv(layout),
    capture: true,
  });
  if (res.code !== 0 || /Failed Installing|Error/i.test(res.output)) {
    throw new Error(`code-server --install-extension ${vsixPath} failed (exit ${res.code}):\n${res.output}`);
  }
  log(`[code-server] ${res.output.trim().split('\n').pop()}`);
}

export async function listExtensions(entry, layout) {
  const res = await run(process.execPath, [entry, ...commonArgs(layout), '--list-extensions', '--show-versions'], {
    env: serverEnv(layout),
    capture: true,
  });
  return res.output
    .trim()
    .split('\n')
    .filter((l) => /^[\w-]+\.[\w-]+@/.test(l));
}

/**
 * Start code-server on a free 127.0.0.1 port, in its own process group.
 * @param {object} o
 * @param {string} o.entry             from ensureCodeServer()
 * @param {ReturnType<typeof runLayout>} o.layout
 * @param {string} [o.folder]          folder to open when the URL has no ?folder=
 * @param {Record<string,string>} [o.env] extra environment (reaches the extension host too)
 * @param {(line: string) => void} [o.onOutput] every line the server prints
 * @param {number} [o.port]            a fixed port (default: a free one)
 * @returns {Promise<{ url: string, port: number, pid: number, logFile: string, stop: () => Promise<void>, exited: Promise<unknown> }>}
 */
export async function startCodeServer({ entry, layout, folder, env = {}, onOutput, timeoutMs = 60_000, port }) {
  if (port) return startOnce({ entry, layout, folder, env, onOutput, timeoutMs, port });
  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      return await startOnce({ entry, layout, folder, env, onOutput, timeoutMs, port });
    } catch (err) {
      lastError = err;
      if (!/EADDRINUSE/.test(String(err))) throw err;
    }
  }
  throw lastError;
}

function startOnce({ entry, layout, folder, env, onOutput, timeoutMs, port }) {
  const args = [
    entry,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    ...commonArgs(layout),
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...(folder ? [folder] : []),
  ];
  const logFile = join(layout.runDir, 'code-server.log');
  const logStream = createWriteStream(logFile, { flags: 'a' });
  const { child, exited, stop } = spawnGroup(process.execPath, args, {
    cwd: layout.runDir,
    env: serverEnv(layout, env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolvePromise, reject) => {
    let settled = false;
    let seen = '';
    const timer = setTimeout(
      () => fail(new Error(`code-server did not start within ${formatMs(timeoutMs)}; log: ${logFile}\n${seen}`)),
      timeoutMs,
    );
    const fail = async (err) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      await stop(0);
      reject(err);
    };
    const onData = (chunk) => {
      const text = chunk.toString('utf8');
      logStream.write(text);
      if (!settled) seen += text;
      for (const line of text.split('\n')) if (line.trim() && onOutput) onOutput(line);
      if (!settled && /HTTP server listening on/.test(seen)) {
        settled = true;
        clearTimeout(timer);
        resolvePromise({
          url: `http://127.0.0.1:${port}/`,
          port,
          pid: child.pid,
          logFile,
          exited,
          stop: async () => {
            await stop();
            logStream.end();
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    exited.then(({ code, signal }) =>
      fail(new Error(`code-server exited early (code ${code}, signal ${signal}):\n${seen}`)),
    );
  });
}

/** A fresh run folder under the system temp dir (short paths: code-server puts sockets in it). */
export function makeRunDir(prefix) {
  return mkdtempSync(join(tmpdir(), `sle-${prefix}-`));
}

/** Read a file if it exists (for diagnostics). */
export function readIfExists(p) {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return '';
  }
}
