import { mkdirSync, statSync } from 'node:fs';
import type { ComputeBackend, SystemInfo } from '../../src-shared/contract/system.js';
import { openInlineDb, startDbWorker, type DbClient } from './dbWorkerOps.js';
import { ResourceMonitor } from '../system/resourceMonitor.js';
import { collectVersions } from '../system/versions.js';
import { workspaceDbPath } from '../workspace/location.js';
import { DatasetService } from '../datasets/datasetService.js';
import { UploadStore } from '../datasets/uploads.js';
import { isEventName } from '../../src-shared/contract/index.js';
import { EventBus } from './eventBus.js';
import { TrainingService } from '../training/host/trainingService.js';
import { forkTrainingProcess, type SpawnTrainingProcess } from '../training/host/trainingProcess.js';
import { SweepService } from '../sweeps/sweepService.js';
import { LocalTrialScheduler } from '../sweeps/trialScheduler.js';
import { availableParallelism } from 'node:os';
import { SeedGroupService } from '../runs/seedGroupService.js';
import { MarketMonteCarloService } from '../backtests/marketMonteCarloService.js';
import { NO_BROWSER, NO_BROWSER_ON_SERVER, printHtmlToPdf } from '../evaluation/report/pdf.js';
import { ContractFailure } from '../../src-shared/contract/result.js';

export interface ServiceOptions {
  workspaceDir: string;
  shell: 'electron' | 'headless';
  /** 'worker' in the app and server (bulk work off the main loop); 'inline' in the CLI and unit tests. */
  dbMode: 'worker' | 'inline';
  /** The built DB worker script, required for dbMode 'worker'. */
  dbWorkerScript?: URL | string;
  /** How the compute backend is found; the server probes in a child process. */
  probeBackend: () => Promise<ComputeBackend>;
  /** The built training worker (dist/main/training-worker.mjs); null where training is unavailable. */
  trainingWorkerScript?: string | null;
  /** How a training process starts: utilityProcess in Electron, a forked child elsewhere. */
  spawnTrainingProcess?: SpawnTrainingProcess;
  /** Probe only when `whenBackendReady` is first called (CLI commands that never need it). */
  lazyBackendProbe?: boolean;
  /** Resource sampling interval; 0 disables the background monitor (CLI). */
  resourceIntervalMs?: number;
  /**
   * Start the seeds that seed groups left waiting (default true). The CLI opens a workspace per
   * command and says false: a listing must not start (and, closing, interrupt) another group's runs.
   */
  resumeSeedGroups?: boolean;
  /**
   * Prints a report's HTML to PDF bytes. The desktop app passes its own Chromium
   * (webContents.printToPDF, app/reportPdf.ts); elsewhere a headless Chromium found on the machine.
   */
  printReportPdf?: (html: string) => Promise<Uint8Array>;
}

export interface Services {
  readonly options: ServiceOptions;
  readonly db: DbClient;
  readonly events: EventBus;
  readonly resources: ResourceMonitor;
  readonly datasets: DatasetService;
  readonly uploads: UploadStore;
  readonly training: TrainingService;
  readonly sweeps: SweepService;
  /** Runs repeated with several seeds (the Runs view, `candela runs --seeds`). */
  readonly seedGroups: SeedGroupService;
  /** Monte Carlo of the market under a stored backtest (signals recomputed by the run's model on each path). */
  readonly marketMonteCarlo: MarketMonteCarloService;
  /** A finished run's report (with a backtest's sections when given) printed to PDF by the shell's printer. */
  reportPdf(runId: number, backtestId: number | null): Promise<{ pdf: Uint8Array; fileName: string }>;
  systemInfo(): Promise<SystemInfo>;
  /** The probed backend, or null while the probe is still running. */
  backend(): ComputeBackend | null;
  /** Resolves once the backend probe has answered (or failed, with the reason as its label). */
  whenBackendReady(): Promise<ComputeBackend>;
  close(): Promise<void>;
}

