import { migration0001 } from './0001-initial.js';
import { checkMigrationOrder, type Migration } from './registry.js';

export const migrations: readonly Migration[] = [migration0001];
checkMigrationOrder(migrations);

export const LATEST_SCHEMA_VERSION = migrations.length;
