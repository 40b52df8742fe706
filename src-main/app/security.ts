import { shell, type App, type WebContents } from 'electron';

/** The renderer is loaded from files inside the app; any other origin is foreign. */
export const isAppUrl = (url: string): boolean => url.startsWith('file://');

export const isExternalHttpUrl = (url: string): boolean => /^https?:\/\//i.test(url);

/**
 * Locks every web contents the app creates: no navigation away from the app, no new windows,
 * http(s) links go to the system browser, no permission prompts, no <webview>.
 */
export function hardenWebContents(app: App): void {
  app.on('web-contents-created', (_e, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
      if (isExternalHttpUrl(url)) void shell.openExternal(url);
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (isExternalHttpUrl(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
    contents.session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  });
}

/** IPC is answered only for the app's own top-level page (Electron security checklist item 17). */
export function isTrustedSender(frameUrl: string | undefined, isMainFrame: boolean): boolean {
  return isMainFrame && !!frameUrl && isAppUrl(frameUrl);
}
