// The source tree's layers, read from every file's imports: the language server is a leaf (only
// src/lsp, its client, reaches into src/server), the webviews see nothing of src but src/shared,
// src/shared stands alone, and no file imports itself round a circle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const ROOT = join(__dirname, '../..');

/** Keywords after which a `/` starts a regular expression, not a division. */
const BEFORE_REGEX = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
]);

type Token = { kind: 'word' | 'punct'; text: string } | { kind: 'string'; text: string };

/**
 * The tokens that matter for imports: words, punctuation and string literals (their values).
 * Comments, template literals' text and regular expressions are skipped, so an `import` in a
 * comment, a string or a pattern is not one. `${...}` inside a template is read as code.
 */
function tokens(source: string): Token[] {
  const out: Token[] = [];
  /** Open `{` per template substitution being read: at 0 a `}` resumes the template. */
  const braces: number[] = [];
  let i = 0;
  const n = source.length;
  const regexAllowed = () => {
    const last = out[out.length - 1];
    if (!last) return true;
    if (last.kind === 'string') return false;
    if (last.kind === 'word') return BEFORE_REGEX.has(last.text);
    return !(last.text === ')' || last.text === ']' || last.text === '}');
  };
  /** Reads template text from i (just after ` or }) to its end or to a `${`. */
  const templateText = () => {
    while (i < n) {
      const c = source[i];
      if (c === '\\') i += 2;
      else if (c === '`') {
        i++;
        out.push({ kind: 'punct', text: '`' });
        return;
      } else if (c === '$' && source[i + 1] === '{') {
        i += 2;
        braces.push(0);
        out.push({ kind: 'punct', text: '${' });
        return;
      } else i++;
    }
  };
  while (i < n) {
    const c = source[i];
    if (c === '/' && source[i + 1] === '/') {
      while (i < n && source[i] !== '\n') i++;
    } else if (c === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === "'" || c === '"') {
      let value = '';
      for (i++; i < n && source[i] !== c && source[i] !== '\n'; i++) {
        if (source[i] === '\\') i++;
        value += source[i];
      }
      i++;
      out.push({ kind: 'string', text: value });
    } else if (c === '`') {
      i++;
      templateText();
    } else if (c === '/' && regexAllowed()) {
      let inClass = false;
      for (i++; i < n && source[i] !== '\n'; i++) {
        if (source[i] === '\\') i++;
        else if (source[i] === '[') inClass = true;
        else if (source[i] === ']') inClass = false;
        else if (source[i] === '/' && !inClass) break;
      }
      for (i++; i < n && /[a-z]/i.test(source[i]); i++);
      out.push({ kind: 'string', text: '' });
    } else if (/[A-Za-z_$0-9]/.test(c)) {
      const start = i;
      while (i < n && /[A-Za-z_$0-9]/.test(source[i])) i++;
      out.push({ kind: 'word', text: source.slice(start, i) });
    } else if (/\s/.test(c)) {
      i++;
    } else {
      i++;
      if (braces.length > 0 && c === '{') braces[braces.length - 1]++;
      if (braces.length > 0 && c === '}') {
        if (braces[braces.length - 1] === 0) {
          braces.pop();
          templateText();
          continue;
        }
        braces[braces.length - 1]--;
      }
      out.push({ kind: 'punct', text: c });
    }
  }
  return out;
}

/** The module specifiers a file imports: `import ... from`, `import '...'`, `export ... from`, `import('...')`, `import x = require('...')`. */
function importsOf(source: string): string[] {
  const t = tokens(source);
  const found: string[] = [];
  const is = (k: number, text: string) => t[k] !== undefined && t[k].kind !== 'string' && t[k].text === text;
  const str = (k: number) => (t[k]?.kind === 'string' ? t[k].text : undefined);
  /** From k, the string after the first `from` (or `require(`) before a `;` or the next statement keyword. */
  const fromClause = (k: number): string | undefined => {
    for (; k < t.length && !is(k, ';'); k++) {
      if (is(k, 'from') && str(k + 1) !== undefined) return str(k + 1);
      if (is(k, 'require') && is(k + 1, '(') && str(k + 2) !== undefined) return str(k + 2);
      if (t[k].kind === 'string') return undefined;
      if (k > 0 && (is(k, 'import') || is(k, 'export') || is(k, 'const') || is(k, 'function') || is(k, 'class')))
        return undefined;
    }
    return undefined;
  };
  for (let k = 0; k < t.length; k++) {
    if (is(k - 1, '.')) continue; // x.import, import.meta
    if (is(k, 'import')) {
      if (is(k + 1, '(') && str(k + 2) !== undefined) found.push(str(k + 2)!);
      else if (str(k + 1) !== undefined) found.push(str(k + 1)!);
      else if (!is(k + 1, '.') && !is(k + 1, '(')) {
        const spec = fromClause(k + 1);
        if (spec !== undefined) found.push(spec);
      }
    } else if (is(k, 'export')) {
      let j = k + 1;
      if (is(j, 'type')) j++;
      if (is(j, '{') || is(j, '*')) {
        const spec = fromClause(j);
        if (spec !== undefined) found.push(spec);
      }
    }
  }
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Relative imports that name no file, as "file: specifier". */
const unresolved: string[] = [];

/** A relative specifier as a file under ROOT (forward slashes); a package's name as it is. */
function resolveImport(from: string, spec: string): string {
  if (!spec.startsWith('.')) return spec;
  const base = resolve(ROOT, dirname(from), spec);
  const file = [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), base].find(
    (f) => existsSync(f) && statSync(f).isFile(),
  );
  if (!file) {
    unresolved.push(`${from}: ${spec}`);
    return spec;
  }
  return relative(ROOT, file).split(sep).join('/');
}

