import { z } from 'zod';
import { CONTRACT_KINDS } from '../domain/contractKind.js';
import { channel, event } from './define.js';

export const datasetIdSchema = z.number().int().positive();

/** Spot, perpetual swap or dated future: part of a dataset's identity beside symbol, venue and timeframe. */
export const contractKindSchema = z.enum(CONTRACT_KINDS);

const venueSchema = z.string().trim().max(32).regex(/^$|^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'A venue is one word such as binance, bybit or nasdaq.');

export const healthVerdictSchema = z.enum(['clean', 'suspect', 'bad']);

export const datasetSummarySchema = z.object({
  id: datasetIdSchema,
  /** Canonical: BASE/QUOTE where base and quote can be told apart (BTC/USDT, EUR/USD), else as written (NVDA). */
  symbol: z.string(),
  kind: contractKindSchema,
  /** Lower-case venue id (binance), null when unknown. */
  venue: z.string().nullable(),
  /** UTC midnight (ms) of a future's expiry day; null otherwise or when unknown. */
  expiry: z.number().nullable(),
  timeframe: z.string(),
  timeframeMs: z.number(),
  rows: z.number().int(),
  /** Integer UTC milliseconds; null for a dataset with no rows. */
  firstTs: z.number().nullable(),
  lastTs: z.number().nullable(),
  healthScore: z.number().nullable(),
  healthVerdict: healthVerdictSchema.nullable(),
  /** Approximate bytes the dataset's candles take in the workspace. */
  bytes: z.number(),
  extraColumns: z.array(z.string()),
  createdAt: z.number(),
});
export type DatasetSummary = z.infer<typeof datasetSummarySchema>;

const columnRoles = ['time', 'date', 'open', 'high', 'low', 'close', 'volume', 'symbol'] as const;

/** What the user may correct before committing an import (UI preview, CLI flags). */
export const importOverridesSchema = z
  .object({
    symbol: z.string().trim().min(1).max(64).optional(),
    kind: contractKindSchema.optional(),
    /** An empty string means no venue, whatever the file name says. */
    venue: venueSchema.optional(),
    timeframe: z
      .string()
      .regex(/^\d+\s*[smhdwSMHDW]$/, 'A timeframe looks like 5m, 1h, 1d or 1w.')
      .optional(),
    columns: z.partialRecord(z.enum(columnRoles), z.string().min(1).max(200)).optional(),
    delimiter: z.string().min(1).max(3).optional(),
    dayFirst: z.boolean().optional(),
  })
  .strict();
export type ImportOverrides = z.infer<typeof importOverridesSchema>;

export const fileImportResultSchema = z.object({
  file: z.string(),
  ok: z.boolean(),
  datasetId: datasetIdSchema.nullable(),
  symbol: z.string().nullable(),
  kind: contractKindSchema.nullable(),
  venue: z.string().nullable(),
  timeframe: z.string().nullable(),
  /** The recognised export family, e.g. "Binance klines". */
  format: z.string().nullable(),
  rowsRead: z.number().int(),
  /** Bars new to the dataset (duplicates and overlaps excluded). */
  rowsImported: z.number().int(),
  rowsRejected: z.number().int(),
  /** Repeated timestamps, within the file or already in the dataset. */
  duplicates: z.number().int(),
  /** Duplicates whose values differed (resolved: the last line in the file, or the newer import, wins). */
  conflicts: z.number().int(),
  firstTs: z.number().nullable(),
  lastTs: z.number().nullable(),
  warnings: z.array(z.string()),
  /** One sentence when the whole file was refused; null when ok. */
  error: z.string().nullable(),
  rejectedSample: z.array(z.object({ line: z.number().int(), reason: z.string() })),
  conflictSample: z.array(z.object({ ts: z.number(), lines: z.array(z.number().int()) })),
  /** The rows went into an existing dataset of the same instrument (symbol, kind, venue, expiry) and timeframe. */
  appended: z.boolean(),
  alreadyImported: z.boolean(),
  cancelled: z.boolean(),
});
export type FileImportResult = z.infer<typeof fileImportResultSchema>;

export const importSummarySchema = z.object({
  jobId: z.string(),
  files: z.array(fileImportResultSchema),
  cancelled: z.boolean(),
  seconds: z.number(),
});
export type ImportSummary = z.infer<typeof importSummarySchema>;

export const importProgressSchema = z.object({
  jobId: z.string(),
  fileIndex: z.number().int(),
  fileCount: z.number().int(),
  file: z.string(),
  bytesRead: z.number(),
  bytesTotal: z.number(),
  rows: z.number(),
  rowsPerSec: z.number(),
  /** Seconds left for the whole job, from the byte rate so far; null until known. */
  etaSec: z.number().nullable(),
});
export type ImportProgress = z.infer<typeof importProgressSchema>;

