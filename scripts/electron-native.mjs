// Builds better-sqlite3 for Electron's ABI into build-electron/, leaving the Node build in
// node_modules for the CLI, the server and the tests. The app, its DB worker and its training
// process load that build (src-main/db/nativeBinding.ts); electron-builder ships it as a plain file.
//
//   node scripts/electron-native.mjs             postinstall: build when Electron's binary is
//                                                installed; on failure say so loudly, exit 0
//   node scripts/electron-native.mjs --require   `npm run dist` / `npm run native:electron`:
//                                                build whatever is missing, exit 1 when it cannot
//   CANDELA_REBUILD_NATIVE=1                     rebuild even when the build is already there
//
// The tools run as `node <absolute path to their bin script>`: no npx (which looks for packages
// from the working directory and cannot find them from a temporary folder) and no shell, so the
// same call works on Windows, macOS and Linux.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Where the build for one Electron version and one better-sqlite3 version lives. Keyed by both so
 * an upgrade of either is a different file, never a stale one loaded with the wrong ABI.
 * src-main/db/nativeBinding.ts computes the same path (a test holds the two together).
 */
export function electronBindingFile(appRoot, electronVersion, sqliteVersion) {
  return join(appRoot, 'build-electron', `electron-v${electronVersion}-better-sqlite3-v${sqliteVersion}`, 'better_sqlite3.node');
}

/** The installed better-sqlite3: its folder and version. */
export function betterSqlite3Package() {
  const pkgJson = require.resolve('better-sqlite3/package.json');
  return { dir: dirname(pkgJson), version: JSON.parse(readFileSync(pkgJson, 'utf8')).version };
}

/** The bin scripts of the two build tools, resolved the way better-sqlite3's own install resolves them. */
export function buildTools(packageDir = betterSqlite3Package().dir) {
  const prebuildInstall = require.resolve('prebuild-install/bin.js', { paths: [packageDir] });
  let nodeGyp;
  try {
    nodeGyp = require.resolve('node-gyp/bin/node-gyp.js', { paths: [packageDir, root] });
  } catch {
    // npm ships a node-gyp of its own and names it to lifecycle scripts.
    nodeGyp = process.env.npm_config_node_gyp;
    if (!nodeGyp || !existsSync(nodeGyp)) throw new Error('node-gyp is not installed (it is a devDependency: run `npm install`).');
  }
  return { prebuildInstall, nodeGyp };
}

/**
 * Builds better-sqlite3 for one runtime ('electron' or 'node') and version into `outFile`, in a
 * copy of the package so the installed build is never touched. A prebuilt binary is tried first
 * (prebuild-install: download, npm's _prebuilds cache, or `localPrebuilds`), then a build from
 * source (node-gyp against that runtime's headers). Throws with both tools' reasons when neither works.
 *
 * @param {{ runtime: 'electron' | 'node', target: string, outFile: string, localPrebuilds?: string,
 *   fromSource?: boolean, nodedir?: string, stdio?: 'inherit' | 'pipe' }} o
 * @returns {'prebuilt' | 'source'} how the binary was obtained
 */
