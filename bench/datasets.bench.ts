import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openWorkspaceDb } from '../src-main/db/connection.js';
import { appendSeries, OWN_BARS } from '../src-main/db/queries/candleBlocks.js';
import { queryCandles } from '../src-main/db/queries/candles.js';
import { addToDatasetStats, findOrCreateDataset } from '../src-main/db/queries/imports.js';
import { writeGeneratedMarket } from '../src-main/datasets/writeGeneratedMarket.js';
import WebSocket from 'ws';
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

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const REPEATS = 3;

/** The workspace's bytes on disk: the database and whatever its WAL still holds. */
const workspaceBytes = (dir: string) => ['candela.db', 'candela.db-wal'].reduce((n, f) => n + (existsSync(join(dir, f)) ? statSync(join(dir, f)).size : 0), 0);

export const importBenchmark: Benchmark = {
  prefix: 'import',
  description: `Whole \`candela import\` process on a generated 1M-row 1-minute CSV (~70 MB) beside sqlite3 .import of the same file, alternating, ${REPEATS} times each; workspace bytes per candle; peak RSS importing a 1 GB CSV`,
  async run(ctx) {
    const dir = join(ctx.tmpDir, 'import-bench');
    ctx.log('  generating 1,000,000 one-minute bars…');
    const [csv] = await writeGeneratedMarket({ symbols: 1, bars: 1_000_000, timeframe: '1m', seed: 11, signal: 0, outDir: dir });
    const anchors: number[] = [];
    const ours: { rowsPerSec: number; maxRss: number; seconds: number }[] = [];
    let anchorNote: string | undefined;
    let bytesPerCandle = NaN;
    for (let r = 1; r <= REPEATS; r++) {
      ctx.log(`  run ${r}/${REPEATS}: sqlite3 .import, then candela import…`);
      const anchor = await sqliteAnchor(ctx.anchorsDir, csv!);
      if (anchor.value !== null) anchors.push(anchor.value);
      anchorNote ??= anchor.note;
      const ws = join(dir, `ws${r}`);
      const run = await timedImport(csv!, ws);
      ours.push({ rowsPerSec: run.rows / run.seconds, maxRss: run.maxRss, seconds: run.seconds });
      if (r === 1) bytesPerCandle = workspaceBytes(ws) / run.rows;
      rmSync(ws, { recursive: true, force: true });
    }
    rmSync(dir, { recursive: true, force: true });
    // Peak memory where it matters: a 1 GB file (14.7M one-minute rows), too long to hold, walked in pages.
    ctx.log('  generating a 1 GB CSV (14,700,000 one-minute bars) for the peak memory of the importer…');
    // In a process of its own: a child's peak RSS starts at its parent's RSS when it was forked, so
    // this process must not grow by the gigabyte of bars first.
    await run(process.execPath, [builtCliScript(), 'generate', '--out', join(dir, 'big'), '--symbols', '1', '--bars', '14700000', '--timeframe', '1m', '--seed', '12'], { maxBuffer: 1 << 20 });
    const bigCsv = join(dir, 'big', readdirSync(join(dir, 'big'))[0]!);
    ctx.log('  candela import of the 1 GB file…');
    const big = await timedImport(bigCsv, join(dir, 'ws-big'));
    const bigBytes = statSync(bigCsv).size;
    rmSync(dir, { recursive: true, force: true });
    const each = ours.map((o) => `${Math.round(o.rowsPerSec).toLocaleString('en-US')}`).join(', ');
    const anchorEach = anchors.map((a) => Math.round(a).toLocaleString('en-US')).join(', ');
    return [
      result(
        'import.rowsPerSec',
        median(ours.map((o) => o.rowsPerSec)),
        'rows/s',
        { name: 'sqlite3 .import (same file, keyed table, no validation; median)', value: anchors.length ? median(anchors) : null },
        anchorNote ?? `medians of ${REPEATS} alternating runs; candela ${each}; sqlite3 ${anchorEach}; goal ≥ 1.5×`,
      ),
      result('import.peakRssMB', big.maxRss / 1048576, 'MB', undefined, `whole CLI process importing a ${(bigBytes / 1e9).toFixed(2)} GB CSV (${big.rows.toLocaleString('en-US')} rows in ${big.seconds.toFixed(1)} s); goal ≤ 250 MB`),
      result('import.peakRssMB.1M', Math.max(...ours.map((o) => o.maxRss)) / 1048576, 'MB', undefined, 'the 1M-row file, the largest of the runs (held in memory whole for its roll-ups and health)'),
      result('import.bytesPerCandle', bytesPerCandle, 'B', undefined, 'workspace file (+ WAL) after importing the 1M 1m candles, roll-ups and health included; the CSV is ~73 B a row; goal ≤ 40 B'),
    ];
  },
};

