// Lint, and above all keep the process boundaries true:
//   common/    runs everywhere: no Node, no DOM, no electron
//   renderer/  the DOM only: no Node, no electron (it talks through window.hearth)
//   preload/   electron + common/ only, bundled into one CJS file: no npm imports
//   only main/electron/ and main/index.ts may import electron.
import js from '@eslint/js';
import globals from 'globals';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const electronOnlyInDesktop = {
  name: 'electron',
  message: 'Only main/electron/ and main/index.ts may import electron: everything else must run under plain Node.',
};

/**
 * The layers inside main/, each a folder that says what runs there. A layer may import
 * common/ and the layers below it, never one above: the room server knows nothing of
 * discovery or of any shell, and only main/electron/ knows Electron.
 *   host            the room server                     (Node, ws, selfsigned (the host's certificate), common)
 *   discovery       mDNS, the room list, the scan       (Node, bonjour-service, common)
 *   network-check   why people cannot see a room        (+ discovery)
 *   hosting         one hosting session for both shells (+ host, discovery, network-check)
 *   cli, services   the terminal shell; the desktop app's Electron-free services (+ hosting)
 *   electron        the Electron glue                   (anything)
 */
const MAIN_LAYERS = {
  host: ['discovery', 'network-check', 'hosting', 'cli', 'services', 'electron'],
  discovery: ['host', 'network-check', 'hosting', 'cli', 'services', 'electron'],
  'network-check': ['host', 'hosting', 'cli', 'services', 'electron'],
  hosting: ['cli', 'services', 'electron'],
  cli: ['services', 'electron'],
  services: ['cli', 'electron'],
};

/** The desktop's IPC contract is the shells' business: the room server defines its own (common/dashboard.ts). */
const NOT_THE_DESKTOP_CONTRACT = {
  regex: '^(\\.\\./)+common/ipc(\\.ts)?$',
  message: 'main/host/ never imports the desktop IPC contract (common/ipc.ts): its dashboard shapes are in common/dashboard.ts.',
};

function mainLayer(layer, above) {
  return {
    files: [`main/${layer}/**/*.ts`],
    ignores: [`main/${layer}/**/*.test.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnlyInDesktop],
          patterns: [
            {
              regex: `^(\\.\\./)+(${above.join('|')})/`,
              message: `main/${layer}/ may not import from ${above.map((name) => `main/${name}/`).join(', ')}: it sits below them (eslint.config.js, MAIN_LAYERS).`,
            },
            ...(layer === 'host' ? [NOT_THE_DESKTOP_CONTRACT] : []),
          ],
        },
      ],
    },
  };
}

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
    files: ['main/electron/**/*.ts', 'main/index.ts', 'preload/**/*.ts', 'e2e/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  ...Object.entries(MAIN_LAYERS).map(([layer, above]) => mainLayer(layer, above)),
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
    // One bridge (renderer/src/bridge/): the rest of the UI asks it, never window.hearth.
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/src/bridge/**', 'renderer/**/*.test.{ts,tsx}'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='window'][property.name='hearth']",
          message: 'Only renderer/src/bridge/ touches window.hearth: ask the bridge (pickBridge()).',
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
