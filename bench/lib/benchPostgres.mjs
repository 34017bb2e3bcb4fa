// A real Postgres for the analysis benchmark, loaded by `synclogs demo load`. The server's data
// directory is kept in the cache between runs (loading 10 million changelog rows takes minutes),
// and each scale's database carries a marker of the generator it was loaded with, so a change
// to the demo generator reloads it. SYNCLOGS_BENCH_PG_URL uses a server you run instead.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { sourceHash } from '../../scripts/lib/sourceHash.mjs';

// As root the server runs as the postgres OS user, which cannot enter /root: keep it in /var/tmp then.
const CACHE =
  process.getuid?.() === 0
    ? '/var/tmp/sync-logs-explorer/bench-postgres'
    : join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'sync-logs-explorer', 'bench-postgres');

function postgresBin() {
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length) return join(base, versions[0], 'bin');
  }
  const which = spawnSync('which', ['initdb'], { encoding: 'utf8' });
  if (which.status === 0) return join(which.stdout.trim(), '..');
  throw new Error(
    'No PostgreSQL server binaries (initdb) found: apt-get install postgresql, or set SYNCLOGS_BENCH_PG_URL.',
  );
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });

/** Starts (initialising once) the cached server; returns its URL base and a stop function. */
export async function startBenchPostgres() {
  if (process.env.SYNCLOGS_BENCH_PG_URL)
    return { url: process.env.SYNCLOGS_BENCH_PG_URL.replace(/\/[^/]*$/, ''), stop: async () => {} };
  const bin = postgresBin();
  const asRoot = process.getuid?.() === 0;
  const run = (tool, args) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args], { stdio: 'pipe', encoding: 'utf8' })
      : execFileSync(join(bin, tool), args, { stdio: 'pipe', encoding: 'utf8' });
  const data = join(CACHE, 'data');
  mkdirSync(CACHE, { recursive: true });
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(CACHE, uid, gid);
  }
  if (!existsSync(join(data, 'PG_VERSION'))) {
    run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-locale', '-E', 'UTF8', '--no-sync']);
  }
  const port = await freePort();
  // Settings of a modest analytics server; fsync off because the data can always be reloaded.
  const options = [
    `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${CACHE}`,
    '-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c wal_level=minimal -c max_wal_senders=0',
    '-c max_wal_size=8GB -c shared_buffers=512MB -c work_mem=64MB',
  ].join(' ');
  run('pg_ctl', ['-D', data, '-l', join(CACHE, 'server.log'), '-o', options, '-w', 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}`,
    stop: async () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      } catch {
        // Already stopped.
      }
    },
  };
}

/** A fingerprint of the demo generator, so data loaded by an older generator is reloaded. */
/**
 * A database holding the demo sync log at `scale`, loaded by the real CLI when missing or stale.
 * Returns its URL and its changelog row count.
 */
export async function demoDatabase(root, serverUrl, scale, log) {
  const name = `synclogs_bench_${String(scale).replace('.', '_')}`;
  const version = sourceHash(join(root, 'src', 'demo'));
  const admin = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  await admin.connect();
  const exists = (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount > 0;
  if (!exists) await admin.query(`create database ${name}`);
  await admin.end();
  const url = `${serverUrl}/${name}`;
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const marker = await db
      .query('select version from bench_meta.loaded where scale = $1', [String(scale)])
      .then((r) => r.rows[0]?.version)
      .catch(() => undefined);
    if (marker !== version) {
      log(`Loading the demo at scale ${scale} into ${name} (once; reused by later runs)…`);
      const began = Date.now();
      const load = spawnSync(
        process.execPath,
        [join(root, 'dist', 'cli.js'), 'demo', 'load', '--url', url, '--scale', String(scale)],
        { encoding: 'utf8' },
      );
      if (load.status !== 0) throw new Error(`synclogs demo load failed: ${load.stderr || load.stdout}`);
      // Settled, as a table that has been read before: hint bits set and the visibility map built
      // (right after a load, the index-only reference scan took 1.7 s at 10M rows against 0.5 s settled).
      await db.query('vacuum analyze');
      await db.query('create schema if not exists bench_meta');
      await db.query('create table if not exists bench_meta.loaded (scale text primary key, version text)');
      await db.query(
        'insert into bench_meta.loaded values ($1, $2) on conflict (scale) do update set version = excluded.version',
        [String(scale), version],
      );
      log(`  loaded in ${Math.round((Date.now() - began) / 1000)} s`);
    }
    const rows = Number((await db.query('select count(*) as n from hightouch_audit.sync_changelog')).rows[0].n);
    return { url, rows };
  } finally {
    await db.end();
  }
}
