import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { builtFiles, marketCorpus, repoPath } from '../../test-support/fixtures.js';
import { requirePrerequisite } from '../../test-support/vitest.js';
import { buildProgram, runCli } from './main.js';

let dir: string;
let ws: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'candela-cli-'));
  ws = join(dir, 'ws');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI in-process and captures what it prints. */
async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  const saved = process.exitCode;
  try {
    const code = await runCli(['--workspace', ws, ...args]);
    const exit = process.exitCode ?? code;
    return { code: typeof exit === 'number' ? exit : Number(exit ?? 0), out, err };
  } finally {
    process.exitCode = saved;
    o.mockRestore();
    e.mockRestore();
  }
}

const csv = (n: number, start: number) =>
  ['open_time,open,high,low,close,volume', ...Array.from({ length: n }, (_, i) => `${start + i * 300_000},10,11,9,10.5,${i}`)].join('\n');

describe('candela CLI', () => {
  it('has --help on every command', async () => {
    for (const c of buildProgram().commands) {
      const r = await cli(c.name(), '--help');
      expect(r.out + r.err, c.name()).toMatch(/Usage: candela/);
    }
  });

  it('import --json prints one document in the documented shape and exits 1 when a file failed', async () => {
    const good = join(dir, 'BTC_USDT_5m.csv');
    writeFileSync(good, csv(300, Date.UTC(2024, 0, 1)));
    const bad = join(dir, 'broken.csv');
    writeFileSync(bad, 'hello\nworld\n');
    const r = await cli('import', good, bad, '--json');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out) as { files: Record<string, unknown>[] };
    expect(doc.files).toHaveLength(2);
    expect(Object.keys(doc.files[0]!)).toEqual(expect.arrayContaining(['file', 'ok', 'datasetId', 'symbol', 'timeframe', 'rowsRead', 'rowsImported', 'rowsRejected', 'duplicates', 'firstTs', 'lastTs', 'warnings', 'error']));
    expect(doc.files[0]).toMatchObject({ ok: true, symbol: 'BTC/USDT', timeframe: '5m', rowsRead: 300, rowsImported: 300, firstTs: '2024-01-01T00:00:00.000Z', error: null });
    expect(doc.files[1]).toMatchObject({ ok: false, datasetId: null });
    expect(doc.files[1]!.error).toMatch(/\.$/);
  });

  it('import --symbol/--timeframe override detection', async () => {
    const f = join(dir, 'export.csv');
    writeFileSync(f, csv(50, Date.UTC(2024, 1, 1)));
    const r = await cli('import', f, '--symbol', 'MY/COIN', '--timeframe', '5m', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).files[0]).toMatchObject({ ok: true, symbol: 'MY/COIN', timeframe: '5m' });
    const refused = await cli('import', f, '--timeframe', 'weekly');
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/timeframe/i);
  });

  it('datasets --json and candles --json print the stored data', async () => {
    const list = JSON.parse((await cli('datasets', '--json')).out) as { datasets: { id: number; symbol: string; rows: number; firstTs: string; health: unknown }[] };
    const btc = list.datasets.find((d) => d.symbol === 'BTC/USDT')!;
    expect(btc).toMatchObject({ timeframe: '5m', rows: 300, firstTs: '2024-01-01T00:00:00.000Z', lastTs: new Date(Date.UTC(2024, 0, 1) + 299 * 300_000).toISOString() });
    expect(btc.health).toMatchObject({ verdict: expect.stringMatching(/clean|suspect|bad/) });
    const c = JSON.parse((await cli('candles', String(btc.id), '--limit', '3', '--from', '2024-01-01T00:05:00Z', '--json')).out);
    expect(c.candles).toEqual([
      { ts: '2024-01-01T00:05:00.000Z', open: 10, high: 11, low: 9, close: 10.5, volume: 1 },
      { ts: '2024-01-01T00:10:00.000Z', open: 10, high: 11, low: 9, close: 10.5, volume: 2 },
      { ts: '2024-01-01T00:15:00.000Z', open: 10, high: 11, low: 9, close: 10.5, volume: 3 },
    ]);
    const hourly = JSON.parse((await cli('candles', String(btc.id), '--timeframe', '1h', '--limit', '1', '--from', '0', '--json')).out);
    expect(hourly.candles[0]).toEqual({ ts: '2024-01-01T00:00:00.000Z', open: 10, high: 11, low: 9, close: 10.5, volume: 66 });
  });

  it('delete asks for --yes before removing a dataset', async () => {
    const list = JSON.parse((await cli('datasets', '--json')).out) as { datasets: { id: number; symbol: string }[] };
    const mine = list.datasets.find((d) => d.symbol === 'MY/COIN')!;
    const ask = await cli('delete', String(mine.id));
    expect(ask.code).toBe(1);
    expect(ask.err).toMatch(/--yes/);
    expect((await cli('delete', String(mine.id), '--yes')).code).toBe(0);
    expect(JSON.parse((await cli('datasets', '--json')).out).datasets.some((d: { symbol: string }) => d.symbol === 'MY/COIN')).toBe(false);
  });

  it('generate writes deterministic CSVs that import back', async () => {
    const out = join(dir, 'gen');
    const r = await cli('generate', '--symbols', '2', '--bars', '1000', '--timeframe', '1h', '--seed', '5', '--signal', '0.2', '--out', out, '--json');
    const files = JSON.parse(r.out).files as string[];
    expect(files.map((f) => f.split('/').pop())).toEqual(['BTC_USDT_1h.csv', 'ETH_USDT_1h.csv']);
    const imported = JSON.parse((await cli('import', out, '--json')).out);
    expect(imported.files.map((f: { rowsImported: number }) => f.rowsImported)).toEqual([1000, 1000]);
  });

  it('system --json names the backend it would use', async () => {
    const r = await cli('system', '--json');
    const info = JSON.parse(r.out);
    expect(info.backend.name).toMatch(/^(tensorflow-gpu|webgpu|tensorflow|wasm|cpu)$/);
    expect(info.backend.label).toContain(info.backend.name === 'wasm' ? 'wasm' : '');
    // The WebGPU adapter is reported whether or not it is used; a software one is never chosen by auto.
    expect(info.backend).toHaveProperty('adapter');
    if (info.backend.adapter && !info.backend.adapter.hardware && !info.backend.gpuInUse) {
      expect(info.backend.name).not.toBe('webgpu');
      expect(info.backend.label).toContain('WebGPU adapter is software');
    }
    expect(info.workspace.path).toBe(ws);
  });
});

