import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';

/**
 * A lock file that says which process has the demo's PGlite data dir open. Postgres (and so PGlite)
 * corrupts a data dir opened by two processes at once, and two VS Code windows are two processes.
 */
export interface LockInfo {
  pid: number;
  /**
   * When the holder process started (see processStartId): a pid alone is reused by the system, so
   * a lock left by a crashed window could otherwise name some unrelated live process forever.
   */
  started?: string;
  /** A lock on a storage dir shared between machines names a pid of another machine's. */
  host?: string;
  /** Generator version of the process holding the lock: a window on another version builds its own demo. */
  version?: string;
  /** Nonce of this lock: only its owner removes it. */
  token?: string;
  createdAt?: string;
}

export type LockAttempt =
  { acquired: true; token: string; release(): Promise<void> } | { acquired: false; holder: LockInfo };

/** True when a process with this pid exists (EPERM: it exists but belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * An opaque id of the start of process `pid`, equal for the same process whenever asked and different
 * for a later process given the same pid; undefined when the platform will not say.
 * Linux: boot id and /proc/<pid>/stat field 22 (start time in clock ticks since boot). Elsewhere
 * `ps` (macOS, BSD) or PowerShell (Windows) give the start time.
 */
export function processStartId(pid: number): string | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  if (process.platform === 'linux') {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Field 2 is the command name in parentheses and may itself hold spaces and ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = fields[22 - 3];
      if (!ticks || !/^\d+$/.test(ticks)) return undefined;
      return `linux:${bootId()}:${ticks}`;
    } catch {
      return undefined;
    }
  }
  try {
    if (process.platform === 'win32') {
      const out = execFileSync(
        'powershell.exe',
        ['-NoProfile', '-NonInteractive', '-Command', `(Get-Process -Id ${pid}).StartTime.ToUniversalTime().Ticks`],
        {
          encoding: 'utf8',
          timeout: 5000,
          windowsHide: true,
          stdio: ['ignore', 'pipe', 'ignore'],
        },
      ).trim();
      return /^\d+$/.test(out) ? `win:${out}` : undefined;
    }
    const out = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], {
      encoding: 'utf8',
      timeout: 5000,
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return out ? `ps:${out.replace(/\s+/g, ' ')}` : undefined;
  } catch {
    return undefined;
  }
}

let cachedBootId: string | undefined;
function bootId(): string {
  if (cachedBootId === undefined) {
    try {
      cachedBootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      cachedBootId = '';
    }
  }
  return cachedBootId;
}

/**
 * Whether the process that wrote this lock still runs. A lock from another machine cannot be
 * checked and counts as held; a lock without a start time (an older version's) is judged by its pid.
 */
export function isHolderAlive(
  holder: LockInfo,
  startIdOf: (pid: number) => string | undefined = processStartId,
): boolean {
  if (holder.host !== undefined && holder.host !== hostname()) return true;
  if (!isProcessAlive(holder.pid)) return false;
  if (holder.started === undefined) return true;
  const now = startIdOf(holder.pid);
  return now === undefined || now === holder.started;
}

export async function readLockInfo(lockFile: string): Promise<LockInfo | undefined> {
  try {
    const info = JSON.parse(await readFile(lockFile, 'utf8')) as LockInfo;
    return typeof info?.pid === 'number' ? info : undefined;
  } catch {
    return undefined;
  }
}

// A lock file younger than this with no readable content is being written right now, not abandoned.
const FRESH_LOCK_MS = 5000;

export interface TryLockOptions {
  /** The nonce to write: the demo worker's host passes its own, so it can release a lock its terminated worker left. */
  token?: string;
  /** For tests: how the start of a pid is identified. */
  startIdOf?: (pid: number) => string | undefined;
}

/**
 * Takes the lock, or says who holds it. A lock whose process is gone (crash, kill, a pid since
 * reused by another process) is taken over. The holder may be this very process (a second
 * opener): that counts as held.
 */
export async function tryLock(lockFile: string, version: string, options: TryLockOptions = {}): Promise<LockAttempt> {
  const startIdOf = options.startIdOf ?? processStartId;
  const token = options.token ?? randomUUID();
  const mine: LockInfo = {
    pid: process.pid,
    started: startIdOf(process.pid),
    host: hostname(),
    version,
    token,
    createdAt: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      const handle = await open(lockFile, 'wx');
      try {
        await handle.writeFile(JSON.stringify(mine));
      } finally {
        await handle.close();
      }
      return { acquired: true, token, release: () => releaseLock(lockFile, token) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = await readLockInfo(lockFile);
    if (holder && isHolderAlive(holder, startIdOf)) return { acquired: false, holder };
    if (!holder && (await ageMs(lockFile)) < FRESH_LOCK_MS) {
      await new Promise((r) => setTimeout(r, 50));
      continue;
    }
    await removeStale(lockFile, holder);
  }
  throw new Error(`Could not take the demo lock ${lockFile}; delete it if no other VS Code window is open.`);
}

/**
 * Removes a dead holder's lock. Two windows may find the same stale lock: without care the second
 * would delete the lock the first has just written in its place. Takeovers go one at a time, and
 * each deletes the lock only if it is still the stale one it read.
 */
async function removeStale(lockFile: string, stale: LockInfo | undefined): Promise<void> {
  const guard = `${lockFile}.takeover`;
  try {
    await writeFile(guard, String(process.pid), { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // A takeover takes milliseconds; a guard older than a few seconds was left by a crash.
    if ((await ageMs(guard)) > FRESH_LOCK_MS) await rm(guard, { force: true });
    else await new Promise((r) => setTimeout(r, 50));
    return;
  }
  try {
    const now = await readLockInfo(lockFile);
    if (JSON.stringify(now) === JSON.stringify(stale)) await rm(lockFile, { force: true });
  } finally {
    await rm(guard, { force: true });
  }
}

/** Removes the lock if it still carries this nonce: after a takeover the file may belong to another process. */
export async function releaseLock(lockFile: string, token: string): Promise<void> {
  const info = await readLockInfo(lockFile);
  if (info?.token === token) await rm(lockFile, { force: true });
}

async function ageMs(file: string): Promise<number> {
  try {
    return Date.now() - (await stat(file)).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** "pid 123, since 14:02:11" (a date too when not today), for messages about the holder. */
export function describeHolder(holder: LockInfo): string {
  const at = holder.createdAt ? new Date(holder.createdAt) : undefined;
  if (!at || Number.isNaN(at.getTime())) return `pid ${holder.pid}`;
  const today = new Date().toDateString() === at.toDateString();
  return `pid ${holder.pid}, since ${today ? at.toLocaleTimeString() : at.toLocaleString()}`;
}