export const previewSchema = z.object({
  file: z.string(),
  ok: z.boolean(),
  error: z.string().nullable(),
  format: z.string().nullable(),
  /** Lines such as "Delimiter: ;  decimal comma" describing what was detected. */
  detected: z.array(z.string()),
  symbol: z.string().nullable(),
  kind: contractKindSchema.nullable(),
  venue: z.string().nullable(),
  timeframe: z.string().nullable(),
  header: z.array(z.string()).nullable(),
  /** Column roles as detected: role → header name or column number. */
  columns: z.record(z.string(), z.string()),
  extras: z.array(z.string()),
  /** The first data rows as split cells. */
  sampleRows: z.array(z.array(z.string())),
  /** 0-based file column of each role as detected or overridden (`timeOfDay`: a separate time column added to the date in `time`). */
  columnIndex: z.partialRecord(z.enum(['time', 'timeOfDay', 'open', 'high', 'low', 'close', 'volume', 'symbol']), z.number().int().min(0)),
  /** How each of `sampleRows` reads: its 1-based line in the file and its UTC time (ms), or why the import would reject or skip it. */
  sampleParsed: z.array(z.object({ line: z.number().int(), ts: z.number().nullable(), problem: z.string().nullable() })),
  warnings: z.array(z.string()),
});
export type ImportPreview = z.infer<typeof previewSchema>;

const candleColumnsSchema = z.object({
  ts: z.array(z.number()),
  open: z.array(z.number()),
  high: z.array(z.number()),
  low: z.array(z.number()),
  close: z.array(z.number()),
  volume: z.array(z.number().nullable()),
});
export type CandleColumnsPayload = z.infer<typeof candleColumnsSchema>;

const count = z.number().int();

/**
 * A dataset's health report (`HealthSummary` in src-shared/compute/health/healthReport.ts, where
 * each field is documented; healthSummary.test.ts keeps the two the same type). Every count the
 * panel and `candela health` show is here, with the breakdowns that explain it.
 */
export const healthSummarySchema = z.object({
  version: z.number().int(),
  rows: z.number().int(),
  expectedRows: z.number().int(),
  missingBars: z.number().int(),
  gapCount: z.number().int(),
  largestGaps: z.array(z.object({ fromTs: z.number(), toTs: z.number(), missingBars: z.number().int() })),
  zeroVolumeBars: z.number().int(),
  missingVolumeBars: z.number().int(),
  spikes: z.number().int(),
  badTicks: z.number().int(),
  flatBars: z.number().int(),
  invalidBars: z.number().int(),
  offGridBars: z.number().int(),
  incompleteFirst: z.boolean(),
  incompleteLast: z.boolean(),
  sessionsDetected: z.boolean(),
  weekendGapsExpected: z.boolean(),
  activeFraction: z.number(),
  spikeThreshold: z.number(),
  robustSigma: z.number(),
  suspectBars: z.number().int(),
  badBars: z.number().int(),
  /** Suspect candles by first reason; sums to suspectBars. */
  suspectByReason: z.object({ spike: count, offGrid: count, incomplete: count, missingVolume: count, zeroVolume: count, flat: count, gapBefore: count }),
  /** Bad candles by first reason; sums to badBars. */
  badByReason: z.object({ invalidOhlc: count, badTick: count }),
  calendar: z.enum(['continuous', 'sessions', 'nyse', 'fx']),
  calendarSource: z.enum(['option', 'symbol', 'data']),
  /** Closures (weekends, holidays, daily breaks): not gaps. */
  closures: z.object({ weekends: count, holidays: count, daily: count }),
  offGridTimes: z.array(z.object({ time: z.string(), count: z.number().int() })),
  score: z.number(),
  verdict: healthVerdictSchema,
});
export type HealthSummaryPayload = z.infer<typeof healthSummarySchema>;

const pathList = z.array(z.string().min(1).max(4096)).min(1).max(10_000);