export function buildBetterSqlite3(o) {
  const { dir: packageDir } = betterSqlite3Package();
  const tools = buildTools(packageDir);
  const work = mkdtempSync(join(tmpdir(), 'candela-native-'));
  const cwd = join(work, 'better-sqlite3');
  const stdio = o.stdio ?? 'inherit';
  // The installed build/ (hundreds of MB of objects when it was compiled here) is neither needed nor wanted.
  cpSync(packageDir, cwd, { recursive: true, filter: (p) => relative(packageDir, p).split(sep)[0] !== 'build' });
  const run = (script, args) => execFileSync(process.execPath, [script, ...args], { cwd, stdio, env: { ...process.env, npm_config_runtime: o.runtime, npm_config_target: o.target } });
  const reasons = [];
  let how = null;
  try {
    if (!o.fromSource) {
      try {
        run(tools.prebuildInstall, ['--runtime', o.runtime, '--target', o.target, ...(o.localPrebuilds ? ['--local-prebuilds', o.localPrebuilds] : [])]);
        how = 'prebuilt';
      } catch (e) {
        reasons.push(`prebuild-install: ${firstLine(e)}`);
      }
    }
    if (!how) {
      const gypArgs = ['rebuild', '--release', `--target=${o.target}`, '--jobs=max'];
      if (o.runtime === 'electron') {
        // Electron's headers, kept apart from Node's (Electron's "Using native Node modules" guide).
        gypArgs.push('--dist-url=https://electronjs.org/headers', `--devdir=${join(homedir(), '.electron-gyp')}`);
      } else if (o.nodedir) {
        gypArgs.push(`--nodedir=${o.nodedir}`);
      }
      try {
        run(tools.nodeGyp, gypArgs);
        how = 'source';
      } catch (e) {
        reasons.push(`node-gyp: ${firstLine(e)}`);
      }
    }
    const built = join(cwd, 'build', 'Release', 'better_sqlite3.node');
    if (!how || !existsSync(built)) {
      throw new Error(`better-sqlite3 could not be built for ${o.runtime} ${o.target}: ${reasons.join('; ') || 'no binary was produced'}`);
    }
    mkdirSync(dirname(o.outFile), { recursive: true });
    copyFileSync(built, o.outFile);
    return how;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function firstLine(e) {
  const status = typeof e?.status === 'number' ? ` (exit ${e.status})` : '';
  return `${String(e?.message ?? e).split('\n')[0]}${status}`;
}

/** Electron's version from its package; the binary itself is not needed to build for it. */
function installedElectron() {
  try {
    const pkgJson = require.resolve('electron/package.json');
    const version = JSON.parse(readFileSync(pkgJson, 'utf8')).version;
    const pathTxt = join(dirname(pkgJson), 'path.txt');
    const hasBinary = existsSync(pathTxt) && existsSync(join(dirname(pkgJson), 'dist', readFileSync(pathTxt, 'utf8').trim()));
    return { version, hasBinary };
  } catch {
    return null;
  }
}

function main() {
  const required = process.argv.includes('--require');
  const say = (m) => console.error(`candela native: ${m}`);
  const electron = installedElectron();
  if (!electron) {
    if (required) {
      say('the electron package is not installed; run `npm install` first.');
      process.exit(1);
    }
    say('the electron package is not installed; skipping the Electron build of better-sqlite3.');
    return;
  }
  if (!required && !electron.hasBinary) {
    say('Electron\'s binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD or offline); skipping the Electron build of better-sqlite3. `npm run serve` and the CLI work without it.');
    return;
  }
  const sqlite = betterSqlite3Package();
  const outFile = electronBindingFile(root, electron.version, sqlite.version);
  if (existsSync(outFile) && process.env.CANDELA_REBUILD_NATIVE !== '1') {
    say(`better-sqlite3 ${sqlite.version} for Electron ${electron.version} is already built.`);
    return;
  }
  try {
    const how = buildBetterSqlite3({ runtime: 'electron', target: electron.version, outFile });
    // Builds for other versions are dead weight in the package.
    const keep = basename(dirname(outFile));
    for (const entry of readdirSync(join(root, 'build-electron'))) if (entry !== keep) rmSync(join(root, 'build-electron', entry), { recursive: true, force: true });
    say(`better-sqlite3 ${sqlite.version} for Electron ${electron.version} (${how}) → ${relative(root, outFile)}`);
  } catch (e) {
    const message = [
      '',
      '────────────────────────────────────────────────────────────────────────────────',
      `Candela: ${e.message}`,
      'The desktop app cannot open its workspace without this build. Fix the cause above (network',
      'access to GitHub for a prebuilt binary, or a C++ toolchain and Python for node-gyp), then run',
      '`npm run native:electron`. The CLI and `npm run serve` are unaffected.',
      '────────────────────────────────────────────────────────────────────────────────',
      '',
    ].join('\n');
    console.error(message);
    // An install is still useful without the desktop window; a package is not.
    process.exit(required ? 1 : 0);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
