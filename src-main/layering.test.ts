import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../test-support/fixtures.js';

// The layering inside src-main is enforced by lint (eslint.config.js); prove each rule bites on
// a planted file and lets the legitimate direction through.
const eslint = new ESLint({ cwd: REPO_ROOT });
const lint = async (code: string, filePath: string) => {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => m.ruleId);
};

describe('db/ holds SQL only', () => {
  it.each(['evaluation/evaluateRun', 'backtests/backtestRun', 'datasets/jobs', 'training/host/trainingService', 'cli/output', 'services/createServices', 'ipc/dispatch', 'server/headlessServer', 'app/security'])(
    'refuses an import from db/ into %s',
    async (target) => {
      expect(await lint(`import * as m from '../${target}.js';\nexport const x = m;\n`, 'src-main/db/planted.ts')).toContain('no-restricted-imports');
      expect(await lint(`import * as m from '../../${target}.js';\nexport const x = m;\n`, 'src-main/db/queries/planted.ts')).toContain('no-restricted-imports');
    },
  );

  it('lets db/ import its own modules and the shared contract, and the domains import db/', async () => {
    expect(await lint("import { openWorkspaceDb } from './connection.js';\nimport { ContractFailure } from '../../src-shared/contract/result.js';\nimport type { DatasetSummary } from '../../src-shared/contract/datasets.js';\nexport const x = [openWorkspaceDb, ContractFailure];\nexport type Y = DatasetSummary;\n", 'src-main/db/planted.ts')).toEqual([]);
    expect(await lint("import { getRun } from '../db/queries/runs.js';\nexport const x = getRun;\n", 'src-main/evaluation/planted.ts')).toEqual([]);
  });
});

describe('benchmarks stay outside the product', () => {
  it.each(['src-main/cli/commands/planted.ts', 'src-main/services/planted.ts', 'src-main/app/planted.ts', 'src-main/db/planted.ts'])('refuses an import of bench/ from %s', async (file) => {
    const up = '../'.repeat(file.split('/').length - 1);
    expect(await lint(`import { benchmarks } from '${up}bench/registry.js';\nexport const x = benchmarks;\n`, file)).toContain('no-restricted-imports');
  });

  it('lets bench/ import the product', async () => {
    expect(await lint("import { createHeadlessServices } from '../src-main/services/headlessServices.js';\nexport const x = createHeadlessServices;\n", 'bench/planted.ts')).toEqual([]);
  });
});

describe('SQL stays in db/', () => {
  const outside = 'src-main/datasets/planted.ts';
  it.each([
    ['a string handed to prepare', "export const f = (db: { prepare(s: string): unknown }) => db.prepare('SELECT 1');\n"],
    ['a template handed to prepare', 'export const f = (db: { prepare(s: string): unknown }, t: string) => db.prepare(`SELECT * FROM ${t}`);\n'],
    ['a transaction statement handed to exec', "export const f = (db: { exec(s: string): unknown }) => db.exec('BEGIN IMMEDIATE');\n"],
    ['a template handed to exec', 'export const f = (db: { exec(s: string): unknown }) => db.exec(`COMMIT`);\n'],
    ['a pragma', "export const f = (db: { pragma(s: string): unknown }) => db.pragma('cache_size = -32768');\n"],
    ['a statement kept in a constant', "export const SQL = 'DELETE FROM candles WHERE dataset_id = ?';\n"],
    ['a statement kept in a template', 'export const sql = (t: string) => `INSERT INTO ${t} (a) VALUES (?)`;\n'],
  ])('refuses %s outside db/', async (_what, code) => {
    expect(await lint(code, outside)).toContain('no-restricted-syntax');
  });

  it('allows the same inside db/, and ordinary sentences and regular expressions elsewhere', async () => {
    expect(await lint('export const f = (db: { prepare(s: string): unknown }, t: string) => db.prepare(`SELECT * FROM ${t}`);\n', 'src-main/db/queries/planted.ts')).toEqual([]);
    expect(await lint("export const s = 'Select a dataset to begin; delete it from the list.';\nexport const m = /x(\\d+)/.exec(String(s));\n", outside)).toEqual([]);
  });
});