/** Starts `candela serve` on a workspace and resolves with its WebSocket address once it listens. */
function startServe(workspace: string): Promise<{ child: ChildProcess; wsUrl: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [builtCliScript(), '--workspace', workspace, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    child.stdout!.on('data', (d) => {
      out += d;
      const url = /Open: (http:\/\/\S+)/.exec(out);
      if (url) {
        const u = new URL(url[1]!);
        resolve({ child, wsUrl: `ws://${u.host}/ws?token=${u.searchParams.get('token')}` });
      }
    });
    child.on('exit', (code) => reject(new Error(`candela serve stopped (${code}): ${err.slice(-300)}`)));
  });
}

/** A minimal contract client over the WebSocket: requests with ids, and the events seen. */
async function contractSocket(url: string) {
  const ws = new WebSocket(url);
  await new Promise((r, j) => ws.once('open', r).once('error', j));
  let nextId = 1;
  const pending = new Map<number, (r: { ok: boolean; value?: unknown; error?: { message: string } }) => void>();
  const listeners = new Set<(event: string, payload: unknown) => void>();
  ws.on('message', (d) => {
    const m = JSON.parse(String(d)) as { kind: string; id?: number; result?: { ok: boolean; value?: unknown }; event?: string; payload?: unknown };
    if (m.kind === 'reply' && m.id !== undefined) pending.get(m.id)?.(m.result!);
    else if (m.kind === 'event') for (const l of listeners) l(m.event!, m.payload);
  });
  return {
    call<T>(channel: string, payload: unknown): Promise<T> {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, (r) => {
          pending.delete(id);
          if (r.ok) resolve(r.value as T);
          else reject(new Error(`${channel}: ${r.error?.message}`));
        });
        ws.send(JSON.stringify({ id, channel, payload }));
      });
    },
    /** Resolves when an import job's summary event arrives. */
    importFinished(jobId: string): Promise<void> {
      return new Promise((resolve) => {
        const l = (event: string, payload: unknown) => {
          if (event === 'datasets.importFinished' && (payload as { jobId: string }).jobId === jobId) {
            listeners.delete(l);
            resolve();
          }
        };
        listeners.add(l);
      });
    },
    close: () => ws.close(),
  };
}

export const readDuringImportBenchmark: Benchmark = {
  prefix: 'db.readDuringImport',
  description: 'WebSocket round trip of a 2,000-candle chart request to `candela serve` while it imports a 1M-row file, beside the same request with no import running',
  async run(ctx) {
    const dir = join(ctx.tmpDir, 'read-during-import');
    ctx.log('  generating a chart dataset (20,000 5m bars) and a 1M-row 1m file…');
    const [chartCsv] = await writeGeneratedMarket({ symbols: 1, bars: 20_000, timeframe: '5m', seed: 5, signal: 0, outDir: join(dir, 'chart') });
    const [bigCsv] = await writeGeneratedMarket({ symbols: 1, bars: 1_000_000, timeframe: '1m', seed: 6, signal: 0, outDir: join(dir, 'big') });
    const { child, wsUrl } = await startServe(join(dir, 'ws'));
    const api = await contractSocket(wsUrl);
    try {
      const first = await api.call<{ jobId: string }>('datasets.import', { paths: [chartCsv] });
      await api.importFinished(first.jobId);
      const [chart] = (await api.call<{ datasets: { id: number }[] }>('datasets.list', {})).datasets;
      const request = async () => {
        const t = performance.now();
        const r = await api.call<{ candles: { ts: number[] } }>('datasets.candles', { id: chart!.id, limit: 2000, anchor: 'last' });
        if (r.candles.ts.length !== 2000) throw new Error('the chart request returned a short page');
        return performance.now() - t;
      };
      const idle: number[] = [];
      for (let i = 0; i < 300; i++) idle.push(await request());
      ctx.log('  importing 1M rows through the server while requesting the chart…');
      const started = await api.call<{ jobId: string }>('datasets.import', { paths: [bigCsv] });
      let importing = true;
      const finished = api.importFinished(started.jobId).then(() => (importing = false));
      const during: number[] = [];
      while (importing) during.push(await request());
      await finished;
      const p = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))]!;
      return [
        result('db.readDuringImport.p95Ms', p(during, 0.95), 'ms', { name: 'same request, no import running (p95)', value: p(idle, 0.95), higherIsBetter: false }, `${during.length} requests during the import; goal p95 ≤ 20 ms, max ≤ 100 ms`),
        result('db.readDuringImport.p50Ms', p(during, 0.5), 'ms', { name: 'same request, no import running (p50)', value: p(idle, 0.5), higherIsBetter: false }),
        result('db.readDuringImport.maxMs', Math.max(...during), 'ms', { name: 'same request, no import running (max)', value: Math.max(...idle), higherIsBetter: false }),
      ];
    } finally {
      api.close();
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
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
