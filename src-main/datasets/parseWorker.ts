import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { healthReport, type HealthSummary } from '../../src-shared/compute/health/index.js';
import { CandleBatch, DelimitedByteReader, LineTooLongError, type ParsePlan } from '../../src-shared/compute/import/index.js';
import type { OhlcvColumns } from '../../src-shared/domain/ohlcv.js';
import type { DurationMs, EpochMs } from '../../src-shared/domain/units.js';
import { contentHasher, decodeUtf8, readLineChunks } from './readText.js';

/**
 * Parsing in a thread of its own, pipelined into the writer: while the importer's thread encodes
 * and stores one batch of candles, this thread reads and parses the next, so a plain CSV costs
 * about the larger of the two instead of their sum (two cores, not one). Only plans the byte
 * reader takes go here; the outcome is the same DelimitedByteReader's, row for row. When the
 * file makes a new dataset, the thread also computes its health report from the rows it parsed
 * (the very columns the importer holds then), while the importer builds the roll-ups.
 */

/** Rows per batch handed to the writer (≈ 2 MB of columns). */
const BATCH_ROWS = 32_768;
/** Batches parsed ahead of the writer at most: memory stays bounded however large the file. */
const AHEAD = 2;
/** Rejected lines whose reasons are sent (the importer keeps 20); the rest are only counted. */
const SAMPLES = 20;
/** The most rows held for the health report: the importer's own limit for holding a dataset's columns. */
const MAX_HELD_ROWS = 1_000_000;

/** Columns of at least `rows` entries; only the first `rows` are candles. */
export interface ParsedBatch extends Omit<OhlcvColumns, 'extras'> {
  lineNo: Int32Array;
  rows: number;
  /** Lines refused in this batch: their count, and the first reasons overall. */
  rejected: number;
  samples: [number, string][];
  bytesRead: number;
}

/** The health report of the parsed candles, computed by the parser thread (see ParserThread). */
export interface ThreadHealth {
  summary: HealthSummary;
  flags: Uint8Array;
}

/** Asks the parser thread for the health report of everything it parsed (see `ParserThread.health`). */
export interface HealthRequest {
  timeframeMs: number;
  nowMs: number;
  symbol: string | undefined;
  /** About how many rows the file holds, so the thread's copy is allocated once. */
  expectedRows: number;
}

type ToMain =
  | { kind: 'batch'; batch: ParsedBatch }
  | { kind: 'parsed'; contentHash: string | null }
  | { kind: 'health'; health: ThreadHealth | null }
  | { kind: 'error'; name: string; message: string; lineNo?: number; max?: number };

/** The built parser thread beside this bundle (dist/main/import-parser.mjs), when there is one. */
export function defaultParserScript(): string | null {
  try {
    const file = fileURLToPath(new URL('./import-parser.mjs', import.meta.url));
    return existsSync(file) ? file : null;
  } catch {
    return null;
  }
}

/**
 * A file parsed in a worker thread: `batches()` yields its candles in file order (and then
 * `contentHash` holds the file's hash, when asked for); `health()`
 * then resolves with the health report of all of them, which the thread computes while the
 * importer writes the roll-ups (or null when it was not asked, the file was too long to hold,
 * or its times were not strictly increasing). `stop()` ends the thread; call it in every case.
 * Errors of the file (a line too long) are rethrown as the classes the in-thread parser throws.
 */
export class ParserThread {
  private readonly worker: Worker;
  private readonly queue: ToMain[] = [];
  private wake: (() => void) | null = null;
  private failure: Error | null = null;
  private readonly healthResult: Promise<ThreadHealth | null>;
  private resolveHealth!: (h: ThreadHealth | null) => void;
  /** The file's content hash (hashFile's), once every batch is out, when asked for with `hashContent`. */
  contentHash: string | null = null;

  constructor(script: string, path: string, plan: ParsePlan, health?: HealthRequest, hashContent = false) {
    this.healthResult = new Promise((r) => (this.resolveHealth = r));
    this.worker = new Worker(script, { workerData: { path, plan, health, hashContent } });
    this.worker.on('message', (m: ToMain) => {
      if (m.kind === 'health') this.resolveHealth(m.health);
      else this.queue.push(m);
      this.wake?.();
    });
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => this.fail(new Error(`The parser thread stopped (exit code ${code}).`)));
  }

  private fail(e: Error): void {
    this.failure ??= e;
    this.resolveHealth(null);
    this.wake?.();
  }

  async *batches(): AsyncGenerator<ParsedBatch> {
    for (;;) {
      while (this.queue.length === 0 && !this.failure) await new Promise<void>((r) => (this.wake = r));
      this.wake = null;
      const m = this.queue.shift();
      if (!m) throw this.failure!;
      if (m.kind === 'parsed') {
        this.contentHash = m.contentHash;
        return;
      }
      if (m.kind === 'error') {
        if (m.name === 'LineTooLongError') throw new LineTooLongError(m.lineNo!, m.max!);
        const e = new Error(m.message);
        e.name = m.name;
        throw e;
      }
      if (m.kind === 'batch') {
        yield m.batch;
        // The importer is done with the batch (it copies what it keeps): its columns go back to be
        // filled again, so a long file does not leave a trail of 2 MB buffers for the GC.
        const b = m.batch;
        const cols = [b.ts, b.open, b.high, b.low, b.close, b.volume, b.lineNo];
        this.worker.postMessage(cols, cols.map((a) => a.buffer as ArrayBuffer));
      }
    }
  }

  health(): Promise<ThreadHealth | null> {
    return this.healthResult;
  }

  async stop(): Promise<void> {
    this.resolveHealth(null);
    await this.worker.terminate();
  }
}

