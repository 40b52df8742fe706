import { app, BrowserWindow, dialog, ipcMain, Menu, screen, session, shell, type OpenDialogSyncOptions } from 'electron';
import { join } from 'node:path';
import { IPC_EVENT, IPC_INVOKE } from '../../src-shared/contract/bridge.js';
import { fail } from '../../src-shared/contract/result.js';
import { locateElectronBinding, sqliteBindingEnv } from '../db/nativeBinding.js';
import { buildHandlers, createDispatcher } from '../ipc/dispatch.js';
import { createServices, type Services } from '../services/createServices.js';
import { probeBackendInChild } from '../system/backendProbeChild.js';
import { APP_NAME, resolveWorkspaceDir } from '../workspace/location.js';
import { buildMenu } from './menu.js';
import { createExportFolderMemory, modelExportFile } from './modelExportDownloads.js';
import { printReportWithElectron } from './reportPdf.js';
import { hardenWebContents } from './security.js';
import { settleWithin } from './shutdown.js';
import { isExternalHttpUrl, isTrustedSender, rendererUrlOf } from './trust.js';
import { utilityTrainingProcess } from './utilityTrainingProcess.js';
import { MAIN_WINDOW_SIZE, mainWindowOptions } from './windowOptions.js';
import { fitWindowState, readWindowState, writeWindowState } from './windowState.js';

// Bundled next to this file: dist/main/{electron-main.cjs, preload.cjs, cli.mjs, db-worker.mjs,
// training-worker.mjs}. Packaged without asar, dist/ and build-electron/ sit side by side under
// resources/app exactly as they do in the repository.
const here = __dirname;
const appRoot = join(here, '../..');
const rendererUrl = rendererUrlOf(join(here, '../renderer/index.html'));
/** How long quitting waits for run statuses, evaluations and the DB worker to close. */
const QUIT_LIMIT_MS = 15_000;

function flagValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  if (i >= 0) return process.argv[i + 1];
  return process.argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

app.setName(APP_NAME);
// Tests (and a second, separate profile) keep their own window state and single-instance lock.
const userDataDir = flagValue('--user-data-dir');
if (userDataDir) app.setPath('userData', userDataDir);

let services: Services | null = null;
let mainWindow: BrowserWindow | null = null;
let quitState: 'running' | 'closing' | 'closed' = 'running';

function windowStateFile(): string {
  return join(app.getPath('userData'), 'window-state.json');
}

async function openMainWindow(svc: Services): Promise<BrowserWindow> {
  const bounds = fitWindowState(
    readWindowState(windowStateFile()),
    screen.getAllDisplays().map((d) => d.workArea),
    MAIN_WINDOW_SIZE,
  );
  const win = new BrowserWindow(mainWindowOptions(join(here, 'preload.cjs'), bounds));
  mainWindow = win;
  win.once('ready-to-show', () => {
    if (bounds.maximized) win.maximize();
    win.show();
  });
  win.on('close', () => {
    try {
      writeWindowState(windowStateFile(), { ...win.getNormalBounds(), maximized: win.isMaximized() });
    } catch (e) {
      console.error(`Candela: could not keep the window's size and position: ${(e as Error).message}`);
    }
  });
  const unsubscribe = svc.events.subscribe((name, payload) => {
    if (!win.isDestroyed()) win.webContents.send(IPC_EVENT, name, payload);
  });
  win.on('closed', () => {
    unsubscribe();
    if (mainWindow === win) mainWindow = null;
  });
  await win.loadURL(rendererUrl);
  return win;
}

/** One folder dialog per model export; see modelExportDownloads.ts. */
function placeModelExports(): void {
  const folders = createExportFolderMemory();
  session.defaultSession.on('will-download', (event, item, contents) => {
    const target = modelExportFile(item.getFilename());
    if (!target) return;
    const folder = folders.folderFor(target.runId, target.file, () => {
      const options: OpenDialogSyncOptions = {
        title: `Export the model of run ${target.runId}`,
        message: 'Choose a folder for model.json, weights.bin and preprocessing.json',
        buttonLabel: 'Export here',
        properties: ['openDirectory', 'createDirectory', 'promptToCreate'],
      };
      // Synchronous because the save path must be set before this handler returns.
      const owner = BrowserWindow.fromWebContents(contents);
      const picked = owner ? dialog.showOpenDialogSync(owner, options) : dialog.showOpenDialogSync(options);
      return picked?.[0] ?? null;
    });
    if (!folder) return event.preventDefault();
    item.setSavePath(join(folder, target.file));
  });
}

async function main(): Promise<void> {
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
  placeModelExports();
  // Every process that opens the workspace under Electron's ABI (the DB worker thread, the training
  // utilityProcess, the probe child) inherits this; resolving it first fails with the fix, not an ABI error.
  Object.assign(process.env, sqliteBindingEnv(locateElectronBinding(appRoot, process.versions.electron)));
  services = await createServices({
    workspaceDir: resolveWorkspaceDir(flagValue('--workspace')),
    shell: 'electron',
    dbMode: 'worker',
    dbWorkerScript: join(here, 'db-worker.mjs'),
    probeBackend: () => probeBackendInChild(join(here, 'cli.mjs')),
    trainingWorkerScript: join(here, 'training-worker.mjs'),
    spawnTrainingProcess: utilityTrainingProcess,
    printReportPdf: printReportWithElectron,
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
    if (!isTrustedSender(frame?.url, frame === event.sender.mainFrame, rendererUrl)) return fail('BAD_REQUEST', 'Requests are accepted only from the Candela window.');
    return dispatch(channel, payload);
  });
  Menu.setApplicationMenu(buildMenu());
  await openMainWindow(services);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0 && services) void openMainWindow(services);
  });
}

// One instance per profile: a second one would open the same workspace beside this one, so it
// hands over to this instance's window and exits.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  hardenWebContents(app, rendererUrl);

  app.on('second-instance', () => {
    const win = mainWindow;
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // Quitting waits for the services (interrupted runs marked, evaluations stored, the DB worker
  // closed) up to a limit, then exits; the first will-quit is held, the exit skips the second.
  app.on('will-quit', (event) => {
    if (quitState === 'closed' || !services) return;
    event.preventDefault();
    if (quitState === 'closing') return;
    quitState = 'closing';
    void settleWithin(services.close(), QUIT_LIMIT_MS).then((outcome) => {
      if (outcome.kind === 'failed') console.error(`Candela: closing the workspace failed: ${outcome.error.message}`);
      if (outcome.kind === 'timed-out') console.error(`Candela: the workspace did not close within ${outcome.afterMs / 1000} s; quitting anyway.`);
      quitState = 'closed';
      app.exit(outcome.kind === 'closed' ? 0 : 1);
    });
  });

  main().catch((e: unknown) => {
    console.error(e);
    dialog.showErrorBox('Candela could not start', e instanceof Error ? e.message : String(e));
    app.exit(1);
  });
}
