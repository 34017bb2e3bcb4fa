// Results that scale (issue 13), on a real Postgres with the demo at about 1M and 10M changelog
// rows (BENCH_SCALES, as the analysis benchmark):
// - the first page of `select * from sync_changelog` costs about what the same query with
//   `limit <page>` costs, through the extension's Run Query path (readResult over the Postgres
//   adapter's stream) and the CLI;
// - Run Query holding every row (syncLogs.maxResultRows above the result): peak memory bounded by
//   the memory budget, the rest spooled to disk;
// - `synclogs query --out FILE.csv` of every row against `psql --csv` into a file, and its peak
//   memory (bounded: near the same at 1M and 10M);
// - the same export to Parquet against the export to CSV (at the scales up to about 3M rows).
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { check, printTable } from './lib/report.mjs';
import { sideBySide } from './lib/sideBySide.mjs';
import { demoDatabase, startBenchPostgres } from './lib/benchPostgres.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'out', 'bench', 'queryPath.cjs');
await esbuild.build({
  stdin: {
    contents: `export { openPostgresWarehouse } from './src/warehouse/postgres/postgresWarehouse';
export { readResult } from './src/results/readResult';`,
    resolveDir: root,
    loader: 'ts',
  },
  outfile: bundle,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode', 'pg-native'],
  logLevel: 'error',
});
const { openPostgresWarehouse, readResult } = createRequire(import.meta.url)(bundle);
/** Run Query's memory budget (syncLogs.resultMemoryBudgetMB's default). */
const BUDGET = 64 * 1024 * 1024;
const run = promisify(execFile);

const SCALES = (process.env.BENCH_SCALES ?? '3.7,39').split(',').map(Number);
const PAGE = 1000;
const TARGET = 1.5;
const SQL = 'select * from hightouch_audit.sync_changelog';
const log = (line) => console.log(line);
const ms = (x) => `${Math.round(x)} ms`;

const server = await startBenchPostgres();
const rows = [];
const peaks = [];
const heldPeaks = [];
// Runs argv, then prints the peak resident set of the children in KiB (Linux ru_maxrss).
const MAXRSS_PY =
  'import resource,subprocess,sys\nr=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL)\nsys.exit(r.returncode) if r.returncode else print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)';