/** The parser thread's loop (dist/main/import-parser.mjs). */
export async function serveParseWorker(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('The parser must run in a worker thread.');
  const { path, plan, health, hashContent } = workerData as { path: string; plan: ParsePlan; health?: HealthRequest; hashContent?: boolean };
  let credits = AHEAD;
  let wake: (() => void) | null = null;
  /** Columns the importer handed back, to fill again (see ParserThread.batches). */
  const spare: (Float64Array | Int32Array)[][] = [];
  port.on('message', (cols: (Float64Array | Int32Array)[]) => {
    spare.push(cols);
    credits++;
    wake?.();
  });
  const nextBatch = (): CandleBatch => {
    const cols = spare.pop();
    if (!cols) return new CandleBatch(0, BATCH_ROWS + 16_384);
    const b = new CandleBatch(0, 16);
    b.adopt(cols as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Int32Array]);
    return b;
  };
  const post = (m: ToMain, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
  try {
    const reader = new DelimitedByteReader(plan, decodeUtf8);
    // Everything parsed, for the health report (only when asked, and up to the importer's limit).
    let all: CandleBatch | null = health ? new CandleBatch(0, Math.min(MAX_HELD_ROWS, Math.max(BATCH_ROWS, health.expectedRows))) : null;
    let increasing = true;
    let lastTs = -Infinity;
    let batch = nextBatch();
    let rejected = 0;
    let samplesSent = 0;
    let samples: [number, string][] = [];
    const reject = (line: number, reason: string) => {
      rejected++;
      if (samplesSent + samples.length < SAMPLES) samples.push([line, reason]);
    };
    const send = async (bytesRead: number) => {
      while (credits === 0) await new Promise<void>((r) => (wake = r));
      credits--;
      const b = batch;
      if (all) {
        for (let i = 0; i < b.length && increasing; i++) {
          increasing = b.ts[i]! > lastTs;
          lastTs = b.ts[i]!;
        }
        if (!increasing || all.length + b.length > MAX_HELD_ROWS) all = null;
        else all.appendColumns(b, 0, b.length);
      }
      // the batch's own columns change hands (no copy); the next batch gets new ones
      const out: ParsedBatch = { ts: b.ts, open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume, lineNo: b.lineNo, rows: b.length, rejected, samples, bytesRead };
      post({ kind: 'batch', batch: out }, [out.ts, out.open, out.high, out.low, out.close, out.volume, out.lineNo].map((a) => a.buffer as ArrayBuffer));
      samplesSent += samples.length;
      samples = [];
      rejected = 0;
      batch = nextBatch();
    };
    let bytes = 0;
    // The file is read whole here anyway: hashing it on the way saves the importer a pass of its own.
    const hash = hashContent ? contentHasher() : undefined;
    for await (const { bytes: chunk, bytesRead } of readLineChunks(path, hash)) {
      reader.push(chunk, batch, reject);
      bytes = bytesRead;
      if (batch.length >= BATCH_ROWS) await send(bytesRead);
    }
    reader.end(batch, reject);
    if (batch.length > 0 || rejected > 0) await send(bytes);
    post({ kind: 'parsed', contentHash: hash ? hash.digest('hex') : null });
    if (health) {
      let result: ThreadHealth | null = null;
      if (all && all.length > 0) {
        const n = all.length;
        const cols = { ts: all.ts.subarray(0, n), open: all.open.subarray(0, n), high: all.high.subarray(0, n), low: all.low.subarray(0, n), close: all.close.subarray(0, n), volume: all.volume.subarray(0, n) };
        const report = healthReport(cols, health.timeframeMs as DurationMs, { nowMs: health.nowMs as EpochMs, symbol: health.symbol });
        result = { summary: report.summary, flags: report.flags };
      }
      post({ kind: 'health', health: result }, result ? [result.flags.buffer as ArrayBuffer] : []);
    }
  } catch (e) {
    const err = e as Error;
    post(e instanceof LineTooLongError ? { kind: 'error', name: err.name, message: err.message, lineNo: e.lineNo, max: e.maxLineLength } : { kind: 'error', name: err.name, message: err.message });
  }
}
