// `npm start`: build, then open the desktop window; without the Electron binary, say so briefly.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';

const require = createRequire(import.meta.url);
let electronPath = null;
try {
  electronPath = require('electron');
} catch {
  electronPath = null;
}
if (!electronPath || !existsSync(electronPath)) {
  console.error(
    'Candela: the Electron binary is not installed (its download fails offline or was skipped), so the desktop window cannot open.\n' +
      'Use the browser build instead: `npm run serve`, then open the printed URL. To get it, run `node node_modules/electron/install.js` with network access (and ELECTRON_SKIP_BINARY_DOWNLOAD unset).',
  );
  process.exit(1);
}
const built = spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);
// The app cannot open its workspace without better-sqlite3 built for Electron; this returns at once
// when the build is there, and otherwise builds it or says why it cannot.
const native = spawnSync(process.execPath, ['scripts/electron-native.mjs', '--require'], { stdio: 'inherit' });
if (native.status !== 0) process.exit(native.status ?? 1);
const child = spawn(electronPath, ['dist/main/electron-main.cjs', ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
