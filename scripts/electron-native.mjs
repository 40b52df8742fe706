// postinstall: when Electron is installed, build better-sqlite3 for Electron's ABI into
// build-electron/ (the app loads it through better-sqlite3's nativeBinding option), leaving the
// Node build in node_modules for the CLI, the server and the tests. Never fails the install.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const say = (m) => console.log(`candela postinstall: ${m}`);

try {
  let electronVersion;
  try {
    electronVersion = require('electron/package.json').version;
    if (!existsSync(require('electron'))) throw new Error('binary missing');
  } catch {
    say('Electron is not installed; skipping the Electron build of better-sqlite3 (the CLI and `npm run serve` work without it).');
    process.exit(0);
  }
  const out = join(process.cwd(), 'build-electron', 'better_sqlite3.node');
  if (existsSync(out) && process.env.CANDELA_REBUILD_NATIVE !== '1') process.exit(0);
  // Rebuild a copy so the Node build in node_modules stays untouched.
  const work = mkdtempSync(join(tmpdir(), 'candela-native-'));
  const src = join(process.cwd(), 'node_modules', 'better-sqlite3');
  cpSync(src, join(work, 'better-sqlite3'), { recursive: true });
  const cwd = join(work, 'better-sqlite3');
  rmSync(join(cwd, 'build'), { recursive: true, force: true });
  const env = { ...process.env, npm_config_runtime: 'electron', npm_config_target: electronVersion, npm_config_disturl: 'https://electronjs.org/headers' };
  try {
    execFileSync('npx', ['--no-install', 'prebuild-install', '--runtime', 'electron', '--target', electronVersion], { cwd, env, stdio: 'inherit' });
  } catch {
    execFileSync('npx', ['--no-install', 'node-gyp', 'rebuild', '--release', `--target=${electronVersion}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'], { cwd, env, stdio: 'inherit' });
  }
  mkdirSync(join(process.cwd(), 'build-electron'), { recursive: true });
  copyFileSync(join(cwd, 'build', 'Release', 'better_sqlite3.node'), out);
  rmSync(work, { recursive: true, force: true });
  say(`built better-sqlite3 for Electron ${electronVersion} → build-electron/better_sqlite3.node`);
} catch (e) {
  say(`could not build better-sqlite3 for Electron (${e.message.split('\n')[0]}); the desktop app will not open its workspace until \`CANDELA_REBUILD_NATIVE=1 npm run postinstall\` succeeds. The CLI and server are unaffected.`);
}
process.exit(0);
