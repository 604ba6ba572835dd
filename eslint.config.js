// @ts-check
// ESLint for the whole repository (flat config). Typed linting: one TypeScript program over every
// .ts file (tsconfig.eslint.json), so rules such as no-floating-promises see real types.
// Formatting is Prettier's job: eslint-config-prettier (last) turns off every rule it would fight.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Tests, test helpers and benchmarks: parsed JSON replies and database rows are `any` by nature
 * there (the assertions check them), and tests swap methods such as process.stdout.write.
 */
const TEST_FILES = ['**/*.test.ts', '**/*.test-helper.ts', '**/test-support/**/*.ts', 'packages/*/test/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'];

/** STYLE.md rule 1: core-rules ← his-adapter ← server, and core-rules does no I/O. */
const NO_IO = ['fs', 'fs/promises', 'net', 'http', 'https', 'http2', 'child_process', 'worker_threads', 'dgram', 'tls'].flatMap((m) => [m, `node:${m}`]);

export default defineConfig(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/.tap/**', '**/.turbo/**', 'coverage/**', 'bench/out/**', 'release/**', 'data/**'],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { project: './tsconfig.eslint.json', tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `import { x, type T }` is the house form; `typeof import('m')` annotations are allowed.
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // tap queues subtests: an un-awaited t.test() is the documented idiom, not a lost promise.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: '@tapjs/test', name: ['test', 'skip', 'todo'] },
            { from: 'package', package: '@tapjs/filter', name: ['only'] },
          ],
        },
      ],
      // Fastify plugins, hooks and handlers are async by contract even when they await nothing.
      '@typescript-eslint/require-await': 'off',
      // A promise returned from inside try/catch without await escapes the catch.
      '@typescript-eslint/return-await': ['error', 'error-handling-correctness-only'],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    files: ['packages/core-rules/src/**/*.ts'],
    ignores: ['packages/core-rules/src/node/**', ...TEST_FILES],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: NO_IO.map((name) => ({ name, message: 'core-rules does no I/O (STYLE.md rule 1); file access lives in core-rules/node.' })),
          patterns: [
            {
              group: ['@preaudit/his-adapter', '@preaudit/his-adapter/*', '@preaudit/server', '@preaudit/server/*'],
              message: 'Dependencies point one way: core-rules ← his-adapter ← server.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/his-adapter/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@preaudit/server', '@preaudit/server/*'], message: 'Dependencies point one way: core-rules ← his-adapter ← server.' }] },
      ],
    },
  },
  {
    files: TEST_FILES,
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // The console runs in the browser (DOM types, .vue modules): its own TypeScript program.
    files: ['packages/console/**/*.ts'],
    languageOptions: {
      globals: { ...globals.browser, ...globals.node },
      parserOptions: { project: './packages/console/tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
  },
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], ...tseslint.configs.disableTypeChecked },
  prettier,
);
