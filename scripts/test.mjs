// npm test: every check, in order, with one closing line "N passed, N failed[, N skipped]".
//
//   npm test                         all stages
//   npm test -- --only unit,pg       some stages (integration and ui build first by themselves)
//   npm test -- --skip ui,package    all but some
//   npm test -- --list               the stages
//
// Counting: build and each typecheck count as one check; node:test, mocha, the UI walk and the
// package check report their own counts. A stage that fails without counts, or runs no test,
// counts as one failure.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { formatMs, postgresBinDir, repoRoot, run } from './lib/system.mjs';

const node = process.execPath;
const bin = (name) => join(repoRoot, 'node_modules', '.bin', name);
const MIN = 60_000;

/** Test files in a folder matching *.test.ts (a JS glob: the shell is not involved). */
function testFiles(dir) {
  const abs = join(repoRoot, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs)
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => join(dir, f));
}

/** node:test summary (spec "ℹ pass 3" or TAP "# pass 3"). */
function parseNodeTest(output) {
  const grab = (key) => {
    const all = [...output.matchAll(new RegExp(`^(?:ℹ|#) ${key} (\\d+)\\s*$`, 'gm'))];
    return all.length ? Number(all[all.length - 1][1]) : undefined;
  };
  const tests = grab('tests');
  if (tests === undefined) return undefined;
  return {
    passed: grab('pass') ?? 0,
    failed: (grab('fail') ?? 0) + (grab('cancelled') ?? 0),
    skipped: (grab('skipped') ?? 0) + (grab('todo') ?? 0),
  };
}

/** A "<word>: N passed, N failed[, N skipped]" line printed by our own runners. */
function parsePlain(word) {
  return (output) => {
    const all = [
      ...output.matchAll(new RegExp(`^${word}: (\\d+) passed, (\\d+) failed(?:, (\\d+) skipped)?\\s*$`, 'gm')),
    ];
    if (!all.length) return undefined;
    const m = all[all.length - 1];
    return { passed: Number(m[1]), failed: Number(m[2]), skipped: Number(m[3] ?? 0) };
  };
}

/** Run one command as a stage step; its output is streamed as it comes. */
async function step(label, command, args, { timeoutMs = 10 * MIN, env = process.env } = {}) {
  console.log(`$ ${label}`);
  const res = await run(command, args, {
    env,
    timeoutMs,
    onLine: (l, stream) => (stream === 'stderr' ? process.stderr : process.stdout).write(`${l}\n`),
  });
  if (res.timedOut)
    console.log(`\n[test] TIMEOUT: "${label}" was still running after ${formatMs(timeoutMs)}: stopped it`);
  return res;
}

/** A stage that counts as one check: passed when the command exits 0. */
async function singleCheck(label, command, args, opts) {
  const r = await step(label, command, args, opts);
  return r.code === 0
    ? { passed: 1, failed: 0, skipped: 0 }
    : { passed: 0, failed: 1, skipped: 0, note: `${label} exited ${r.code}` };
}

/** A stage whose command reports counts; exit code and counts must agree. */
async function countedStage(label, command, args, parse, opts) {
  const r = await step(label, command, args, opts);
  const counts = parse(r.output);
  if (r.timedOut)
    return {
      passed: counts?.passed ?? 0,
      failed: Math.max(1, counts?.failed ?? 0),
      skipped: counts?.skipped ?? 0,
      note: 'timed out',
    };
  if (!counts) return { passed: 0, failed: 1, skipped: 0, note: `no test summary found (exit ${r.code})` };
  if (counts.passed + counts.failed === 0) return { ...counts, failed: 1, note: 'ran no test' };
  if (r.code !== 0 && counts.failed === 0)
    return { ...counts, failed: 1, note: `exit ${r.code} with no failing test reported` };
  return { ...counts, note: r.code === 0 ? undefined : `exit ${r.code}` };
}

async function nodeTests(dir, env) {
  const files = testFiles(dir);
  if (files.length === 0) {
    console.log(`[test] no ${dir}/*.test.ts file: a stage with no test fails`);
    return { passed: 0, failed: 1, skipped: 0, note: `no test files in ${dir}` };
  }
  return countedStage(
    `node --import tsx --test ${dir}/*.test.ts (${files.length} files)`,
    node,
    ['--import', 'tsx', '--test', '--test-reporter=spec', ...files],
    parseNodeTest,
    { env },
  );
}

