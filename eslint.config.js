// Lint: typescript-eslint's recommended rules plus the process boundaries from ARCHITECTURE.md,
// so a wrong import fails `npm test` rather than a review.
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'http', 'https', 'net', 'stream', 'url', 'util', 'zlib', 'events', 'module', 'readline', 'buffer', 'process', 'tls', 'dns', 'cluster', 'v8', 'vm', 'perf_hooks'];
const nodePatterns = [{ group: ['node:*', ...NODE_BUILTINS, ...NODE_BUILTINS.map((m) => `${m}/*`)], message: 'Node built-ins are not available here.' }];
const electronPattern = { group: ['electron', 'electron/*'], message: 'Electron is only for src-main/app.' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'release/**', 'build-electron/**', 'types/**', 'test-results/**', 'playwright-report/**', 'scripts/golden/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': 'error',
    },
  },
  {
    files: ['src-shared/**/*.ts'],
    // Test fixtures run under vitest in node, like the tests (tsconfig.shared.json leaves them out too).
    ignores: ['src-shared/**/*.test.ts', 'src-shared/**/__fixtures__/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...nodePatterns, electronPattern, { group: ['react', 'react-dom', 'zustand', '**/src-main/**', '**/src-renderer/**'], message: 'src-shared is pure: no UI, no main-process code.' }] }],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'process', 'require', 'Buffer'],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    ignores: ['src-renderer/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...nodePatterns, electronPattern, { group: ['**/src-main/**', 'better-sqlite3', '@tensorflow/tfjs-node*'], message: 'The renderer talks to main only through the contract client.' }] }],
      'no-restricted-globals': ['error', 'process', 'require', 'Buffer'],
    },
  },
  {
    files: ['src-main/app/preload.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...nodePatterns, { group: ['**/src-main/**', 'better-sqlite3'], message: 'The preload exposes only the contract.' }] }],
    },
  },
  {
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/app/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [electronPattern, { group: ['react', 'react-dom', '**/src-renderer/**'], message: 'Main-process code does not import the renderer.' }] }] },
  },
  {
    files: ['src-main/**/*.ts', 'src-shared/**/*.ts', 'src-renderer/**/*.{ts,tsx}'],
    ignores: ['src-main/db/**', '**/*.test.ts'],
    rules: {
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.property.name='prepare'][arguments.0.type='Literal']", message: 'SQL lives in src-main/db only.' }],
    },
  },
);
