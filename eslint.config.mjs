// Lint: typescript-eslint's recommended rules everywhere, and for TypeScript the type-aware
// rules that catch real defects here: a promise nobody awaits (an unreported failure in a
// command or a panel), a promise where a callback expects void, code that nothing uses, and
// type-only imports written as such (esbuild drops them per file, so they must say so).
// Formatting is Prettier's (.prettierrc.json); this file does not restate layout rules.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', '.cache/', 'test-output/', 'test/fakes/classifierWorkerThatDies.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // Failure texts are third-party data: the code strips and shows control characters on purpose.
      'no-control-regex': 'off',
      // A closure may read a variable that is assigned once, later (userPatternRunner's results).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // node:test's test() and describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', name: ['test', 'it', 'describe', 'suite'], package: 'node:test' },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false, attributes: false } },
      ],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-import-type-side-effects': 'error',
    },
  },
  {
    // Functions passed to Playwright's page.evaluate run in the browser.
    files: ['webview/**/*.ts', 'test/ui/**/*.mjs', 'test/harness/**/*.mjs'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Tests and protocol fakes read wire JSON (JSON-RPC, the drivers' HTTP bodies) ad hoc.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The CLI and the language server run outside VS Code (esbuild leaves `vscode` external),
    // and the pure layers are tested under plain Node: none of them may import it.
    files: [
      'src/sql/**',
      'src/analysis/**',
      'src/loaders/**',
      'src/demo/**',
      'src/cli/**',
      'src/server/**',
      'src/cli.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'This layer runs outside VS Code: pass what it needs in.' }] },
      ],
    },
  },
);
