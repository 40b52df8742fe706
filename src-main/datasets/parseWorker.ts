import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { CandleBatch, DelimitedByteReader, LineTooLongError, type ParsePlan } from '../../src-shared/compute/import/index.js';
import { decodeUtf8, readLineChunks } from './readText.js';

/**
 * Parsing in a thread of its own, pipelined into the writer: while the importer's thread encodes
 * and stores one batch of candles, this thread reads and parses the next, so a plain CSV costs
 * about the larger of the two instead of their sum (two cores, not one). Only plans the byte
 * reader takes go here; the outcome is the same DelimitedByteReader's, row for row.
 */

/** Rows per batch handed to the writer (≈ 2 MB of columns). */
const BATCH_ROWS = 32_768;
/** Batches parsed ahead of the writer at most: memory stays bounded however large the file. */
const AHEAD = 2;
/** Rejected lines whose reasons are sent (the importer keeps 20); the rest are only counted. */
const SAMPLES = 20;

export interface ParsedBatch {
  /** Columns of at least `rows` entries; only the first `rows` are candles. */
  ts: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  lineNo: Int32Array;
  rows: number;
  /** Lines refused in this batch: their count, and the first reasons overall. */
  rejected: number;
  samples: [number, string][];
  bytesRead: number;
}

type ToMain = { kind: 'batch'; batch: ParsedBatch } | { kind: 'end' } | { kind: 'error'; name: string; message: string; lineNo?: number; max?: number };

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
 * Parses `path` in a worker thread and yields its batches in file order. Returning early (a
 * cancelled import, a failed write) stops the thread. Errors of the file (a line too long)
 * are rethrown as the same classes the in-thread parser throws.
 */
export async function* parseInWorker(script: string, path: string, plan: ParsePlan): AsyncGenerator<ParsedBatch> {
  const worker = new Worker(script, { workerData: { path, plan } });
  const queue: ToMain[] = [];
  let wake: (() => void) | null = null;
  let failure: Error | null = null;
  worker.on('message', (m: ToMain) => {
    queue.push(m);
    wake?.();
  });
  worker.on('error', (e) => {
    failure = e;
    wake?.();
  });
  worker.on('exit', (code) => {
    if (code !== 0) failure ??= new Error(`The parser thread stopped (exit code ${code}).`);
    wake?.();
  });
  try {
    for (;;) {
      while (queue.length === 0 && !failure) await new Promise<void>((r) => (wake = r));
      wake = null;
      const m = queue.shift();
      if (!m) throw failure!;
      if (m.kind === 'end') return;
      if (m.kind === 'error') {
        if (m.name === 'LineTooLongError') throw new LineTooLongError(m.lineNo!, m.max!);
        const e = new Error(m.message);
        e.name = m.name;
        throw e;
      }
      worker.postMessage('credit');
      yield m.batch;
    }
  } finally {
    await worker.terminate();
  }
}

/** The parser thread's loop (dist/main/import-parser.mjs). */
export async function serveParseWorker(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('The parser must run in a worker thread.');
  const { path, plan } = workerData as { path: string; plan: ParsePlan };
  let credits = AHEAD;
  let wake: (() => void) | null = null;
  port.on('message', () => {
    credits++;
    wake?.();
  });
  const post = (m: ToMain, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
  try {
    const reader = new DelimitedByteReader(plan, decodeUtf8);
    let batch = new CandleBatch(0, BATCH_ROWS + 16_384);
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
      // the batch's own columns change hands (no copy); the next batch gets new ones
      const b = batch;
      const out: ParsedBatch = { ts: b.ts, open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume, lineNo: b.lineNo, rows: b.length, rejected, samples, bytesRead };
      post({ kind: 'batch', batch: out }, [out.ts, out.open, out.high, out.low, out.close, out.volume, out.lineNo].map((a) => a.buffer as ArrayBuffer));
      samplesSent += samples.length;
      samples = [];
      rejected = 0;
      batch = new CandleBatch(0, BATCH_ROWS + 16_384);
    };
    let bytes = 0;
    for await (const { bytes: chunk, bytesRead } of readLineChunks(path)) {
      reader.push(chunk, batch, reject);
      bytes = bytesRead;
      if (batch.length >= BATCH_ROWS) await send(bytesRead);
    }
    reader.end(batch, reject);
    if (batch.length > 0 || rejected > 0) await send(bytes);
    post({ kind: 'end' });
  } catch (e) {
    const err = e as Error;
    post(e instanceof LineTooLongError ? { kind: 'error', name: err.name, message: err.message, lineNo: e.lineNo, max: e.maxLineLength } : { kind: 'error', name: err.name, message: err.message });
  }
}
