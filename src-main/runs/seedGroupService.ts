/**
 * Repeats a finished run with K seeds. The run itself is seed one (its own seed); the other K − 1
 * are new runs of the same resolved config with seeds seed + 1, …, seed + K − 1, started through
 * the training service like any run, at most `parallel` at a time. The group and its pending seeds
 * are stored (migration 0008), so a group cut off by a restart starts its remaining seeds when the
 * app (or `candela serve`) opens the workspace again.
 */
import { ContractFailure } from '../../src-shared/contract/result.js';
import type { SeedGroup } from '../../src-shared/contract/runs.js';
import { isFinishedRunStatus, type RunStatus, type TrainingConfig } from '../../src-shared/contract/training.js';
import type { DbClient } from '../services/dbWorkerOps.js';

/** What the seed groups need of the training service. */
export interface SeedTrainer {
  start(config: TrainingConfig, name?: string): Promise<number>;
  isActive(runId: number): boolean;
  whenSettled(runId: number): Promise<RunStatus>;
  evaluationsSettled(): Promise<void>;
}

const SEED_LIMIT = 2 ** 31 - 1;

export class SeedGroupService {
  /** One fill at a time per group, so a seed is never started twice. */
  private readonly locks = new Map<number, Promise<void>>();
  private closed = false;

  constructor(
    private readonly db: DbClient,
    private readonly training: SeedTrainer,
  ) {}

  /** Starts the seeds that groups left pending when Candela last stopped. */
  async init(): Promise<void> {
    for (const g of await this.db.seedGroupRows()) {
      if (g.members.some((m) => !m.started)) void this.fill(g.id).catch((e: Error) => console.error(`seed group ${g.id}:`, e.message));
    }
  }

  close(): void {
    this.closed = true;
  }

  async create(runId: number, seeds: number, parallel: number): Promise<SeedGroup> {
    const run = await this.db.getRun(runId);
    if (!run) throw new ContractFailure('NOT_FOUND', `Run ${runId} does not exist.`);
    if (run.model === 'ensemble') throw new ContractFailure('BAD_REQUEST', `Run ${runId} is an ensemble; repeat its members with seeds instead.`);
    if (!isFinishedRunStatus(run.status)) throw new ContractFailure('CONFLICT', `Run ${runId} is ${run.status}; only a finished run can be repeated with seeds (it is the group's first seed).`);
    // A trial's test split stays sealed unless it won its sweep (the sweep then evaluates it).
    if (run.sweepId !== undefined && (await this.db.latestEvaluation(runId)) === null) {
      throw new ContractFailure('CONFLICT', `Run ${runId} is a trial of sweep ${run.sweepId} whose test split stays sealed; repeat the sweep's winner with seeds instead.`);
    }
    const base = run.config.seed;
    const list = Array.from({ length: seeds }, (_, i) => (base + i) % SEED_LIMIT);
    const groupId = await this.db.createSeedGroup(runId, list, parallel, Date.now());
    // The first start is awaited so a config that can no longer start (a deleted dataset) is refused here.
    await this.fill(groupId);
    return this.db.seedGroupSummary(groupId, Date.now());
  }

  /** Resolves with the group's report once every seed has ended and been evaluated. */
  async whenSettled(groupId: number): Promise<SeedGroup> {
    for (;;) {
      await this.fill(groupId);
      const g = (await this.db.seedGroupRows(groupId))[0];
      if (!g) throw new ContractFailure('NOT_FOUND', `Seed group ${groupId} does not exist.`);
      const active = g.members.filter((m) => m.runId !== null && this.training.isActive(m.runId)).map((m) => m.runId!);
      const pending = g.members.some((m) => !m.started);
      if (!active.length && !pending) break;
      if (!active.length) throw new ContractFailure('CONFLICT', `Seed group ${groupId} has seeds waiting but none running; this Candela process cannot start them.`);
      await Promise.race(active.map((id) => this.training.whenSettled(id)));
    }
    await this.training.evaluationsSettled();
    return this.db.seedGroupSummary(groupId, Date.now());
  }

  private fill(groupId: number): Promise<void> {
    const previous = this.locks.get(groupId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.fillNow(groupId));
    this.locks.set(groupId, next);
    return next;
  }

  private async fillNow(groupId: number): Promise<void> {
    if (this.closed) return;
    const g = (await this.db.seedGroupRows(groupId))[0];
    if (!g) return;
    const running = g.members.filter((m) => m.runId !== null && this.training.isActive(m.runId)).length;
    const pending = g.members.filter((m) => !m.started);
    const free = Math.max(0, g.parallel - running);
    if (!pending.length || !free) return;
    const source = await this.db.getRun(g.sourceRunId);
    if (!source) return;
    for (const m of pending.slice(0, free)) {
      const runId = await this.training.start({ ...source.config, seed: m.seed }, `${source.name} · seed ${m.seed}`);
      await this.db.setSeedMemberRun(groupId, m.position, runId);
      // When it ends, the next pending seed takes its slot.
      void this.training.whenSettled(runId).then(
        () => this.fill(groupId),
        () => this.fill(groupId),
      ).catch((e: Error) => console.error(`seed group ${groupId}:`, e.message));
    }
  }
}
