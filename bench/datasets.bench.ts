import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openWorkspaceDb } from '../src-main/db/connection.js';
import { appendSeries, OWN_BARS } from '../src-main/db/queries/candleBlocks.js';
import { queryCandles } from '../src-main/db/queries/candles.js';
import { addToDatasetStats, findOrCreateDataset } from '../src-main/db/queries/imports.js';
import { writeGeneratedMarket } from '../src-main/datasets/writeGeneratedMarket.js';
import { builtCliScript } from './paths.js';
import { result, type Benchmark, type BenchResult } from './types.js';

const run = promisify(execFile);

/** The sqlite3 shell's own .import of the same file (../shared/anchors/sqlite_import_anchor.sh). */
async function sqliteAnchor(anchorsDir: string | null, csv: string): Promise<{ value: number | null; note?: string }> {
  const script = anchorsDir ? join(anchorsDir, 'sqlite_import_anchor.sh') : null;
  if (!script || !existsSync(script)) return { value: null, note: 'anchor script not found (../shared/anchors)' };
  try {
    const { stdout } = await run('bash', [script, csv], { maxBuffer: 1 << 20 });
    return { value: (JSON.parse(stdout.trim().split('\n').pop()!) as { rows_per_s: number }).rows_per_s };
  } catch (e) {
    return { value: null, note: `anchor failed (needs Debian sqlite3): ${(e as Error).message.split('\n')[0]}` };
  }
}

/** Runs `candela import` in its own process so wall time and peak RSS are the importer's alone. */
function timedImport(csv: string, workspace: string): Promise<{ seconds: number; maxRss: number; rows: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [builtCliScript(), '--workspace', workspace, 'import', csv, '--json'], { env: { ...process.env, CANDELA_REPORT_RSS: '1' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => {
      const seconds = (performance.now() - started) / 1000;
      const rss = /candela-max-rss-bytes (\d+)/.exec(err);
      if (code !== 0 || !rss) return reject(new Error(`import failed (${code}): ${err.slice(-500)}`));
      resolve({ seconds, maxRss: Number(rss[1]), rows: (JSON.parse(out) as { files: { rowsImported: number }[] }).files[0]!.rowsImported });
    });
  });
}

export const importBenchmark: Benchmark = {
  prefix: 'import',
  description: 'Import of a generated 1M-row 1-minute CSV (~70 MB) beside sqlite3 .import of the same file; importer peak RSS',
  async run(ctx) {
    const dir = join(ctx.tmpDir, 'import-bench');
    ctx.log('  generating 1,000,000 one-minute bars…');
    const [csv] = await writeGeneratedMarket({ symbols: 1, bars: 1_000_000, timeframe: '1m', seed: 11, signal: 0, outDir: dir });
    ctx.log('  sqlite3 .import anchor…');
    const anchor = await sqliteAnchor(ctx.anchorsDir, csv!);
    ctx.log('  candela import…');
    const ours = await timedImport(csv!, join(dir, 'ws'));
    return [
      result('import.rowsPerSec', ours.rows / ours.seconds, 'rows/s', { name: 'sqlite3 .import (same file, keyed table, no validation)', value: anchor.value }, anchor.note),
      result('import.peakRssMB', ours.maxRss / 1048576, 'MB', undefined, 'whole CLI process, 1M-row file'),
    ];
  },
};

export const viewportBenchmark: Benchmark = {
  prefix: 'db.viewport',
  description: 'p95 latency of a 2,000-candle viewport query on a 10M-candle workspace',
  async run(ctx) {
    const db = openWorkspaceDb(join(ctx.tmpDir, 'viewport.db'));
    try {
      ctx.log('  building a 10M-candle workspace (10 datasets × 1M)…');
      const t0 = Date.UTC(2015, 0, 1);
      // The fill goes straight to the block store: the figure measured here is the read, not the import.
      const n = 1_000_000;
      const ts = Float64Array.from({ length: n }, (_, i) => t0 + i * 60_000);
      let p = 100;
      const close = Float64Array.from({ length: n }, (_, i) => (p = Math.round((p + Math.sin(i * 12.9898) * 0.2) * 100) / 100));
      const high = close.map((c) => Math.round((c + 0.37) * 100) / 100);
      const low = close.map((c) => Math.round((c - 0.41) * 100) / 100);
      const volume = Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 100_000) / 1000);
      db.transaction(() => {
        for (let d = 1; d <= 10; d++) {
          const id = findOrCreateDataset(db, { symbol: `SYM${d}/USDT`, kind: 'spot', venue: null, expiry: null }, 60_000, 0).id;
          appendSeries(db, id, OWN_BARS, ts, [close, high, low, close, volume]);
          addToDatasetStats(db, id, n, t0, ts[n - 1]!, 0);
        }
      })();
      const times: number[] = [];
      let seed = 7;
      for (let q = 0; q < 2000; q++) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        const datasetId = 1 + (seed % 10);
        const to = t0 + (2000 + (seed % 998_000)) * 60_000;
        const start = performance.now();
        const c = queryCandles(db, { datasetId, rollupMs: null, to, limit: 2000, anchor: 'last' });
        times.push(performance.now() - start);
        if (c.ts.length !== 2000) throw new Error('viewport returned a short page');
      }
      times.sort((a, b) => a - b);
      const out: BenchResult[] = [
        result('db.viewport.p50Ms', times[Math.floor(times.length * 0.5)]!, 'ms'),
        result('db.viewport.p95Ms', times[Math.floor(times.length * 0.95)]!, 'ms', undefined, 'goal ≤ 5 ms; 2,000 candles as the UI requests them'),
      ];
      return out;
    } finally {
      db.close();
    }
  },
};
