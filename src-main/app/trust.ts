import { pathToFileURL } from 'node:url';

/**
 * Which pages the app trusts. Only one: the renderer's index.html, by its exact file URL. Any
 * other file:// page (a downloaded .html, a file dragged onto the window) is foreign, even though
 * it shares the scheme; it gets neither navigation nor IPC.
 */

/** The renderer's URL, without hash or query: the only page the app loads. */
export function rendererUrlOf(indexHtmlPath: string): string {
  return pathToFileURL(indexHtmlPath).href;
}

/**
 * The same file, by path: Chromium and Node's pathToFileURL may percent-encode a character of the
 * install path differently (a space, a non-ASCII user name, a drive letter's case), so compare the
 * decoded paths, case-insensitively where the file system is (Windows).
 */
function canonicalFile(url: URL, platform: NodeJS.Platform): string | null {
  if (url.protocol !== 'file:' || url.search !== '') return null;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  return `${url.host}${platform === 'win32' ? path.toLowerCase() : path}`;
}

/** The app's own page, allowing only the in-page routes the renderer keeps in the hash. */
export function isRendererUrl(url: string, rendererUrl: string, platform: NodeJS.Platform = process.platform): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const page = canonicalFile(parsed, platform);
  return page !== null && page === canonicalFile(new URL(rendererUrl), platform);
}

export const isExternalHttpUrl = (url: string): boolean => /^https?:\/\//i.test(url);

/** IPC is answered only for the app's own top-level page (Electron security checklist item 17). */
export function isTrustedSender(frameUrl: string | undefined, isMainFrame: boolean, rendererUrl: string): boolean {
  return isMainFrame && !!frameUrl && isRendererUrl(frameUrl, rendererUrl);
}
