import { randomUUID } from 'node:crypto';
import { open, readFile, rm, stat } from 'node:fs/promises';

/**
 * A lock file that says which process has the demo's PGlite data dir open. Postgres (and so PGlite)
 * corrupts a data dir opened by two processes at once, and two VS Code windows are two processes.
 */
export interface LockInfo {
  pid: number;
  /** Generator version of the process holding the lock: a window on another version builds its own demo. */
  version?: string;
  token?: string;
  createdAt?: string;
}

export type LockAttempt = { acquired: true; release(): Promise<void> } | { acquired: false; holder: LockInfo };

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

export async function readLockInfo(lockFile: string): Promise<LockInfo | undefined> {
  try {
    const info = JSON.parse(await readFile(lockFile, 'utf8')) as LockInfo;
    return typeof info.pid === 'number' ? info : undefined;
  } catch {
    return undefined;
  }
}

// A lock file younger than this with no readable content is being written right now, not abandoned.
const FRESH_LOCK_MS = 5000;

/**
 * Takes the lock, or says who holds it. A lock whose process is gone (crash, kill) is taken over.
 * The holder may be this very process (a second opener): that counts as held.
 */
export async function tryLock(lockFile: string, version: string): Promise<LockAttempt> {
  const mine: LockInfo = { pid: process.pid, version, token: randomUUID(), createdAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      const handle = await open(lockFile, 'wx');
      try {
        await handle.writeFile(JSON.stringify(mine));
      } finally {
        await handle.close();
      }
      return { acquired: true, release: () => releaseLock(lockFile, mine.token!) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = await readLockInfo(lockFile);
    if (holder && isProcessAlive(holder.pid)) return { acquired: false, holder };
    if (!holder && (await ageMs(lockFile)) < FRESH_LOCK_MS) {
      await new Promise((r) => setTimeout(r, 50));
      continue;
    }
    await rm(lockFile, { force: true });
  }
  throw new Error(`Could not take the demo lock ${lockFile}; delete it if no other VS Code window is open.`);
}

async function releaseLock(lockFile: string, token: string): Promise<void> {
  // Only remove our own lock: after a takeover the file may belong to another process.
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
