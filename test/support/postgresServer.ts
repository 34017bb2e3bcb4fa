import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { appendFile, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface PostgresServer {
  /** Superuser URL over TCP (trust authentication on loopback). */
  url: string;
  port: number;
  host: string;
  user: string;
  database: string;
  /** A role that must authenticate with SCRAM over TCP: for wrong-password tests. */
  passwordRole: { user: string; password: string };
  /** Unix socket directory (inside the temporary directory). */
  socketDir: string;
  stop(): Promise<void>;
}

const SUPERUSER = 'postgres';
const PASSWORD_ROLE = { user: 'synclogs_pw', password: 'correct horse battery staple' };

/**
 * Starts a real PostgreSQL server from Debian's `postgresql` package in a temporary directory,
 * on a free loopback port, tuned for tests (no fsync). initdb refuses to run as root, so as root
 * the server runs as the `postgres` OS user, which owns the temporary directory.
 */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = findPostgresBin();
  const owner = process.getuid?.() === 0 ? postgresOsUser() : undefined;
  // The postgres user must reach the directory: a root TMPDIR (e.g. under /root) would not do.
  const dir = await mkdtemp(join(owner ? '/tmp' : tmpdir(), 'synclogs-pg-'));
  const dataDir = join(dir, 'data');
  const socketDir = dir;
  if (owner) await chown(dir, owner.uid, owner.gid);

  const pgCommand = (tool: string, args: string[]) =>
    owner
      ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args], { cwd: dir })
      : run(join(bin, tool), args, { cwd: dir });

  try {
    await pgCommand('initdb', [
      '-D',
      dataDir,
      '-U',
      SUPERUSER,
      '-A',
      'trust',
      '--no-locale',
      '-E',
      'UTF8',
      '--no-sync',
    ]);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${(err as { stderr?: string }).stderr ?? (err as Error).message}`);
  }
  // The password role's line comes first: pg_hba.conf uses the first line that matches.
  await writeFile(
    join(dataDir, 'pg_hba.conf'),
    [
      'local all all trust',
      `host all ${PASSWORD_ROLE.user} 127.0.0.1/32 scram-sha-256`,
      `host all ${PASSWORD_ROLE.user} ::1/128 scram-sha-256`,
      'host all all 127.0.0.1/32 trust',
      'host all all ::1/128 trust',
      '',
    ].join('\n'),
  );
  await appendFile(
    join(dataDir, 'postgresql.conf'),
    [
      '',
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${socketDir}'`,
      'fsync = off',
      'synchronous_commit = off',
      'full_page_writes = off',
      'wal_level = minimal',
      'max_wal_senders = 0',
      'max_wal_size = 4GB',
      'shared_buffers = 256MB',
      "password_encryption = 'scram-sha-256'",
      '',
    ].join('\n'),
  );
  if (owner) {
    // Files written by this (root) process must stay readable by the server's user.
    await chown(join(dataDir, 'pg_hba.conf'), owner.uid, owner.gid);
  }

  const host = '127.0.0.1';
  let port = 0;
  let lastError: unknown;
  const ctl = (args: string[]) => pgCommand('pg_ctl', ['-D', dataDir, ...args]);
  // A free port can be taken between choosing and binding it: try a few.
  for (let attempt = 0; attempt < 5 && !port; attempt++) {
    const candidate = await freePort();
    try {
      await ctl(['-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', `-p ${candidate}`, 'start']);
      port = candidate;
    } catch (err) {
      lastError = err;
    }
  }
  if (!port) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`pg_ctl start failed: ${(lastError as { stderr?: string }).stderr ?? String(lastError)}`);
  }

  let stopped = false;
  const stopSync = () => {
    if (stopped) return;
    try {
      const args = [join(bin, 'pg_ctl'), '-D', dataDir, '-m', 'immediate', '-w', 'stop'];
      if (owner) execFileSync('runuser', ['-u', 'postgres', '--', ...args], { cwd: dir, stdio: 'ignore' });
      else execFileSync(args[0], args.slice(1), { stdio: 'ignore' });
    } catch {
      // already gone
    }
  };
  // A test run that dies must not leave a server behind.
  process.once('exit', stopSync);

  const database = 'postgres';
  const url = `postgres://${SUPERUSER}@${host}:${port}/${database}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`create role ${PASSWORD_ROLE.user} login password '${PASSWORD_ROLE.password}'`);
    await admin.query(`grant all on database ${database} to ${PASSWORD_ROLE.user}`);
  } finally {
    await admin.end();
  }

  return {
    url,
    port,
    host,
    user: SUPERUSER,
    database,
    passwordRole: { ...PASSWORD_ROLE },
    socketDir,
    async stop() {
      if (stopped) return;
      try {
        await ctl(['-m', 'fast', '-w', '-t', '30', 'stop']);
      } catch {
        stopSync();
      }
      stopped = true;
      process.removeListener('exit', stopSync);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Debian keeps the server binaries in /usr/lib/postgresql/<major>/bin; otherwise look in PATH. */
function findPostgresBin(): string {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const majors = readdirSync(root)
      .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (majors.length) return join(root, majors[0], 'bin');
  }
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  }
  throw new Error(
    'PostgreSQL server binaries not found: install them with `apt-get install postgresql` (initdb and pg_ctl are needed).',
  );
}

function postgresOsUser(): { uid: number; gid: number } {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error(
      `Running as ${userInfo().username}: initdb refuses root, and there is no "postgres" OS user to run it as. Install the postgresql package (it creates that user).`,
    );
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