const stages = [
  {
    name: 'build',
    title: 'build (node esbuild.mjs --tests)',
    run: () => singleCheck('node esbuild.mjs --tests', node, ['esbuild.mjs', '--tests']),
  },
  {
    name: 'typecheck',
    title: 'typecheck (tsc --noEmit)',
    run: async () => {
      const a = await singleCheck('tsc --noEmit -p tsconfig.json', node, [
        bin('tsc'),
        '--noEmit',
        '-p',
        'tsconfig.json',
      ]);
      const b = await singleCheck('tsc --noEmit -p webview/tsconfig.json', node, [
        bin('tsc'),
        '--noEmit',
        '-p',
        'webview/tsconfig.json',
      ]);
      return {
        passed: a.passed + b.passed,
        failed: a.failed + b.failed,
        skipped: 0,
        note: [a.note, b.note].filter(Boolean).join('; ') || undefined,
      };
    },
  },
  {
    name: 'lint',
    title: 'lint and format (eslint, prettier --check)',
    run: async () => {
      // Two checks: the type-aware lint (eslint.config.mjs) and the layout (.prettierrc.json).
      const a = await singleCheck('eslint .', node, [bin('eslint'), '.'], { timeoutMs: 5 * MIN });
      const b = await singleCheck('prettier --check .', node, [bin('prettier'), '--check', '--log-level', 'warn', '.']);
      return {
        passed: a.passed + b.passed,
        failed: a.failed + b.failed,
        skipped: 0,
        note: [a.note, b.note].filter(Boolean).join('; ') || undefined,
      };
    },
  },
  {
    name: 'unit',
    title: 'unit tests (node:test)',
    run: () => nodeTests('test/unit'),
  },
  {
    name: 'fuzz',
    title: 'fuzz: the text paths with random and adversarial strings, bounded by step counts (node:test)',
    run: () => nodeTests('test/fuzz'),
  },
  {
    name: 'pg',
    title: 'Postgres tests (node:test, real server)',
    run: async () => {
      const { ensureSystem } = await import('./lib/system.mjs');
      try {
        ensureSystem(['postgres']);
      } catch (err) {
        console.log(String(err.message ?? err));
        return { passed: 0, failed: 1, skipped: 0, note: 'PostgreSQL is not installed' };
      }
      // Debian keeps initdb/pg_ctl out of PATH.
      const pgBin = postgresBinDir();
      const env = pgBin ? { ...process.env, PATH: `${pgBin}:${process.env.PATH}` } : process.env;
      return nodeTests('test/pg', env);
    },
  },
  {
    name: 'warehouses',
    title: 'Snowflake, BigQuery, Databricks drivers against protocol fakes on 127.0.0.1 (node:test)',
    run: () => nodeTests('test/warehouses'),
  },
  {
    name: 'integration',
    title: 'integration suite in VS Code (code-server + Chromium)',
    needsBuild: true,
    run: () =>
      countedStage(
        'node test/harness/runIntegration.mjs',
        node,
        ['test/harness/runIntegration.mjs'],
        parsePlain('integration'),
        {
          timeoutMs: 8 * MIN,
        },
      ),
  },
  {
    name: 'ui',
    title: 'UI walk in Chromium',
    needsBuild: true,
    run: () =>
      countedStage('node test/ui/walk.mjs', node, ['test/ui/walk.mjs'], parsePlain('ui'), { timeoutMs: 8 * MIN }),
  },
  {
    name: 'preview',
    title: 'the four analysis webviews in Chromium with sample data, light and dark',
    needsBuild: true,
    run: () =>
      countedStage('node test/ui/preview/preview.mjs', node, ['test/ui/preview/preview.mjs'], parsePlain('preview'), {
        timeoutMs: 5 * MIN,
      }),
  },
  {
    name: 'grid',
    title: 'the results grid in Chromium with a million-row result, light and dark, and at 400 px',
    needsBuild: true,
    run: () =>
      countedStage(
        'node --import tsx test/ui/preview/grid.mjs',
        node,
        ['--import', 'tsx', 'test/ui/preview/grid.mjs'],
        parsePlain('grid'),
        { timeoutMs: 5 * MIN },
      ),
  },
  {
    name: 'renderer',
    title: 'the notebook output renderer in Chromium: a million-row grid output and chart outputs, light and dark',
    needsBuild: true,
    run: () =>
      countedStage(
        'node --import tsx test/ui/preview/notebookOutput.mjs',
        node,
        ['--import', 'tsx', 'test/ui/preview/notebookOutput.mjs'],
        parsePlain('renderer'),
        { timeoutMs: 5 * MIN },
      ),
  },
  {
    name: 'package',
    title: 'package the .vsix and check it',
    run: () =>
      countedStage('node scripts/package.mjs', node, ['scripts/package.mjs'], parsePlain('package'), {
        timeoutMs: 5 * MIN,
      }),
  },
];