export const datasetsChannels = {
  'datasets.list': channel({
    request: z.object({}).strict(),
    response: z.object({ datasets: z.array(datasetSummarySchema) }),
    summary: 'All datasets in the workspace.',
  }),
  'datasets.delete': channel({
    request: z.object({ id: datasetIdSchema }).strict(),
    response: z.object({ deleted: z.literal(true), id: datasetIdSchema }),
    summary: 'Deletes a dataset, its candles, rollups and health report.',
  }),
  'datasets.rename': channel({
    request: z
      .object({
        id: datasetIdSchema,
        /** Any spelling (BTCUSDT, btc_usdt, BTC-PERP); stored canonical. */
        symbol: z.string().max(64),
        /** Omitted: what the symbol states (BTC-PERP), else the dataset's current kind. */
        kind: contractKindSchema.optional(),
        /** Omitted: unchanged; null or an empty string: none. */
        venue: venueSchema.nullable().optional(),
        /** A future's expiry day (UTC ms); omitted: what the symbol states, else unchanged. */
        expiry: z.number().int().nullable().optional(),
      })
      .strict(),
    response: z.object({ dataset: datasetSummarySchema }),
    summary: "Renames a dataset's instrument (symbol, kind, venue, expiry); refused when another dataset of the same timeframe already is that instrument.",
  }),
  'datasets.scan': channel({
    request: z.object({ paths: pathList }).strict(),
    response: z.object({ files: z.array(z.object({ path: z.string(), bytes: z.number() })), skipped: z.array(z.string()) }),
    summary: 'Expands files and folders (recursively) into the importable files they hold.',
  }),
  'datasets.preview': channel({
    request: z.object({ path: z.string().min(1).max(4096), overrides: importOverridesSchema.optional() }).strict(),
    response: previewSchema,
    summary: 'What an import of this file would detect: format, mapping, symbol, timeframe, first rows, problems.',
  }),
  'datasets.import': channel({
    request: z.object({ paths: pathList, overrides: importOverridesSchema.optional() }).strict(),
    response: z.object({ jobId: z.string(), fileCount: z.number().int() }),
    summary: 'Starts importing files and folders; progress and the summary arrive as events.',
  }),
  'datasets.importCancel': channel({
    request: z.object({ jobId: z.string() }).strict(),
    response: z.object({ cancelled: z.boolean() }),
    summary: 'Cancels a running import; the file in progress leaves nothing behind.',
  }),
  'datasets.candles': channel({
    request: z
      .object({
        id: datasetIdSchema,
        /** A rollup timeframe label (5m, 1h …) or omitted for the dataset's own bars. */
        timeframe: z.string().max(8).optional(),
        from: z.number().optional(),
        to: z.number().optional(),
        limit: z.number().int().min(1).max(200_000).default(5000),
        anchor: z.enum(['first', 'last']).default('last'),
      })
      .strict(),
    response: z.object({ id: datasetIdSchema, timeframe: z.string(), candles: candleColumnsSchema, timeframes: z.array(z.string()) }),
    summary: 'A range of candles (an index range scan) at the dataset timeframe or a rollup.',
  }),
  'datasets.health': channel({
    request: z.object({ id: datasetIdSchema }).strict(),
    response: z.object({ id: datasetIdSchema, summary: healthSummarySchema, flaggedTs: z.array(z.number()), flaggedLevel: z.array(z.number()), computedAt: z.number() }),
    summary: 'The data-health report of a dataset, with the timestamps of suspect and bad candles.',
  }),
  'datasets.generateDemo': channel({
    request: z.object({ symbols: z.number().int().min(1).max(20).default(4), bars: z.number().int().min(500).max(200_000).default(20_000), timeframe: z.string().default('5m'), seed: z.number().int().default(7), signal: z.number().min(0).max(1).default(0.3) }).strict(),
    response: z.object({ jobId: z.string(), fileCount: z.number().int() }),
    summary: 'Generates a demo market (correlated symbols with a planted signal) and imports it.',
  }),
  'uploads.begin': channel({
    request: z.object({ name: z.string().min(1).max(512), bytes: z.number().int().min(0).max(64 * 1024 ** 3) }).strict(),
    response: z.object({ uploadId: z.string() }),
    summary: 'Browser drag-and-drop: starts receiving a file’s bytes over the contract.',
  }),
  'uploads.chunk': channel({
    request: z.object({ uploadId: z.string(), offset: z.number().int().min(0), base64: z.string().max(1_500_000) }).strict(),
    response: z.object({ received: z.number() }),
    summary: 'One chunk (≤ 1 MB before base64) of an upload, in order.',
  }),
  'uploads.finish': channel({
    request: z.object({ uploadId: z.string() }).strict(),
    response: z.object({ path: z.string() }),
    summary: 'Completes an upload; the returned path can be previewed and imported.',
  }),
} as const;

export const datasetsEvents = {
  'datasets.importProgress': event({ payload: importProgressSchema, summary: 'Import progress, at most ~10 per second.' }),
  'datasets.importFinished': event({ payload: importSummarySchema, summary: 'An import job ended: one summary for all its files.' }),
  'datasets.changed': event({ payload: z.object({ reason: z.string() }), summary: 'The list of datasets changed.' }),
} as const;
