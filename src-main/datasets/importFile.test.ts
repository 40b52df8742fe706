import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { builtFiles, marketCorpus, repoPath } from '../../test-support/fixtures.js';
import { requirePrerequisite } from '../../test-support/vitest.js';
import { rollupCandles } from '../../src-shared/compute/rollup/index.js';
import type { DurationMs } from '../../src-shared/domain/units.js';
import { openWorkspaceDb, type Db } from '../db/connection.js';
import { loadCandleArrays, queryCandles, rollupTimeframes } from '../db/queries/candles.js';
import { BLOCK_BARS, readSeriesAll } from '../db/queries/candleBlocks.js';
import { listDatasets } from '../db/queries/datasets.js';
import { importFile, refreshDerived } from './importFile.js';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'candela-import-'));
  db = openWorkspaceDb(join(dir, 'candela.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const write = (name: string, text: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

/** A clean 1-minute series as CSV text, `n` bars from `start`. */
function minuteCsv(n: number, start = Date.UTC(2024, 0, 1), header = true): string {
  const lines = header ? ['timestamp,open,high,low,close,volume'] : [];
  let price = 100;
  for (let i = 0; i < n; i++) {
    const o = price;
    const c = price * (1 + Math.sin(i / 7) * 0.001);
    lines.push(`${start + i * 60_000},${o.toFixed(4)},${(Math.max(o, c) + 0.05).toFixed(4)},${(Math.min(o, c) - 0.05).toFixed(4)},${c.toFixed(4)},${(10 + (i % 5)).toFixed(2)}`);
    price = c;
  }
  return lines.join('\n') + '\n';
}

const workspaceState = () => ({
  datasets: db.prepare('SELECT count(*) FROM datasets').pluck().get(),
  candles: db.prepare('SELECT coalesce(sum(bars), 0) FROM candle_blocks WHERE timeframe_ms = 0').pluck().get(),
  sources: db.prepare('SELECT count(*) FROM dataset_sources').pluck().get(),
  rollups: db.prepare('SELECT coalesce(sum(bars), 0) FROM candle_blocks WHERE timeframe_ms <> 0').pluck().get(),
});

describe('importFile', () => {
  it('imports a headered CSV with symbol and timeframe from its name, rollups and health', async () => {
    const r = await importFile(db, write('BTC_USDT_1m.csv', minuteCsv(3000)));
    expect(r).toMatchObject({ ok: true, symbol: 'BTC/USDT', timeframe: '1m', rowsRead: 3000, rowsImported: 3000, rowsRejected: 0, duplicates: 0, error: null });
    expect(r.firstTs).toBe(Date.UTC(2024, 0, 1));
    expect(r.lastTs).toBe(Date.UTC(2024, 0, 1) + 2999 * 60_000);
    const [ds] = listDatasets(db);
    expect(ds).toMatchObject({ symbol: 'BTC/USDT', timeframe: '1m', rows: 3000, healthVerdict: 'clean' });
    // Rollups agree with the pure rollup library on the same candles.
    const cols = loadCandleArrays(db, ds!.id);
    const expected = rollupCandles(cols, 60_000 as DurationMs, 3_600_000 as DurationMs);
    const stored = queryCandles(db, { datasetId: ds!.id, rollupMs: 3_600_000, limit: 1000, anchor: 'first' });
    expect(stored.ts).toEqual(Array.from(expected.ts));
    expect(stored.open).toEqual(Array.from(expected.open));
    expect(stored.close).toEqual(Array.from(expected.close));
    expect(stored.high).toEqual(Array.from(expected.high));
    expect(stored.volume.map((v) => Number(v!.toFixed(6)))).toEqual(Array.from(expected.volume).map((v) => Number(v.toFixed(6))));
  });

  it('builds the same rollups and health when walking the dataset page by page (bounded memory)', async () => {
    const lines = minuteCsv(5000).trimEnd().split('\n');
    lines.splice(2000, 90); // a gap
    const r = await importFile(db, write('TRX_USDT_1m.csv', lines.join('\n')));
    const snapshot = () => ({
      rollups: rollupTimeframes(db, r.datasetId!).map((tf) => ({ tf, ...readSeriesAll(db, r.datasetId!, tf, true) })),
      health: JSON.parse(db.prepare('SELECT report_json FROM dataset_health WHERE dataset_id = ?').pluck().get(r.datasetId) as string),
      flags: db.prepare('SELECT flags FROM dataset_health WHERE dataset_id = ?').pluck().get(r.datasetId),
    });
    const whole = snapshot();
    refreshDerived(db, r.datasetId!, 60_000, Date.now(), undefined, 700);
    const paged = snapshot();
    expect(paged.rollups).toEqual(whole.rollups);
    expect(paged.flags).toEqual(whole.flags);
    for (const k of ['rows', 'missingBars', 'gapCount', 'zeroVolumeBars', 'score', 'verdict']) expect(paged.health[k], k).toEqual(whole.health[k]);
  });

  it('adds nothing when the same file is imported twice', async () => {
    const p = write('ETH_USDT_1m.csv', minuteCsv(500));
    await importFile(db, p);
    const before = workspaceState();
    const again = await importFile(db, p);
    expect(again.ok).toBe(true);
    expect(again.alreadyImported).toBe(true);
    expect(again.rowsImported).toBe(0);
    expect(again.warnings[0]).toMatch(/already imported/);
    expect(workspaceState()).toEqual(before);
  });

  it('appends the next period of the same symbol and timeframe, deduplicating the overlap', async () => {
    const all = minuteCsv(1000).trimEnd().split('\n');
    const header = all[0]!;
    await importFile(db, write('SOLUSDT-1m-2024-01.csv', [header, ...all.slice(1, 601)].join('\n')));
    const r = await importFile(db, write('SOLUSDT-1m-2024-02.csv', [header, ...all.slice(501)].join('\n')));
    expect(r).toMatchObject({ ok: true, appended: true, rowsRead: 500, rowsImported: 400, duplicates: 100, conflicts: 0 });
    const ds = listDatasets(db);
    expect(ds).toHaveLength(1);
    expect(ds[0]!.rows).toBe(1000);
  });

  it('appends across spellings of one instrument but never mixes spot with a perpetual of the pair', async () => {
    const all = minuteCsv(1000).trimEnd().split('\n');
    const header = all[0]!;
    await importFile(db, write('SOLUSDT-1m-2024-01.csv', [header, ...all.slice(1, 601)].join('\n')));
    const sameSpot = await importFile(db, write('SOL_USDT-1m-2024-02.csv', [header, ...all.slice(601)].join('\n')));
    expect(sameSpot).toMatchObject({ ok: true, appended: true, symbol: 'SOL/USDT', kind: 'spot', rowsImported: 400 });
    const perp = await importFile(db, write('SOLUSDT-PERP-1m-2024-02.csv', [header, ...all.slice(551)].join('\n')));
    expect(perp).toMatchObject({ ok: true, appended: false, symbol: 'SOL/USDT', kind: 'perpetual', rowsImported: 450 });
    const listed = listDatasets(db).map((d) => ({ symbol: d.symbol, kind: d.kind, rows: d.rows }));
    expect(listed).toEqual([
      { symbol: 'SOL/USDT', kind: 'perpetual', rows: 450 },
      { symbol: 'SOL/USDT', kind: 'spot', rows: 1000 },
    ]);
  });

  it('rejects bad rows with their line and reason and keeps the good ones', async () => {
    const lines = minuteCsv(10).trimEnd().split('\n');
    lines[3] = `${Date.UTC(2024, 0, 1) + 2 * 60_000},100,99,101,100,5`; // high below low
    lines[5] = `${Date.UTC(2024, 0, 1) + 4 * 60_000},100,101,99,abc,5`;
    lines[7] = `${Date.UTC(2024, 0, 1) + 6 * 60_000},100,101,99,100,-5`;
    const r = await importFile(db, write('ADA_USDT_1m.csv', lines.join('\n')));
    expect(r.ok).toBe(true);
    expect(r.rowsImported).toBe(7);
    expect(r.rowsRejected).toBe(3);
    expect(r.rejectedSample.map((s) => s.line)).toEqual([4, 6, 8]);
    expect(r.rejectedSample[0]!.reason).toMatch(/high/i);
    expect(r.rejectedSample[2]!.reason).toMatch(/volume/i);
  });

  it('drops identical duplicate bars and resolves conflicting ones by keeping the last line', async () => {
    const t0 = Date.UTC(2024, 0, 1);
    const text = ['timestamp,open,high,low,close,volume', `${t0},1,2,0.5,1.5,10`, `${t0 + 60_000},1.5,2,1,1.8,11`, `${t0},1,2,0.5,1.5,10`, `${t0 + 60_000},1.5,2.5,1,2.2,12`, `${t0 + 120_000},2.2,2.4,2,2.3,9`].join('\n');
    const r = await importFile(db, write('XRP_USDT_1m.csv', text));
    expect(r).toMatchObject({ ok: true, rowsRead: 5, rowsImported: 3, duplicates: 2, conflicts: 1 });
    expect(r.conflictSample).toEqual([{ ts: t0 + 60_000, lines: [3, 5] }]);
    const c = queryCandles(db, { datasetId: r.datasetId!, rollupMs: null, limit: 10, anchor: 'first' });
    expect(c.close).toEqual([1.5, 2.2, 2.3]);
  });

  it('reads gzip-compressed files', async () => {
    const r = await importFile(db, write('DOGE_USDT_1m.csv.gz', gzipSync(minuteCsv(200))));
    expect(r).toMatchObject({ ok: true, symbol: 'DOGE/USDT', rowsImported: 200 });
  });

  describe('refuses a whole file with one sentence and changes nothing', () => {
    const cases: [string, string | Buffer, RegExp][] = [
      ['empty', '', /empty/i],
      ['header only', 'timestamp,open,high,low,close,volume\n', /no data rows|header/i],
      ['binary', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 1, 2, 3, 0, 0, 0]), /binary/i],
      ['no OHLC columns', 'id,name,price\n1,apple,3\n2,pear,4\n', /open\/high\/low\/close|OHLC/i],
      ['an absurdly long line', `timestamp,open,high,low,close\n${'1'.repeat(2_000_000)}\n`, /longer than/i],
    ];
    for (const [label, content, message] of cases) {
      it(label, async () => {
        await importFile(db, write('KEEP_USDT_1m.csv', minuteCsv(50)));
        const before = workspaceState();
        const r = await importFile(db, write(`BAD_USDT_1m_${label.replace(/\W/g, '')}.csv`, content));
        expect(r.ok).toBe(false);
        expect(r.error).toMatch(message);
        expect(r.error!.split(/\.\s/).length).toBeLessThanOrEqual(2);
        expect(workspaceState()).toEqual(before);
      });
    }
  });

  it('keeps nothing when cancelled mid-file', async () => {
    let calls = 0;
    const r = await importFile(db, write('AVAX_USDT_1m.csv', minuteCsv(60_000)), { isCancelled: () => ++calls > 2 });
    expect(r.ok).toBe(false);
    expect(r.cancelled).toBe(true);
    expect(workspaceState()).toEqual({ datasets: 0, candles: 0, sources: 0, rollups: 0 });
  });

  it('rolls everything back when storing fails part-way (injected failure)', async () => {
    await importFile(db, write('KEEP_USDT_1m.csv', minuteCsv(50)));
    const before = workspaceState();
    // the second block of candles: the first one is already stored when it fails
    const failAt = Date.UTC(2024, 0, 1) + BLOCK_BARS * 60_000;
    db.exec(`CREATE TEMP TRIGGER inject_failure BEFORE INSERT ON main.candle_blocks WHEN NEW.timeframe_ms = 0 AND NEW.first_ts = ${failAt} BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
    await expect(importFile(db, write('LTC_USDT_1m.csv', minuteCsv(2 * BLOCK_BARS + 100)))).rejects.toThrow(/injected failure/);
    db.exec('DROP TRIGGER temp.inject_failure');
    expect(workspaceState()).toEqual(before);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});

const corpus = marketCorpus();
const CORPUS = corpus.dir;
const EXPECTED: [string, string, string, number, string, string][] = [
  ['binance-spot/BTCUSDT-1h-2024-12.csv', 'BTC/USDT', '1h', 744, '2024-12-01T00:00:00.000Z', '2024-12-31T23:00:00.000Z'],
  ['binance-futures/LINKUSDT-1m-2023-02.csv', 'LINK/USDT', '1m', 40320, '2023-02-01T00:00:00.000Z', '2023-02-28T23:59:00.000Z'],
  ['cryptodatadownload/BTCUSDT_Binance_futures_data_day.csv', 'BTC/USDT', '1d', 480, '2019-09-08T00:00:00.000Z', '2020-12-30T00:00:00.000Z'],
  ['cryptodatadownload-legacy/Binance_BTCUSDT_d.csv', 'BTC/USDT', '1d', 1106, '2017-08-17T00:00:00.000Z', '2020-09-07T00:00:00.000Z'],
  ['freqtrade/ETH_BTC-5m.json', 'ETH/BTC', '5m', 5760, '2018-01-10T04:55:00.000Z', '2018-01-30T04:50:00.000Z'],
  ['yahoo/nvda-1999-2014.txt', 'NVDA', '1d', 4012, '1999-01-22T00:00:00.000Z', '2014-12-31T00:00:00.000Z'],
  ['tradingview/BINANCE_SOLUSDT, 15.csv', 'SOL/USDT', '15m', 20303, '2024-12-01T00:00:00.000Z', '2025-06-30T11:30:00.000Z'],
  ['metatrader4/EURUSD60.csv', 'EUR/USD', '1h', 3728, '2019-02-15T14:00:00.000Z', '2019-09-20T20:00:00.000Z'],
];

describe('real exports in ../shared/fixtures/market', () => {
  if (!requirePrerequisite(corpus)) return;
  it('the corpus has exactly the files this test knows', () => {
    const files = readdirSync(CORPUS, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name !== 'README.md');
    expect(files).toHaveLength(EXPECTED.length);
  });
  for (const [file, symbol, timeframe, rows, first, last] of EXPECTED) {
    it(`imports ${file} with the rows and range its README states`, async () => {
      const r = await importFile(db, join(CORPUS, file));
      expect(r.error).toBeNull();
      expect({ symbol: r.symbol, timeframe: r.timeframe, rowsImported: r.rowsImported, rowsRejected: r.rowsRejected }).toEqual({ symbol, timeframe, rowsImported: rows, rowsRejected: 0 });
      expect(new Date(r.firstTs!).toISOString()).toBe(first);
      expect(new Date(r.lastTs!).toISOString()).toBe(last);
    });
  }
});

describe('workspace file after imports', () => {
  it('passes PRAGMA integrity_check', async () => {
    await importFile(db, write('BNB_USDT_1m.csv', minuteCsv(1000)));
    const check = new Database(join(dir, 'candela.db'), { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
  });
});

describe('importFile with the parser thread', () => {
  if (!requirePrerequisite(builtFiles('dist/main/import-parser.mjs'))) return;
  const parserScript = process.env.CANDELA_TEST_PARSER ?? repoPath('dist/main/import-parser.mjs');

  it('imports, refuses and reports exactly as parsing on the importer thread does', async () => {
    const rows = minuteCsv(150_000).trimEnd().split('\n');
    rows.splice(70_001, 0, '1704067200000,1,2,3,4,5', 'bad line', rows[70_000]!, `${Date.UTC(2024, 0, 1) + 70_000 * 60_000},9,9,9,9,9`);
    const text = rows.join('\r\n');
    const file = write('ETH_USDT_1m.csv', text);
    const results = [];
    for (const [ws, script] of [
      [db, parserScript],
      [openWorkspaceDb(join(dir, 'second.db')), null],
    ] as const) {
      const r = await importFile(ws, file, { parserScript: script, now: () => Date.UTC(2024, 5, 1) });
      const candles = loadCandleArrays(ws, r.datasetId!);
      // the health report: computed by the parser thread in the first run, by the importer in the second
      const health = ws.prepare('SELECT report_json, flags FROM dataset_health WHERE dataset_id = ?').get(r.datasetId);
      results.push({ r, candles: [Array.from(candles.ts), Array.from(candles.close), Array.from(candles.volume)], health });
      if (ws !== db) ws.close();
    }
    expect(results[0]!.r).toMatchObject({ ok: true, rowsRead: 150_004, rowsRejected: 2, duplicates: 2, conflicts: 1 });
    expect(results[0]!.r.conflictSample).toEqual([{ ts: Date.UTC(2024, 0, 1) + 70_000 * 60_000, lines: [70_005, 70_006] }]);
    expect(results[0]!.r).toEqual(results[1]!.r);
    expect(results[0]!.candles).toEqual(results[1]!.candles);
    expect(results[0]!.health).toEqual(results[1]!.health);
  });

  it('stores the health report the parser thread computed, the same as the importer computes it', async () => {
    const file = write('XRP_USDT_1m.csv', minuteCsv(120_000));
    const second = openWorkspaceDb(join(dir, 'second.db'));
    try {
      const snapshot = async (ws: Db, script: string | null) => {
        const r = await importFile(ws, file, { parserScript: script, now: () => Date.UTC(2024, 5, 1) });
        expect(r.ok).toBe(true);
        return { r: { ...r, datasetId: null }, health: ws.prepare('SELECT report_json, flags FROM dataset_health').get(), rollups: queryCandles(ws, { datasetId: r.datasetId!, rollupMs: 3_600_000, limit: 10_000, anchor: 'first' }) };
      };
      expect(await snapshot(db, parserScript)).toEqual(await snapshot(second, null));
    } finally {
      second.close();
    }
  });

  it.each([
    ['plain', 'LTC_USDT_1m.csv', (t: string) => Buffer.from(t)],
    ['gzip', 'LTC_USDT_1m.csv.gz', (t: string) => gzipSync(t)],
  ])('records the SHA-256 of the %s file as stored, hashed as the thread reads it, and knows the file again', async (_, name, encode) => {
    const bytes = encode(minuteCsv(50_000));
    const file = write(name, bytes);
    const first = await importFile(db, file, { parserScript });
    expect(first.ok).toBe(true);
    const stored = db.prepare('SELECT content_hash FROM dataset_sources WHERE dataset_id = ?').pluck().get(first.datasetId);
    expect(stored).toBe(createHash('sha256').update(bytes).digest('hex'));
    const before = workspaceState();
    const again = await importFile(db, file, { parserScript });
    expect(again).toMatchObject({ ok: true, alreadyImported: true, rowsImported: 0, datasetId: first.datasetId });
    expect(workspaceState()).toEqual(before);
  });

  it('keeps nothing when cancelled while the parser thread runs, and stops it', async () => {
    const before = workspaceState();
    let polls = 0;
    const r = await importFile(db, write('ADA_USDT_1m.csv', minuteCsv(300_000)), { parserScript, isCancelled: () => ++polls > 2 });
    expect(r.cancelled).toBe(true);
    expect(workspaceState()).toEqual(before);
  });
});

