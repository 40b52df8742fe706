import type { Database } from 'better-sqlite3';

export interface Migration {
  /** Strictly increasing; recorded in PRAGMA user_version once applied. */
  readonly version: number;
  readonly name: string;
  up(db: Database): void;
  /** Compact the file once it is applied (a migration that moved most of the data to new tables). */
  readonly vacuumAfter?: boolean;
}

/** Refuses a registry whose versions are not 1, 2, 3 … in order, so a merge mistake fails loudly. */
export function checkMigrationOrder(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`Migration ${m.name} has version ${m.version}; expected ${i + 1} (versions must increase by one).`);
    }
  });
}
