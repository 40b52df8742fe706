import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import * as script from '../../scripts/electron-native.mjs';
import { requirePrerequisite } from '../../test-support/vitest.js';
import { electronBindingFile, locateElectronBinding, MissingElectronBindingError, SQLITE_BINDING_ENV, sqliteBindingEnv, sqliteBindingFor } from './nativeBinding.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const betterSqlite3Main = createRequire(import.meta.url).resolve('better-sqlite3');
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'candela-native-test-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('the binding for the runtime', () => {
  it('is better-sqlite3 own build under Node', () => {
    expect(sqliteBindingFor({}, { [SQLITE_BINDING_ENV]: '/ignored/under/node' })).toBeUndefined();
  });

  it("is the Electron build in a thread or child of Electron's ABI, whatever its process.versions says", () => {
    const file = join(tempDir(), 'better_sqlite3.node');
    writeFileSync(file, '');
    expect(sqliteBindingFor({ modules: '139' }, sqliteBindingEnv(file, '139'))).toBe(file);
    // A Node process that inherited the variables has another ABI and keeps its own build.
    expect(sqliteBindingFor({ modules: '115' }, sqliteBindingEnv(file, '139'))).toBeUndefined();
  });

  it('is the Electron build under Electron, and refuses to fall back to the Node build', () => {
    const file = join(tempDir(), 'better_sqlite3.node');
    writeFileSync(file, '');
    expect(sqliteBindingFor({ electron: '38.8.6' }, { [SQLITE_BINDING_ENV]: file })).toBe(file);
    expect(() => sqliteBindingFor({ electron: '38.8.6' }, {})).toThrow(MissingElectronBindingError);
    expect(() => sqliteBindingFor({ electron: '38.8.6' }, {})).toThrow(/npm run native:electron/);
    expect(() => sqliteBindingFor({ electron: '38.8.6' }, { [SQLITE_BINDING_ENV]: join(dirname(file), 'gone.node') })).toThrow(/gone\.node is missing/);
  });

  it('is looked for where the build script writes it, keyed by both versions', () => {
    const appRoot = tempDir();
    expect(electronBindingFile(appRoot, '38.8.6', '12.11.1')).toBe(script.electronBindingFile(appRoot, '38.8.6', '12.11.1'));
    expect(() => locateElectronBinding(appRoot, '38.8.6', '12.11.1')).toThrow(/not built for Electron 38\.8\.6/);
    const file = electronBindingFile(appRoot, '38.8.6', '12.11.1');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, '');
    expect(locateElectronBinding(appRoot, '38.8.6', '12.11.1')).toBe(file);
    expect(() => locateElectronBinding(appRoot, '38.8.7', '12.11.1')).toThrow(MissingElectronBindingError);
  });
});

describe('one door to the workspace database', () => {
  // Tests may open raw databases to inspect bytes a workspace must (not) have; the app may not.
  it('no source file outside db/connection.ts calls new Database(', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, entry.name);
        if (entry.isDirectory()) walk(p);
        else if (/\.(ts|tsx|mts|cts|js|mjs)$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) && /new\s+(Database|BetterSqlite3|Sqlite)\s*\(/.test(readFileSync(p, 'utf8'))) {
          offenders.push(relative(root, p).replaceAll('\\', '/'));
        }
      }
    };
    walk(join(root, 'src-main'));
    expect(offenders).toEqual(['src-main/db/connection.ts']);
  });
});

/**
 * scripts/electron-native.mjs builds for Electron exactly as it builds here for Node: the tools by
 * absolute path under this Node, no npx, no shell. A prebuilt binary is what users almost always
 * get; this machine cannot download one, so the test hands prebuild-install a local prebuild
 * packed from the installed Node build, the way a mirror or npm's _prebuilds cache would.
 */
describe('scripts/electron-native.mjs', () => {
  const sqlite = script.betterSqlite3Package();
  const installed = join(sqlite.dir, 'build', 'Release', 'better_sqlite3.node');

  it('resolves its tools to files, not to commands on PATH', () => {
    const tools = script.buildTools();
    expect(existsSync(tools.prebuildInstall)).toBe(true);
    expect(existsSync(tools.nodeGyp)).toBe(true);
  });

  it("builds better-sqlite3 for Node's ABI through prebuild-install, and the result opens a database", async () => {
    const prebuilds = tempDir();
    const libc = process.platform === 'linux' && !(process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime ? 'musl' : '';
    const tarball = join(prebuilds, `better-sqlite3-v${sqlite.version}-node-v${process.versions.modules}-${process.platform}${libc}-${process.arch}.tar.gz`);
    const tarFs = createRequire(script.buildTools().prebuildInstall)('tar-fs') as { pack(cwd: string, o: { entries: string[] }): NodeJS.ReadableStream };
    await pipeline(tarFs.pack(sqlite.dir, { entries: ['build/Release/better_sqlite3.node'] }), createGzip(), createWriteStream(tarball));

    const outFile = join(tempDir(), 'node-abi', 'better_sqlite3.node');
    const how = script.buildBetterSqlite3({ runtime: 'node', target: process.versions.node, outFile, localPrebuilds: prebuilds, stdio: 'pipe' });
    expect(how).toBe('prebuilt');
    expect(statSync(outFile).size).toBe(statSync(installed).size);
    // In a fresh process, so this worker never holds two copies of the addon.
    const probe = `const D = require(${JSON.stringify(betterSqlite3Main)}); const db = new D(':memory:', { nativeBinding: ${JSON.stringify(outFile)} }); console.log(db.prepare('select sqlite_version() v').get().v);`;
    expect(execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' }).trim()).toMatch(/^3\.\d+\.\d+$/);
  });

  // Compiling SQLite takes minutes on two cores, so only where asked (the GitHub workflow asks);
  // opt-in, so it skips under CI=true too, saying how to ask.
  const sourceBuild = {
    what: 'CANDELA_TEST_NATIVE_SOURCE_BUILD=1',
    met: process.env.CANDELA_TEST_NATIVE_SOURCE_BUILD === '1',
    why: 'opt-in, compiling SQLite from source takes about 100 s (the GitHub workflow sets it)',
    optional: true,
  };
  if (requirePrerequisite(sourceBuild)) it(
    "builds better-sqlite3 for Node's ABI from source with node-gyp",
    () => {
      const outFile = join(tempDir(), 'source', 'better_sqlite3.node');
      const headers = join(dirname(process.execPath), '..', 'include', 'node', 'common.gypi');
      const how = script.buildBetterSqlite3({ runtime: 'node', target: process.versions.node, outFile, fromSource: true, nodedir: existsSync(headers) ? dirname(dirname(dirname(headers))) : undefined, stdio: 'pipe' });
      expect(how).toBe('source');
      const probe = `const D = require(${JSON.stringify(betterSqlite3Main)}); new D(':memory:', { nativeBinding: ${JSON.stringify(outFile)} }).close(); console.log('ok');`;
      expect(execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' }).trim()).toBe('ok');
    },
    900_000,
  );
});