function parseArgs(argv) {
  const names = stages.map((s) => s.name);
  const list = (flag) => {
    const i = argv.findIndex((a) => a === flag || a.startsWith(`${flag}=`));
    if (i < 0) return undefined;
    const value = argv[i].includes('=') ? argv[i].split('=')[1] : argv[i + 1];
    const items = (value ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const unknown = items.filter((s) => !names.includes(s));
    if (!items.length || unknown.length) {
      console.error(
        `${flag}: unknown stage(s) ${unknown.join(', ') || '(none given)'}; stages are: ${names.join(', ')}`,
      );
      process.exit(2);
    }
    return items;
  };
  if (argv.includes('--list') || argv.includes('--help')) {
    for (const s of stages) console.log(`${s.name.padEnd(12)} ${s.title}`);
    console.log('\nnpm test -- --only unit,pg | --skip ui,package');
    process.exit(0);
  }
  const only = list('--only');
  const skip = list('--skip') ?? [];
  let selected = names.filter((n) => (only ? only.includes(n) : true) && !skip.includes(n));
  if (
    !selected.includes('build') &&
    !skip.includes('build') &&
    stages.some((s) => s.needsBuild && selected.includes(s.name))
  ) {
    console.log('[test] integration/ui need a fresh build: adding the build stage');
    selected = ['build', ...selected];
  }
  return selected;
}

async function main() {
  const selected = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const results = [];
  let buildFailed = false;
  const chosen = stages.filter((s) => selected.includes(s.name));
  for (const [i, stage] of chosen.entries()) {
    console.log(`\n${'='.repeat(100)}\n== [${i + 1}/${chosen.length}] ${stage.title}\n${'='.repeat(100)}`);
    const t = Date.now();
    let r;
    if (stage.needsBuild && buildFailed) {
      console.log('[test] not run: the build failed (a stale bundle would test old code)');
      r = { passed: 0, failed: 1, skipped: 0, note: 'not run: build failed' };
    } else {
      try {
        r = await stage.run();
      } catch (err) {
        console.log(err?.stack ?? String(err));
        r = { passed: 0, failed: 1, skipped: 0, note: `crashed: ${err?.message ?? err}` };
      }
    }
    if (stage.name === 'build' && r.failed) buildFailed = true;
    const ms = Date.now() - t;
    results.push({ name: stage.name, ms, ...r });
    console.log(
      `\n== ${stage.name}: ${r.failed ? 'FAILED' : 'ok'} (${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}) in ${formatMs(ms)}`,
    );
  }

  const total = results.reduce(
    (a, r) => ({ passed: a.passed + r.passed, failed: a.failed + r.failed, skipped: a.skipped + r.skipped }),
    {
      passed: 0,
      failed: 0,
      skipped: 0,
    },
  );
  console.log(`\n${'='.repeat(100)}\nSummary (${formatMs(Date.now() - started)} in all)`);
  for (const r of results) {
    const status = r.failed ? 'FAILED' : 'ok';
    console.log(
      `  ${r.name.padEnd(12)} ${status.padEnd(7)} pass ${String(r.passed).padStart(4)}  fail ${String(r.failed).padStart(3)}  skip ${String(r.skipped).padStart(3)}  ${formatMs(r.ms).padStart(8)}${r.note ? `  (${r.note})` : ''}`,
    );
  }
  console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
  process.exit(total.failed ? 1 : 0);
}

await main();
