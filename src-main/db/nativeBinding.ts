import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * better-sqlite3 is a native module built for one ABI. Node (CLI, server, tests) loads the build
 * npm installed; anything running inside Electron's binary (the app's main process, its DB worker
 * thread, the training utilityProcess, an ELECTRON_RUN_AS_NODE child) needs the Electron-ABI build
 * that scripts/electron-native.mjs writes. The app's main process finds that file once and hands
 * its path down in these variables, which worker threads and child processes inherit.
 */
export const SQLITE_BINDING_ENV = 'CANDELA_SQLITE_BINDING';
/**
 * The ABI (process.versions.modules) that build is for. A process is told apart by its ABI as well
 * as by process.versions.electron, so a worker thread inside Electron uses the build whatever its
 * process.versions says, and a Node process that inherited the variable ignores it.
 */
export const SQLITE_BINDING_ABI_ENV = 'CANDELA_SQLITE_BINDING_ABI';

/** Same layout as scripts/electron-native.mjs `electronBindingFile` (a test holds the two together). */
export function electronBindingFile(appRoot: string, electronVersion: string, sqliteVersion: string): string {
  return join(appRoot, 'build-electron', `electron-v${electronVersion}-better-sqlite3-v${sqliteVersion}`, 'better_sqlite3.node');
}

export class MissingElectronBindingError extends Error {
  constructor(electronVersion: string, detail: string) {
    super(
      `better-sqlite3 is not built for Electron ${electronVersion} (${detail}), so the workspace cannot be opened. ` +
        'Run `npm run native:electron` in the Candela folder (it needs network access or a C++ toolchain), then start again.',
    );
    this.name = 'MissingElectronBindingError';
  }
}

/** The installed better-sqlite3's version (the build's key beside Electron's version). */
export function betterSqlite3Version(): string {
  const require = createRequire(import.meta.url);
  const pkgJson = require.resolve('better-sqlite3/package.json');
  return (JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string }).version;
}

/**
 * The app's main process: the Electron-ABI build for this Electron and this better-sqlite3, under
 * `appRoot` (the repository in development, resources/app when packaged, which has no asar).
 * Throws with the command that makes it when it is absent.
 */
export function locateElectronBinding(appRoot: string, electronVersion: string, sqliteVersion = betterSqlite3Version()): string {
  const file = electronBindingFile(appRoot, electronVersion, sqliteVersion);
  if (!existsSync(file)) throw new MissingElectronBindingError(electronVersion, `${file} is missing`);
  return file;
}

/**
 * The `nativeBinding` option for better-sqlite3 in the runtime this code runs in: undefined under
 * Node (its own build), the Electron build's path under Electron. Fails loudly rather than letting
 * Electron load the Node build, whose only message is a NODE_MODULE_VERSION mismatch.
 */
export function sqliteBindingFor(versions: { electron?: string; modules?: string } = process.versions, env: Record<string, string | undefined> = process.env): string | undefined {
  const file = env[SQLITE_BINDING_ENV];
  const builtForThisAbi = !!file && !!versions.modules && env[SQLITE_BINDING_ABI_ENV] === versions.modules;
  if (!versions.electron && !builtForThisAbi) return undefined;
  const runtime = versions.electron ?? `ABI ${versions.modules}`;
  if (!file) throw new MissingElectronBindingError(runtime, `${SQLITE_BINDING_ENV} was not set by the app's main process`);
  if (!existsSync(file)) throw new MissingElectronBindingError(runtime, `${file} is missing`);
  return file;
}

/** What the app's main process hands down to every process that may open the workspace. */
export function sqliteBindingEnv(file: string, abi: string = process.versions.modules): Record<string, string> {
  return { [SQLITE_BINDING_ENV]: file, [SQLITE_BINDING_ABI_ENV]: abi };
}
