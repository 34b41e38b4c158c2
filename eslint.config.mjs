// Lint for real bugs, not style: promises nobody awaits or catches, promises where a value or a void
// callback is expected, awaits of non-promises, and the core rules that catch mistakes. Type-aware
// (typescript-eslint's project service reads tsconfig.json). `npm run lint`; .ci/run runs it before the tests.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/**', 'node_modules/**', 'artifacts/**', 'coverage/**', 'web/**', 'tests/**', 'bench/**'] },
  {
    files: ['server/**/*.ts', 'bots/**/*.ts', 'flows/**/*.ts', 'nlu-models/src/**/*.ts', 'tools/**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // The bugs this lint is for.
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }],
      // Express 5 awaits async handlers and sends their rejections to the error middleware, so an async
      // function given as an argument is fine; a promise in a condition or a void-typed property is not.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // Style, or what TypeScript already checks: not this lint's business.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-empty-object-type': 'off',
      // `a(), b()` sequences are a style here (flows/engine, flows-admin/diff), not a bug.
      '@typescript-eslint/no-unused-expressions': 'off',
      'no-control-regex': 'off', // the input schemas match control characters on purpose
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
);
