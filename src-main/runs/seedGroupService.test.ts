import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { trainingConfigSchema, type RunStatus, type TrainingConfig } from '../../src-shared/contract/training.js';
import { openInlineDb, type DbClient } from '../services/dbWorkerOps.js';
import { SeedGroupService, type SeedTrainer } from './seedGroupService.js';

/**
 * A trainer that creates run rows and keeps them running until the test finishes them, so the
 * scheduling (how many at once, which seed next, what a restart picks up) can be watched step by step.
 */
class HeldTrainer implements SeedTrainer {
  readonly started: { runId: number; seed: number }[] = [];
  private readonly finishers = new Map<number, () => Promise<void>>();
  private readonly settled = new Map<number, Promise<RunStatus>>();
  maxActive = 0;

  constructor(private readonly db: DbClient) {}

  async start(config: TrainingConfig, name?: string): Promise<number> {
    const runId = await this.db.createRun({ name: name ?? 'run', config, datasets: [], checkpointRoot: '/nowhere', now: 0 });
    await this.db.setRunStatus(runId, 'running', 0);
    let settle!: (s: RunStatus) => void;
    this.settled.set(runId, new Promise((r) => (settle = r)));
    this.finishers.set(runId, async () => {
      await this.db.setRunStatus(runId, 'completed', 1);
      this.finishers.delete(runId);
      settle('completed');
    });
    this.started.push({ runId, seed: config.seed });
    this.maxActive = Math.max(this.maxActive, this.finishers.size);
    return runId;
  }
  isActive(runId: number): boolean {
    return this.finishers.has(runId);
  }
  whenSettled(runId: number): Promise<RunStatus> {
    return this.settled.get(runId) ?? Promise.resolve('queued');
  }
  evaluationsSettled(): Promise<void> {
    return Promise.resolve();
  }
  /**
   * Ends a run and gives the group a moment in which it could react: enough for the checks that
   * nothing happens; a check that something does happen waits for it with `until`.
   */
  async finish(runId: number): Promise<void> {
    await this.finishers.get(runId)!();
    await new Promise((r) => setTimeout(r, 20));
  }
  active(): number[] {
    return [...this.finishers.keys()];
  }
}

/** Waits for what the group does next (it reacts to a run's end asynchronously); the deadline only stops a hung test. */
async function until(cond: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (const end = Date.now() + 30_000; !(await cond()); ) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('seed groups', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function workspaceWithSource() {
    dir = mkdtempSync(join(tmpdir(), 'candela-seeds-'));
    const db = openInlineDb(join(dir, 'candela.db'), () => undefined);
    const config = trainingConfigSchema.parse({ datasetIds: [1], seed: 100 });
    const source = await db.createRun({ name: 'source', config, datasets: [], checkpointRoot: '/nowhere', now: 0 });
    await db.setRunStatus(source, 'completed', 1);
    return { db, source };
  }

  it('starts K − 1 seeds after the source, never more than `parallel` at once', async () => {
    const { db, source } = await workspaceWithSource();
    const trainer = new HeldTrainer(db);
    const seeds = new SeedGroupService(db, trainer);
    const group = await seeds.create(source, 5, 2);
    expect(group.members.map((m) => [m.seed, m.status])).toEqual([
      [100, 'completed'],
      [101, 'running'],
      [102, 'running'],
      [103, 'pending'],
      [104, 'pending'],
    ]);
    const settled = seeds.whenSettled(group.groupId);
    // Each end frees a slot for the next pending seed; once none is pending the rest only end.
    for (let started = 3; started <= 4; started++) {
      await trainer.finish(trainer.active()[0]!);
      await until(() => trainer.started.length === started, `seed ${100 + started} has started`);
    }
    while (trainer.active().length) await trainer.finish(trainer.active()[0]!);
    const done = await settled;
    expect(trainer.started.map((s) => s.seed)).toEqual([101, 102, 103, 104]);
    expect(trainer.maxActive).toBe(2);
    expect(done.settled).toBe(true);
    expect(done.members.map((m) => m.status)).toEqual(['completed', 'completed', 'completed', 'completed', 'completed']);
    // Runs without predictions (here: none were written) are listed without numbers, not refused.
    expect(done.evaluated).toBe(0);
    expect(done.sentence).toMatch(/No seed has been evaluated yet/);
    await db.close();
  });

  it('starts the seeds a group left waiting when the next process opens the workspace', async () => {
    const { db, source } = await workspaceWithSource();
    const before = new HeldTrainer(db);
    const first = new SeedGroupService(db, before);
    const group = await first.create(source, 3, 1);
    expect(before.started.map((s) => s.seed)).toEqual([101]);
    // The process ends: nothing more is started by it, even when its run ends.
    first.close();
    await before.finish(before.active()[0]!);
    expect(before.started).toHaveLength(1);
    const after = new HeldTrainer(db);
    await new SeedGroupService(db, after).init();
    const statuses = async () => (await db.seedGroupSummary(group.groupId, 2)).members.map((m) => m.status);
    await until(async () => (await statuses())[2] !== 'pending', 'the waiting seed has been started');
    expect(after.started.map((s) => s.seed)).toEqual([102]);
    expect(await statuses()).toEqual(['completed', 'completed', 'running']);
    await db.close();
  });

  it('refuses a run that has not finished or does not exist', async () => {
    const { db, source } = await workspaceWithSource();
    const seeds = new SeedGroupService(db, new HeldTrainer(db));
    await db.setRunStatus(source, 'paused', 2);
    await expect(seeds.create(source, 3, 1)).rejects.toThrow(`Run ${source} is paused; only a finished run can be repeated with seeds`);
    await expect(seeds.create(999, 3, 1)).rejects.toThrow('Run 999 does not exist.');
    await db.close();
  });
});
