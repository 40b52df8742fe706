import { app, BrowserWindow, dialog, ipcMain, Menu, session, shell } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { IPC_EVENT, IPC_INVOKE } from '../../src-shared/contract/bridge.js';
import { fail } from '../../src-shared/contract/result.js';
import { buildHandlers, createDispatcher } from '../ipc/dispatch.js';
import { createServices, type Services } from '../services/createServices.js';
import { probeBackendInChild } from '../system/backendProbe.js';
import { APP_NAME, resolveWorkspaceDir } from '../workspace/location.js';
import { hardenWebContents, isExternalHttpUrl, isTrustedSender } from './security.js';
import { mainWindowOptions } from './windowOptions.js';
import { utilityTrainingProcess } from './utilityTrainingProcess.js';
import { buildMenu } from './menu.js';

// Bundled next to this file: dist/main/{electron-main.cjs, preload.cjs, cli.mjs, db-worker.mjs}.
const here = __dirname;
const rendererIndex = join(here, '../renderer/index.html');

/**
 * better-sqlite3 must be built for Electron's ABI here while Node loads its own build; the
 * postinstall step puts the Electron build in build-electron/ (shipped as a plain file; the app is packaged without asar).
 */
function electronSqliteBinding(): string | undefined {
  const candidates = [
    join(here, '../../build-electron/better_sqlite3.node'),
    join(process.resourcesPath ?? '', 'app/build-electron/better_sqlite3.node'),
  ];
  return candidates.find((p) => existsSync(p));
}

function workspaceFlag(): string | undefined {
  const i = process.argv.indexOf('--workspace');
  return i >= 0 ? process.argv[i + 1] : undefined;
}

app.setName(APP_NAME);
hardenWebContents(app);

let services: Services | null = null;

async function openMainWindow(svc: Services) {
  const win = new BrowserWindow(mainWindowOptions(join(here, 'preload.cjs')));
  win.once('ready-to-show', () => win.show());
  const unsubscribe = svc.events.subscribe((name, payload) => {
    if (!win.isDestroyed()) win.webContents.send(IPC_EVENT, name, payload);
  });
  win.on('closed', unsubscribe);
  await win.loadFile(rendererIndex);
  return win;
}

async function main() {
  await app.whenReady();
  // Defence in depth beside the CSP meta tag: the same policy as a response header.
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [
          "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
        ],
      },
    });
  });
  services = await createServices({
    workspaceDir: resolveWorkspaceDir(workspaceFlag()),
    shell: 'electron',
    dbMode: 'worker',
    dbWorkerScript: join(here, 'db-worker.mjs'),
    nativeBinding: electronSqliteBinding(),
    probeBackend: () => probeBackendInChild(join(here, 'cli.mjs')),
    trainingWorkerScript: join(here, 'training-worker.mjs'),
    spawnTrainingProcess: utilityTrainingProcess,
  });
  const dispatch = createDispatcher(
    buildHandlers({
      openExternal: async (url) => {
        if (!isExternalHttpUrl(url)) throw new Error('Only http(s) links open outside.');
        await shell.openExternal(url);
      },
    }),
    { services, transport: 'electron' },
  );
  ipcMain.handle(IPC_INVOKE, async (event, channel: unknown, payload: unknown) => {
    const frame = event.senderFrame;
    if (!isTrustedSender(frame?.url, frame === event.sender.mainFrame)) return fail('BAD_REQUEST', 'Requests are accepted only from the Candela window.');
    return dispatch(channel, payload);
  });
  Menu.setApplicationMenu(buildMenu());
  await openMainWindow(services);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0 && services) void openMainWindow(services);
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
app.on('will-quit', () => void services?.close());

main().catch((e: unknown) => {
  console.error(e);
  dialog.showErrorBox('Candela could not start', e instanceof Error ? e.message : String(e));
  app.exit(1);
});
