// npm run package: a clean production build, `vsce package --no-dependencies` (offline),
// then a check of what the .vsix holds. Prints "package: N passed, N failed".
//
//   node scripts/package.mjs [--out <file.vsix>] [--no-check]
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatMs, repoRoot, run } from './lib/system.mjs';

/** File names in a zip archive, read from its central directory (a .vsix is a zip). */
export function zipEntries(file) {
  const buf = readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file} is not a zip archive`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${n}`);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    entries.push({ name: buf.toString('utf8', p + 46, p + 46 + nameLen), size });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/**
 * What a .vsix must and must not hold.
 * @returns {{ name: string, ok: boolean, detail?: string }[]}
 */
export function checkVsix(file, pkg) {
  const names = zipEntries(file).map((e) => e.name);
  const files = names.filter((n) => n.startsWith('extension/')).map((n) => n.slice('extension/'.length));
  const has = (f) => files.includes(f);
  const some = (re) => files.some((f) => re.test(f));
  const offenders = (re) => files.filter((f) => re.test(f));
  const checks = [];
  const check = (name, ok, detail) => checks.push({ name, ok: Boolean(ok), detail });
  const none = (name, re) => {
    const bad = offenders(re);
    check(name, bad.length === 0, bad.slice(0, 10).join(', ') + (bad.length > 10 ? ` (+${bad.length - 10} more)` : ''));
  };

  check('has extension.vsixmanifest', names.includes('extension.vsixmanifest'));
  for (const f of [
    'package.json',
    'dist/extension.js',
    'dist/cli.js',
    'dist/server.js',
    'dist/adapters/snowflake.js',
    'dist/adapters/bigquery.js',
    'dist/adapters/databricks.js',
    'dist/demoWorker.js',
    'dist/textClassifierWorker.js',
  ])
    check(`has ${f}`, has(f));
  check(
    'has README.md',
    files.some((f) => f.toLowerCase() === 'readme.md'),
  ); // vsce stores it as readme.md
  check('has dist/webview/*.js', some(/^dist\/webview\/[^/]+\.js$/));
  check('has pglite package.json', has('dist/node_modules/@electric-sql/pglite/package.json'));
  check('has pglite .wasm', some(/^dist\/node_modules\/@electric-sql\/pglite\/.+\.wasm$/));
  check('has pglite .data', some(/^dist\/node_modules\/@electric-sql\/pglite\/.+\.data$/));
  check('has pglite .cjs', some(/^dist\/node_modules\/@electric-sql\/pglite\/.+\.cjs$/));
  check('has media/', some(/^media\/./));
  check('has snippets/', some(/^snippets\/./));

  // Files that package.json points at must be inside.
  const referenced = [
    pkg.main,
    ...Object.values(typeof pkg.bin === 'string' ? { bin: pkg.bin } : (pkg.bin ?? {})),
    pkg.icon,
    ...(pkg.contributes?.snippets ?? []).map((s) => s.path),
    ...Object.values(pkg.contributes?.viewsContainers ?? {})
      .flat()
      .map((c) => c.icon),
    ...Object.values(pkg.contributes?.views ?? {})
      .flat()
      .map((v) => v.icon),
    ...(pkg.contributes?.notebookRenderer ?? []).map((r) => r.entrypoint),
  ].filter((r) => typeof r === 'string' && !r.startsWith('$('));
  const missingRefs = [...new Set(referenced)]
    .map((r) => r.replace(/^\.\//, ''))
    .filter((r) => !has(r) && !has(`${r}.js`));
  check('has every file package.json refers to', missingRefs.length === 0, missingRefs.join(', '));

  none('no src/', /^src\//);
  none('no test/ or out/', /^(test|out)\//);
  none('no webview sources', /^webview\//);
  none('no scripts/ or .ci/', /^(scripts|\.ci)\//);
  none('no node_modules outside dist', /^node_modules\//);
  none('no TypeScript sources', /\.(ts|tsx|mts|cts)$/);
  none('no source maps', /\.map$/);
  none(
    'no build or lock files',
    /(^|\/)(tsconfig[^/]*\.json|esbuild\.mjs|package-lock\.json|\.vscodeignore|\.gitignore)$/,
  );
  const devDeps = Object.keys(pkg.devDependencies ?? {});
  none(
    'no dev dependency',
    new RegExp(
      `(^|/)node_modules/(${devDeps.map((d) => d.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|') || '$^'})/`,
    ),
  );
  return { checks, files };
}

async function main() {
  const args = process.argv.slice(2);
  const started = Date.now();
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  const outIdx = args.indexOf('--out');
  const out = outIdx >= 0 ? resolve(args[outIdx + 1]) : join(repoRoot, `${pkg.name}-${pkg.version}.vsix`);

  // A clean dist/: vsce runs "vscode:prepublish" (the production build) and must not pick up
  // files an earlier development build left behind.
  rmSync(join(repoRoot, 'dist'), { recursive: true, force: true });
  rmSync(out, { force: true });
  const vsceArgs = ['package', '--no-dependencies', '--out', out];
  // Without a public repository, README images stay relative: VS Code shows them from the installed extension.
  if (!pkg.repository) vsceArgs.push('--allow-missing-repository', '--no-rewrite-relative-links');
  if (!existsSync(join(repoRoot, 'LICENSE')) && !existsSync(join(repoRoot, 'LICENSE.md')))
    vsceArgs.push('--skip-license');
  console.log(`[package] vsce ${vsceArgs.join(' ')}`);
  const res = await run(join(repoRoot, 'node_modules', '.bin', 'vsce'), vsceArgs, {
    env: { ...process.env, CI: 'true' },
    onLine: (l, stream) => (stream === 'stderr' ? process.stderr : process.stdout).write(`${l}\n`),
  });
  if (res.code !== 0 || !existsSync(out)) {
    console.log(`[package] vsce package failed (exit ${res.code})`);
    console.log('package: 0 passed, 1 failed');
    process.exit(1);
  }
  if (args.includes('--no-check')) {
    console.log(`[package] ${relative(process.cwd(), out)} (${(statSync(out).size / 1024 / 1024).toFixed(2)} MB)`);
    return;
  }
  const { checks, files } = checkVsix(out, pkg);
  for (const c of checks)
    console.log(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}${!c.ok && c.detail ? `: ${c.detail}` : ''}`);
  const size = statSync(out).size;
  console.log(
    `[package] ${relative(process.cwd(), out) || out}: ${(size / 1024 / 1024).toFixed(2)} MB, ${files.length} files, in ${formatMs(Date.now() - started)}`,
  );
  const failed = checks.filter((c) => !c.ok).length;
  console.log(`package: ${checks.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
