import { migration0001 } from './0001-initial.js';
import { migration0002 } from './0002-training-runs.js';
import { migration0003 } from './0003-evaluations.js';
import { migration0004 } from './0004-backtests.js';
import { migration0005 } from './0005-instruments.js';
import { migration0006 } from './0006-run-batches.js';
import { migration0007 } from './0007-sweeps.js';
import { migration0008 } from './0008-run-groups.js';
import { migration0009 } from './0009-candle-blocks.js';
import { migration0010 } from './0010-backtest-trade-columns.js';
import { checkMigrationOrder, type Migration } from './registry.js';

export const migrations: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004, migration0005, migration0006, migration0007, migration0008, migration0009, migration0010];
checkMigrationOrder(migrations);

export const LATEST_SCHEMA_VERSION = migrations.length;