/** The real exports, read from outside the repository. */
const corpus = marketCorpus();
const CORPUS = corpus.dir;

describe('one symbol per instrument', () => {
  if (requirePrerequisite(corpus)) it('imports the Binance spot file and the CryptoDataDownload futures file as BTC/USDT, spot and perpetual', async () => {
    const r = await cli('import', join(CORPUS, 'binance-spot/BTCUSDT-1h-2024-12.csv'), join(CORPUS, 'cryptodatadownload/BTCUSDT_Binance_futures_data_day.csv'), '--json');
    expect(r.code).toBe(0);
    const files = (JSON.parse(r.out) as { files: { symbol: string; kind: string; venue: string; timeframe: string }[] }).files;
    expect(files.map((f) => ({ symbol: f.symbol, kind: f.kind, venue: f.venue, timeframe: f.timeframe }))).toEqual([
      { symbol: 'BTC/USDT', kind: 'spot', venue: 'binance', timeframe: '1h' },
      { symbol: 'BTC/USDT', kind: 'perpetual', venue: 'binance', timeframe: '1d' },
    ]);
    const listed = (JSON.parse((await cli('datasets', '--json')).out) as { datasets: { symbol: string; kind: string; venue: string | null; expiry: string | null; timeframe: string }[] }).datasets;
    expect(listed).toEqual(expect.arrayContaining([
      expect.objectContaining({ symbol: 'BTC/USDT', kind: 'spot', venue: 'binance', expiry: null, timeframe: '1h' }),
      expect.objectContaining({ symbol: 'BTC/USDT', kind: 'perpetual', venue: 'binance', expiry: null, timeframe: '1d' }),
    ]));
    const table = (await cli('datasets')).out;
    expect(table).toMatch(/^id\s+symbol\s+kind\s+venue\s+tf/m);
    expect(table).toMatch(/BTC\/USDT\s+perpetual\s+binance\s+1d/);
  });

  it('import --kind and --venue override what the file says', async () => {
    writeFileSync(join(dir, 'Binance_XRPUSDT_5m.csv'), csv(40, Date.UTC(2024, 3, 1)));
    const r = await cli('import', join(dir, 'Binance_XRPUSDT_5m.csv'), '--kind', 'Perpetual', '--venue', 'none', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).files[0]).toMatchObject({ symbol: 'XRP/USDT', kind: 'perpetual', venue: null });
    const refused = await cli('import', join(dir, 'Binance_XRPUSDT_5m.csv'), '--kind', 'option');
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/--kind/);
  });

  it('datasets rename sets symbol, kind and venue, and refuses bad input or an existing instrument without changing anything', async () => {
    const t0 = Date.UTC(2024, 2, 1);
    writeFileSync(join(dir, 'ADAUSDT_5m.csv'), csv(50, t0));
    writeFileSync(join(dir, 'ADA-PERP_5m.csv'), csv(60, t0));
    const imported = JSON.parse((await cli('import', join(dir, 'ADAUSDT_5m.csv'), join(dir, 'ADA-PERP_5m.csv'), '--json')).out) as { files: { datasetId: number; symbol: string; kind: string }[] };
    const [spot, perp] = imported.files;
    expect(spot).toMatchObject({ symbol: 'ADA/USDT', kind: 'spot' });
    expect(perp).toMatchObject({ symbol: 'ADA', kind: 'perpetual' });
    const snapshot = async () => (await cli('datasets', '--json')).out;

    const renamed = await cli('datasets', 'rename', String(perp!.datasetId), 'adausdt', '--venue', 'Bybit', '--json');
    expect(renamed.code).toBe(0);
    expect(JSON.parse(renamed.out).dataset).toEqual({ id: perp!.datasetId, symbol: 'ADA/USDT', kind: 'perpetual', venue: 'bybit', expiry: null, timeframe: '5m' });

    const before = await snapshot();
    const clash = await cli('datasets', 'rename', String(perp!.datasetId), 'ADA/USDT', '--kind', 'spot', '--venue', 'none');
    expect(clash.code).toBe(1);
    expect(clash.err).toContain(`Dataset ${spot!.datasetId} is already ADA/USDT at 5m`);
    const bad = await cli('datasets', 'rename', String(perp!.datasetId), 'ADA USDT');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/not a symbol/);
    expect((await cli('datasets', 'rename', String(perp!.datasetId), 'ADA', '--kind', 'option')).err).toMatch(/--kind must be spot, perpetual or future/);
    expect((await cli('datasets', 'rename', '99999', 'ADA')).err).toMatch(/Dataset 99999 does not exist/);
    expect(await snapshot()).toBe(before);

    const dated = await cli('datasets', 'rename', String(perp!.datasetId), 'ADAUSDT_250328');
    expect(dated.code).toBe(0);
    expect(dated.out).toBe(`Dataset ${perp!.datasetId} is now ADA/USDT future 2025-03-28 on bybit (5m).\n`);
  });
});