try {
  for (const scale of SCALES) {
    const db = await demoDatabase(root, server.url, scale, log);
    const label = `${(db.rows / 1e6).toFixed(2)}M`;
    const warehouse = await openPostgresWarehouse({ connectionString: db.url }, { poolSize: 2 });
    try {
      // Run Query's read: the stream into a spool, cut at the cap (src/results/readResult.ts).
      const read = (sql) => async () => {
        const held = await readResult(warehouse, sql, [], { maxRows: PAGE, budgetBytes: BUDGET, spoolDir: tmpdir() });
        held.rows.dispose();
        return held;
      };
      const capped = read(SQL);
      const limited = read(`${SQL} limit ${PAGE}`);
      const first = await capped();
      if (first.rows.count !== PAGE || first.rowCountExact !== false)
        throw new Error(`the capped query kept ${first.rows.count} rows (exact: ${first.rowCountExact})`);
      const host = await sideBySide(capped, limited, 9);
      rows.push([
        label,
        'Run Query path (Postgres adapter)',
        ms(host.a),
        ms(host.b),
        `${host.ratio.toFixed(2)}x`,
        `≤ ${TARGET}x`,
      ]);
      check(`first page, Run Query path @ ${label}`, host.ratio, TARGET, 'x');
      const cli = (sql) => () =>
        run(process.execPath, [join(root, 'dist', 'cli.js'), 'query', '--url', db.url, '--format', 'csv', sql], {
          maxBuffer: 64 * 1024 * 1024,
        });
      const viaCli = await sideBySide(cli(SQL), cli(`${SQL} limit ${PAGE}`), 5);
      rows.push([
        label,
        'synclogs query (default cap 1,000)',
        ms(viaCli.a),
        ms(viaCli.b),
        `${viaCli.ratio.toFixed(2)}x`,
        `≤ ${TARGET}x`,
      ]);
      check(`first page, CLI @ ${label}`, viaCli.ratio, TARGET, 'x');
      // Every row into a file: against psql --csv, with each side's peak memory (resident set, from
      // getrusage of the child, read through python3 so both are measured the same way).
      const file = join(tmpdir(), `synclogs-bench-${process.pid}.csv`);
      const measured = async (argv) => {
        const { stdout } = await run('python3', ['-c', MAXRSS_PY, ...argv], { maxBuffer: 1024 * 1024 });
        return Number(stdout.trim().split('\n').pop()) / 1024;
      };
      let oursMb = 0;
      let psqlMb = 0;
      const ours = () =>
        measured([process.execPath, join(root, 'dist', 'cli.js'), 'query', '--url', db.url, '--out', file, SQL]).then(
          (mb) => (oursMb = Math.max(oursMb, mb)),
        );
      const psql = () =>
        measured(['sh', '-c', `psql --csv -X -q -d '${db.url}' -c '${SQL}' > '${file}'`]).then(
          (mb) => (psqlMb = Math.max(psqlMb, mb)),
        );
      const exp = await sideBySide(ours, psql, db.rows > 3_000_000 ? 1 : 3);
      await rm(file, { force: true });
      rows.push([
        label,
        'synclogs query --out FILE.csv (every row)',
        ms(exp.a),
        ms(exp.b),
        `${exp.ratio.toFixed(2)}x`,
        `≤ ${TARGET}x`,
      ]);
      rows.push([
        label,
        '  peak memory: synclogs / psql',
        `${Math.round(oursMb)} MB`,
        `${Math.round(psqlMb)} MB`,
        '',
        '≤ 300 MB',
      ]);
      peaks.push(oursMb);
      check(`export every row to CSV vs psql @ ${label}`, exp.ratio, TARGET, 'x');
      check(`export peak memory @ ${label}`, oursMb, 300, 'MB');
      // Run Query with the cap above the result: every row held, memory bounded by the budget (the rest spooled).
      const holdAll = [
        '-e',
        `const { openPostgresWarehouse, readResult } = require(${JSON.stringify(bundle)});
(async () => {
  const w = await openPostgresWarehouse({ connectionString: ${JSON.stringify(db.url)} }, { poolSize: 1 });
  const held = await readResult(w, ${JSON.stringify(SQL)}, [], { maxRows: 1e9, budgetBytes: ${BUDGET}, spoolDir: require('node:os').tmpdir() });
  if (held.rows.count !== ${db.rows} || held.rows.inMemory) throw new Error('held ' + held.rows.count + ' rows, in memory: ' + held.rows.inMemory);
  held.rows.row(${db.rows - 1});
  held.rows.dispose();
  await w.close();
})().catch((e) => { console.error(e); process.exit(1); });`,
      ];
      const heldStarted = Date.now();
      const heldMb = await measured([process.execPath, ...holdAll]);
      rows.push([
        label,
        'Run Query holding every row (spooled past 64 MB): peak memory',
        `${Math.round(heldMb)} MB`,
        `${ms(Date.now() - heldStarted)}`,
        '',
        'bounded',
      ]);
      heldPeaks.push(heldMb);
      if (db.rows <= 3_000_000) {
        const parquetFile = join(tmpdir(), `synclogs-bench-${process.pid}.parquet`);
        const out = (target) => () =>
          run(process.execPath, [join(root, 'dist', 'cli.js'), 'query', '--url', db.url, '--out', target, SQL], {
            maxBuffer: 1024 * 1024,
          });
        const pq = await sideBySide(out(parquetFile), out(file), 3);
        await Promise.all([rm(parquetFile, { force: true }), rm(file, { force: true })]);
        rows.push([
          label,
          'synclogs query --out FILE.parquet vs FILE.csv',
          ms(pq.a),
          ms(pq.b),
          `${pq.ratio.toFixed(2)}x`,
          '≤ 2x',
        ]);
        check(`export every row to Parquet vs CSV @ ${label}`, pq.ratio, 2, 'x');
      }
    } finally {
      await warehouse.close();
    }
  }
  if (heldPeaks.length > 1) {
    // Bounded, not small: V8 lets its heap grow past what is held (64 MB estimated, about 45 MB
    // used after a GC at 1M rows) before it collects, so the peak is a few times the budget.
    const growth = Math.max(...heldPeaks) / Math.min(...heldPeaks);
    rows.push([
      '',
      'Run Query holding every row: peak memory, largest / smallest scale',
      `${growth.toFixed(2)}x`,
      '',
      '',
      '≤ 1.5x',
    ]);
    check('Run Query holding every row: peak memory, largest / smallest scale', growth, 1.5, 'x');
  }
  if (peaks.length > 1)
    rows.push([
      '',
      'peak memory, largest / smallest scale',
      `${(Math.max(...peaks) / Math.min(...peaks)).toFixed(2)}x`,
      '',
      '',
      'near 1',
    ]);
} finally {
  await server.stop();
}
printTable(
  `First page of "${SQL}" against the same query with "limit ${PAGE}" (medians of alternating runs; ratio: median of pairs)`,
  ['rows', 'path', 'capped', 'with limit', 'ratio', 'target'],
  rows,
);
