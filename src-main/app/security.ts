import { shell, type App, type WebContents } from 'electron';
import { isExternalHttpUrl, isRendererUrl } from './trust.js';

/**
 * Locks every web contents the app creates: no navigation away from the renderer's own page, no
 * new windows, http(s) links go to the system browser, no permission prompts, no <webview>.
 */
export function hardenWebContents(app: App, rendererUrl: string): void {
  app.on('web-contents-created', (_e, contents: WebContents) => {
    contents.on('will-navigate', (event) => {
      if (!isRendererUrl(event.url, rendererUrl)) event.preventDefault();
      if (isExternalHttpUrl(event.url)) void shell.openExternal(event.url);
    });
    contents.on('will-redirect', (event) => {
      if (!isRendererUrl(event.url, rendererUrl)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (isExternalHttpUrl(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
    contents.session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  });
}