const builtCli = repoPath('dist/main/cli.mjs');
describe('import killed with SIGKILL', () => {
  if (!requirePrerequisite(builtFiles('dist/main/cli.mjs'))) return;
  it('leaves no partial dataset and a database that passes integrity_check', async () => {
    const ws2 = join(dir, 'ws-kill');
    const big = join(dir, 'BIG_USDT_1m.csv');
    // The importer parses first and writes the rows in one burst at the end (about 0.1 s per 400k
    // rows here): the file is large enough for that burst to outlast the 5 ms polling below.
    writeFileSync(big, ['timestamp,open,high,low,close,volume', ...Array.from({ length: 1_600_000 }, (_, i) => `${Date.UTC(2020, 0, 1) + i * 60_000},10,11,9,10.5,1`)].join('\n'));
    const child = spawn(process.execPath, [builtCli, '--workspace', ws2, 'import', big], { stdio: 'ignore' });
    // Wait until the import has begun writing (the WAL file grows), then kill it hard.
    const wal = join(ws2, 'candela.db-wal');
    for (let i = 0; i < 6000 && child.exitCode === null && !(existsSync(wal) && statSync(wal).size > 1 << 20); i++) await new Promise((r) => setTimeout(r, 5));
    // Killed after it finished, the test would say nothing about a half-written import.
    expect(child.exitCode, 'the import finished before it could be killed mid-write').toBeNull();
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const db = new Database(join(ws2, 'candela.db'));
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('SELECT count(*) FROM datasets').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM candle_blocks').pluck().get()).toBe(0);
    db.close();
  });
});
