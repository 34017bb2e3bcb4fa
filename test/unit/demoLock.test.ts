import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  isHolderAlive,
  processStartId,
  readLockInfo,
  releaseLock,
  tryLock,
  type LockInfo,
} from '../../src/warehouse/demo/demoLock';

const dir = mkdtempSync(join(tmpdir(), 'synclogs-lock-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const lockFile = () => join(dir, `demo-${++n}.lock`);
const write = (file: string, info: LockInfo) => writeFile(file, JSON.stringify(info));

test(
  'a process start id is stable for a process and differs for another one',
  { skip: process.platform === 'win32' && 'needs PowerShell' },
  () => {
    const mine = processStartId(process.pid);
    assert.ok(mine, 'this platform says when a process started');
    assert.equal(processStartId(process.pid), mine);
    assert.notEqual(processStartId(process.ppid), mine);
    assert.equal(processStartId(2 ** 31 - 2), undefined, 'no such process');
  },
);

test('a lock naming a live pid with another start time was left by a process whose pid was reused: it is taken over', async () => {
  const file = lockFile();
  // Our own pid is certainly alive; the start time is not ours, as after a reboot or pid reuse.
  await write(file, {
    pid: process.pid,
    started: 'linux:another-boot:12345',
    version: 'v1',
    token: 'stale',
    createdAt: '2020-01-01T00:00:00.000Z',
  });
  const lock = await tryLock(file, 'v1');
  assert.equal(lock.acquired, true, 'the stale lock was taken over');
  const info = await readLockInfo(file);
  assert.equal(info?.pid, process.pid);
  assert.equal(info?.started, processStartId(process.pid));
  assert.notEqual(info?.token, 'stale');
  if (lock.acquired) await lock.release();
  assert.equal(existsSync(file), false);
});

test('a lock whose process still runs, with the same start time, is held', async () => {
  const file = lockFile();
  const holder: LockInfo = {
    pid: process.ppid,
    started: processStartId(process.ppid),
    host: hostname(),
    version: 'v1',
    token: 'theirs',
  };
  await write(file, holder);
  const lock = await tryLock(file, 'v1');
  assert.equal(lock.acquired, false);
  if (!lock.acquired) assert.equal(lock.holder.token, 'theirs');
  assert.equal((await readLockInfo(file))?.token, 'theirs', 'left alone');
});

test('liveness: a dead pid is gone; an old lock without a start time and a lock from another machine count as held', () => {
  const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
  assert.equal(isHolderAlive({ pid: dead }), false);
  assert.equal(isHolderAlive({ pid: process.ppid }), true);
  assert.equal(
    isHolderAlive({ pid: dead, host: `not-${hostname()}` }),
    true,
    "another machine's pid cannot be checked from here",
  );
  assert.equal(
    isHolderAlive({ pid: process.pid, started: 'other' }, () => 'mine'),
    false,
  );
  assert.equal(
    isHolderAlive({ pid: process.pid, started: 'mine' }, () => 'mine'),
    true,
  );
  assert.equal(
    isHolderAlive({ pid: process.pid, started: 'mine' }, () => undefined),
    true,
    'a start time the platform will not tell: the pid decides',
  );
});

test('a stale lock found by several openers at once is taken by exactly one', async () => {
  for (let round = 0; round < 20; round++) {
    const file = lockFile();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    await write(file, { pid: dead, version: 'v1', token: 'stale' });
    const attempts = await Promise.all(Array.from({ length: 6 }, () => tryLock(file, 'v1')));
    const won = attempts.filter((a) => a.acquired);
    assert.equal(won.length, 1, `round ${round}: ${won.length} openers took the lock`);
    const onDisk = await readLockInfo(file);
    assert.equal(onDisk?.token, (won[0] as { token: string }).token, 'the lock on disk is the winner’s');
  }
});

test('release removes only a lock with its own nonce', async () => {
  const file = lockFile();
  await write(file, { pid: process.pid, token: 'someone-else' });
  await releaseLock(file, 'mine');
  assert.equal(JSON.parse(await readFile(file, 'utf8')).token, 'someone-else');
  await releaseLock(file, 'someone-else');
  assert.equal(existsSync(file), false);
});

test('a given nonce is the one written', async () => {
  const file = lockFile();
  const lock = await tryLock(file, 'v1', { token: 'host-chosen' });
  assert.equal(lock.acquired, true);
  assert.equal((await readLockInfo(file))?.token, 'host-chosen');
});
