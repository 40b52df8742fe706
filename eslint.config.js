// Lint: typescript-eslint's recommended rules plus the process boundaries and the layering inside
// src-main (db/ below the domains, bench/ outside the product, SQL only in db/), so a wrong import
// fails `npm test` rather than a review. ARCHITECTURE.md (at the repository root) explains the
// lines; src-shared/boundaries.test.ts and the layering tests prove each rule bites.
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'http', 'https', 'net', 'stream', 'url', 'util', 'zlib', 'events', 'module', 'readline', 'buffer', 'process', 'tls', 'dns', 'cluster', 'v8', 'vm', 'perf_hooks'];
const nodePatterns = [{ group: ['node:*', ...NODE_BUILTINS, ...NODE_BUILTINS.map((m) => `${m}/*`)], message: 'Node built-ins are not available here.' }];
const electronPattern = { group: ['electron', 'electron/*'], message: 'Electron is only for src-main/app.' };
const rendererPattern = { group: ['react', 'react-dom', '**/src-renderer/**'], message: 'Main-process code does not import the renderer.' };
// Benchmarks import the product, never the reverse: they have their own entry and bundle (dist/bench).
const benchPattern = { group: ['**/bench', '**/bench/**'], message: 'src-main does not import bench/; benchmarks are built and run from their own entry (bench/main.ts).' };
const DOMAIN_FOLDERS = ['evaluation', 'backtests', 'runs', 'sweeps', 'datasets', 'training', 'cli', 'services', 'ipc', 'server', 'app', 'system', 'workspace'];

// SQL lives in src-main/db only, in whatever form it is written: a string or template handed to
// prepare/exec, a pragma, or any string that starts like a statement.
const SQL_START = '^\\s*(SELECT\\s|INSERT\\s|UPDATE\\s+\\w+\\s+SET\\s|DELETE\\s+FROM\\s|CREATE\\s|DROP\\s|ALTER\\s+TABLE\\s|BEGIN(\\s|$)|COMMIT$|ROLLBACK(\\s|$)|PRAGMA\\s|WITH\\s+\\w+|REPLACE\\s+INTO\\s|SAVEPOINT\\s|RELEASE\\s)';
const SQL_MESSAGE = 'SQL lives in src-main/db only: add a query function there.';
const sqlSelectors = [
  "CallExpression[callee.property.name='prepare'][arguments.0.type='Literal']",
  "CallExpression[callee.property.name='prepare'][arguments.0.type='TemplateLiteral']",
  "CallExpression[callee.property.name='exec'][arguments.0.type='Literal']",
  "CallExpression[callee.property.name='exec'][arguments.0.type='TemplateLiteral']",
  "CallExpression[callee.property.name='pragma']",
  `Literal[value=/${SQL_START}/]`,
  `TemplateElement[value.raw=/${SQL_START}/]`,
].map((selector) => ({ selector, message: SQL_MESSAGE }));

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
    // Stores are built on the client they are given and own every request; components and pages
    // read stores and call their actions, so a request cannot bypass its failure and staleness handling.
    // (This block replaces the one above's no-restricted-imports for these files, so it repeats its patterns.)
    files: ['src-renderer/components/**/*.{ts,tsx}', 'src-renderer/pages/**/*.{ts,tsx}'],
    ignores: ['src-renderer/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...nodePatterns,
            electronPattern,
            { group: ['**/src-main/**', 'better-sqlite3', '@tensorflow/tfjs-node*'], message: 'The renderer talks to main only through the contract client.' },
            { group: ['**/api/client*', '**/api/websocketBridge*', '**/api/exportCsv*', '**/api/uploadFiles*'], message: 'Components and pages call store actions; only stores hold the client.' },
          ],
        },
      ],
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
    rules: { 'no-restricted-imports': ['error', { patterns: [electronPattern, rendererPattern, benchPattern] }] },
  },
  {
    files: ['src-main/app/**/*.ts'],
    ignores: ['src-main/app/preload.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [benchPattern] }] },
  },
  {
    // db/ is SQL and the plumbing that runs it; the domains register their work with it
    // (src-main/services/dbWorkerOps.ts), never the other way round.
    files: ['src-main/db/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [electronPattern, rendererPattern, benchPattern, { group: DOMAIN_FOLDERS.map((d) => `**/${d}/**`), message: 'src-main/db holds SQL only and imports no domain code; register domain work in src-main/services/dbWorkerOps.ts.' }] }] },
  },
  {
    files: ['src-main/**/*.ts', 'src-shared/**/*.ts', 'src-renderer/**/*.{ts,tsx}', 'bench/**/*.ts'],
    ignores: ['src-main/db/**', '**/*.test.ts', '**/__fixtures__/**'],
    rules: { 'no-restricted-syntax': ['error', ...sqlSelectors] },
  },
  {
    // Test helpers live beside the tests (`__fixtures__/`, the renderer stores' `testing/`) or in
    // test-support/; product code that
    // imports one ships test data and hides a test's needs in the product. The typescript-eslint
    // twin of no-restricted-imports adds to the boundaries above instead of replacing them (a later
    // block's options for the same rule would). test-support/boundaries.test.ts proves it bites.
    files: ['src-main/**/*.ts', 'src-shared/**/*.ts', 'src-renderer/**/*.{ts,tsx}', 'bin/**/*.mjs'],
    ignores: ['**/*.test.ts', '**/*.test.tsx', '**/__fixtures__/**', 'src-renderer/**/testing/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group: ['**/__fixtures__', '**/__fixtures__/**', '**/test-support', '**/test-support/**', '**/stores/testing/**', './testing/**'], message: 'Product code does not import test helpers (__fixtures__/, test-support/, stores/testing/); move what it needs into the product.' }] }],
    },
  },
);
