import type { BrowserWindowConstructorOptions } from 'electron';
import type { SizeLimits, WindowBounds } from './windowState.js';

export const MAIN_WINDOW_SIZE: SizeLimits = { width: 1440, height: 900, minWidth: 960, minHeight: 600 };

/**
 * The main window's options, kept in one place so a test can assert the security settings:
 * an isolated, sandboxed renderer without Node, talking only through the preload.
 */
export function mainWindowOptions(preloadPath: string, bounds?: WindowBounds): BrowserWindowConstructorOptions {
  return {
    width: bounds?.width ?? MAIN_WINDOW_SIZE.width,
    height: bounds?.height ?? MAIN_WINDOW_SIZE.height,
    ...(bounds?.x !== undefined && bounds.y !== undefined ? { x: bounds.x, y: bounds.y } : {}),
    minWidth: MAIN_WINDOW_SIZE.minWidth,
    minHeight: MAIN_WINDOW_SIZE.minHeight,
    show: false,
    backgroundColor: '#0e1116',
    title: 'Candela',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
}