interface Edge {
  to: string;
  spec: string;
}

const files = [...sourceFiles('src'), ...sourceFiles('webview')].map((f) => f.split(sep).join('/'));
const graph = new Map<string, Edge[]>(
  files.map((f) => [
    f,
    importsOf(readFileSync(join(ROOT, f), 'utf8')).map((spec) => ({ spec, to: resolveImport(f, spec) })),
  ]),
);

const under = (file: string, folder: string) => file.startsWith(`${folder}/`);
/** Every import from a file matching `from` that `allowed` refuses, as "file -> target". */
function violations(from: (file: string) => boolean, allowed: (e: Edge) => boolean): string[] {
  return [...graph]
    .filter(([f]) => from(f))
    .flatMap(([f, edges]) => edges.filter((e) => !allowed(e)).map((e) => `${f} -> ${e.to}`));
}

test('the import reader finds every form of import, and nothing in comments, strings or patterns', () => {
  const source = [
    "import * as vscode from 'vscode';",
    "import type { A, B } from './types';",
    'import def, { c as d } from "../x/y";',
    "import './side-effect.css';",
    "export { e } from './e';",
    "export type { F } from './f';",
    "export * as g from './g';",
    "export * from './h';",
    "import i = require('./i');",
    "const lazy = () => import('./lazy');",
    "// import { no } from './comment';",
    "/* export * from './block-comment'; */",
    'const s = "import { no } from \'./string\'";',
    "const t = `import('./template') ${import('./in-template')} done`;",
    'const r = /import [\'"]x[\'"]/.test(s) ? 1 / 2 : 3;',
    'if (import.meta) {}',
    "export const notFrom = 'from';",
    "export function f() { return { from: './not-a-module' }; }",
  ].join('\n');
  assert.deepEqual(importsOf(source), [
    'vscode',
    './types',
    '../x/y',
    './side-effect.css',
    './e',
    './f',
    './g',
    './h',
    './i',
    './lazy',
    './in-template',
  ]);
  assert.deepEqual(importsOf("import {\n  a,\n  b,\n} from './multi-line';"), ['./multi-line']);
});

test('every source file was read and every relative import resolves', () => {
  assert.ok(files.length > 100, `only ${files.length} files found`);
  assert.deepEqual(unresolved, []);
  assert.ok(
    graph.get('src/extension.ts')?.some((e) => e.to === 'src/container.ts'),
    'src/extension.ts imports src/container.ts',
  );
});

test('the language server is a leaf: nothing but src/server and src/lsp imports src/server', () => {
  assert.deepEqual(
    violations(
      (f) => !under(f, 'src/server') && !under(f, 'src/lsp'),
      (e) => !under(e.to, 'src/server'),
    ),
    [],
  );
});

test('the webviews import nothing of src but src/shared, and never vscode', () => {
  assert.deepEqual(
    violations(
      (f) => under(f, 'webview'),
      (e) => (!under(e.to, 'src') || under(e.to, 'src/shared')) && e.to !== 'vscode',
    ),
    [],
  );
});

test('src imports nothing of webview: what both sides need lives in src/shared', () => {
  assert.deepEqual(
    violations(
      (f) => under(f, 'src'),
      (e) => !under(e.to, 'webview'),
    ),
    [],
  );
});

test('src/shared imports nothing from the other src folders, and never vscode', () => {
  assert.deepEqual(
    violations(
      (f) => under(f, 'src/shared'),
      (e) => (!under(e.to, 'src') || under(e.to, 'src/shared')) && e.to !== 'vscode',
    ),
    [],
  );
});

test('no import circles', () => {
  const circles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    path.push(file);
    for (const { to } of graph.get(file) ?? []) {
      if (!graph.has(to)) continue;
      if (state.get(to) === 'open') circles.push([...path.slice(path.indexOf(to)), to].join(' -> '));
      else if (!state.has(to)) visit(to);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  assert.deepEqual(circles, []);
});