/** Opens the workspace and wires the services every transport shares. */
export async function createServices(opts: ServiceOptions): Promise<Services> {
  mkdirSync(opts.workspaceDir, { recursive: true });
  const dbFile = workspaceDbPath(opts.workspaceDir);
  const events = new EventBus();
  // Jobs in the DB worker report progress as contract events; anything else is a bug, not an event.
  const sink = (name: string, payload: unknown) => {
    if (isEventName(name)) events.emit(name, payload as never);
  };
  let db: DbClient;
  if (opts.dbMode === 'worker') {
    if (!opts.dbWorkerScript) throw new Error('dbWorkerScript is required when dbMode is "worker".');
    db = await startDbWorker(dbFile, opts.dbWorkerScript, sink);
  } else {
    db = openInlineDb(dbFile, sink);
  }
  const uploads = new UploadStore(opts.workspaceDir);
  const datasets = new DatasetService(db, events, opts.workspaceDir, uploads);
  const training = new TrainingService(db, events, opts.workspaceDir, opts.spawnTrainingProcess ?? forkTrainingProcess, opts.trainingWorkerScript ?? null);
  await training.init();
  // One trial per core by default: each trial is its own training process.
  const sweeps = new SweepService(db, events, new LocalTrialScheduler(training, events, availableParallelism()));
  await sweeps.init();
  const seedGroups = new SeedGroupService(db, training);
  const marketMonteCarlo = new MarketMonteCarloService(db, training, events);
  if (opts.resumeSeedGroups !== false) await seedGroups.init();
  const resources = new ResourceMonitor((s) => events.emit('system.resourceSample', s), opts.resourceIntervalMs || 1000, () => training.trainingMemory());
  if (opts.resourceIntervalMs !== 0) resources.start();

  let backend: ComputeBackend | null = null;
  let backendReady: Promise<ComputeBackend> | null = null;
  const probe = () =>
    (backendReady ??= opts.probeBackend().then(
      (b) => {
        backend = b;
        events.emit('system.backendChanged', b);
        return b;
      },
      (e: Error) => {
        backend = { name: 'cpu', gpuInUse: false, reason: e.message, label: `unknown — ${e.message}`, attempts: [], adapter: null };
        return backend;
      },
    ));
  if (!opts.lazyBackendProbe) void probe();
  const sqliteVersion = await db.sqliteVersion();

  return {
    options: opts,
    db,
    events,
    resources,
    datasets,
    uploads,
    training,
    seedGroups,
    sweeps,
    marketMonteCarlo,
    async reportPdf(runId, backtestId) {
      const report = await db.runReport(runId, backtestId, Date.now());
      let pdf: Uint8Array;
      try {
        pdf = await (opts.printReportPdf ?? printHtmlToPdf)(report.html);
      } catch (e) {
        // No browser to print with is a fact of this machine, not a bug: the sentence says what to do.
        const message = e instanceof Error ? e.message : String(e);
        throw new ContractFailure('UNSUPPORTED', message === NO_BROWSER ? NO_BROWSER_ON_SERVER : message);
      }
      return { pdf, fileName: report.fileName.replace(/\.html$/i, '.pdf') };
    },
    backend: () => backend,
    whenBackendReady: probe,
    async systemInfo() {
      // The WAL holds recent writes until a checkpoint: count it, or a fresh import looks like nothing.
      const dbBytes = ['', '-wal'].reduce((n, suffix) => n + (statSync(dbFile + suffix, { throwIfNoEntry: false })?.size ?? 0), 0);
      const schemaVersion = await db.schemaVersion();
      return {
        versions: collectVersions(sqliteVersion),
        workspace: { path: opts.workspaceDir, dbBytes, schemaVersion },
        shell: opts.shell,
        backend,
      };
    },
    async close() {
      resources.stop();
      seedGroups.close();
      marketMonteCarlo.cancelAll();
      // Sweeps first: they record their trials as interrupted before the training processes end.
      await sweeps.shutdown();
      await training.shutdown();
      await backendReady?.catch(() => undefined);
      await db.close();
    },
  };
}
