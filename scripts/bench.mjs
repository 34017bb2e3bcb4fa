// npm run bench: builds once, then runs every bench/*.bench.mjs in its own process, echoing
// its tables and turning its `::check {json}` lines into one summary line per benchmark.
// A MISS is reported, never fatal: benchmarks report, tests assert.
//
//   npm run bench                   every benchmark
//   npm run bench -- --only lsp     bench/lsp.bench.mjs only (comma-separate several)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = join(root, 'bench');

function parseOnly(argv) {
  const i = argv.indexOf('--only');
  if (i < 0) return undefined;
  const value = argv[i + 1];
  if (!value) throw new Error('--only needs a benchmark name, e.g. --only lsp');
  return new Set(value.split(','));
}

/** Runs one benchmark, streaming its output; resolves with its checks and exit code. */
function runBench(file) {
  return new Promise((done) => {
    const child = spawn(process.execPath, [file], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    const checks = [];
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('::check ')) checks.push(JSON.parse(line.slice('::check '.length)));
      else console.log(line);
    });
    child.on('close', (code) => done({ checks, code }));
  });
}

const only = parseOnly(process.argv.slice(2));
const all = existsSync(benchDir)
  ? readdirSync(benchDir)
      .filter((f) => f.endsWith('.bench.mjs'))
      .sort()
  : [];
const chosen = all.filter((f) => !only || only.has(f.replace(/\.bench\.mjs$/, '')));
if (only && chosen.length < only.size) {
  console.error(
    `No benchmark named ${[...only].filter((n) => !all.includes(`${n}.bench.mjs`)).join(', ')} (have: ${all.map((f) => f.replace(/\.bench\.mjs$/, '')).join(', ')})`,
  );
  process.exit(2);
}

// One build up front, so every benchmark measures the current sources. esbuild writes each
// output that builds even when another fails, so a failure is reported and the run goes on:
// each benchmark checks that the outputs it measures are newer than their sources.
const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, encoding: 'utf8' });
if (build.status !== 0) {
  const errors = [
    ...new Set(
      `${build.stdout}${build.stderr}`
        .split('\n')
        .filter((l) => l.includes('[ERROR]'))
        .map((l) => l.trim()),
    ),
  ];
  console.log(`WARNING: node esbuild.mjs failed (${errors.length} errors), benchmarks may measure stale outputs:`);
  for (const line of errors.slice(0, 5)) console.log(`  ${line}`);
}

const summary = [];
for (const file of chosen) {
  const name = file.replace(/\.bench\.mjs$/, '');
  console.log(`\n=== ${name} ===`);
  const { checks, code } = await runBench(join(benchDir, file));
  const missed = checks.filter((c) => !c.pass);
  const figures = checks
    .map(
      (c) =>
        `${c.name} ${c.value} ${c.unit} (target < ${c.target}, ${(c.value / c.target).toFixed(2)}x${c.pass ? '' : ', MISSED'})`,
    )
    .join('; ');
  const verdict = code !== 0 ? 'ERROR' : checks.length === 0 ? 'NO CHECKS' : missed.length ? 'MISS' : 'PASS';
  summary.push(`${verdict.padEnd(9)} ${name}: ${code !== 0 ? `exited with ${code}` : figures}`);
}

console.log('\n=== summary ===');
for (const line of summary) console.log(line);
