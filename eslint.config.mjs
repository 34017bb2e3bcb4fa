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
    },
  },
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // node:test's test() and describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', name: ['test', 'it', 'describe', 'suite'], package: 'node:test' }] },
      ],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-import-type-side-effects': 'error',
    },
  },
  {
    // Functions passed to Playwright's page.evaluate run in the browser.
    files: ['webview/**/*.ts', 'test/ui/**/*.mjs'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
