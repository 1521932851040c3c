// Lint, and above all keep the process boundaries true:
//   common/    runs everywhere: no Node, no DOM, no electron
//   renderer/  the DOM only: no Node, no electron (it talks through window.hearth)
//   preload/   electron + common/ only, bundled into one CJS file: no npm imports
//   only main/desktop/ and main/index.ts may import electron.
import js from '@eslint/js';
import globals from 'globals';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const electronOnlyInDesktop = {
  name: 'electron',
  message: 'Only main/desktop/ and main/index.ts may import electron: everything else must run under plain Node.',
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2024, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': ['error', { paths: [electronOnlyInDesktop] }],
    },
  },
  {
    files: ['main/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'e2e/**/*.ts', 'build/**/*.ts', 'scripts/**/*.ts', 'bin/**/*.js', '*.config.*', 'eslint.config.js'],
    languageOptions: { globals: globals.node },
  },
  {
    // The scanner's CommonJS glue (tools/electronegativity) runs where the scanner does.
    files: ['tools/**/*.cjs', 'tools/**/*.js'],
    languageOptions: { globals: globals.node, sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['main/desktop/**/*.ts', 'main/index.ts', 'preload/**/*.ts', 'e2e/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // Playwright fixtures that need no other fixture are written `async ({}, use) => …`.
    files: ['e2e/**/*.ts'],
    rules: { 'no-empty-pattern': 'off' },
  },
  {
    files: ['common/**/*.ts'],
    ignores: ['common/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnlyInDesktop, ...builtinModules.map((name) => ({ name, message: 'common/ runs in every process: no Node modules.' }))],
          patterns: [{ group: ['node:*'], message: 'common/ runs in every process: no Node modules.' }],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'navigator', 'localStorage', 'process', 'Buffer', 'require', '__dirname'].map((name) => ({
          name,
          message: 'common/ runs in every process: no Node or DOM globals.',
        })),
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/**/*.test.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnlyInDesktop],
          patterns: [{ group: ['node:*', ...builtinModules], message: 'The renderer never touches Node.' }],
        },
      ],
    },
  },
  {
    files: ['preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!electron$|\\.{1,2}/)',
              message: 'The preload is one sandboxed CJS bundle: import only electron and relative files.',
            },
          ],
        },
      ],
    },
  },
);
