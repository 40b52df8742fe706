import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const APP_NAME = 'Candela';
export const DB_FILE_NAME = 'candela.db';

/**
 * The platform's per-user data folder, computed the way Electron's `app.getPath('userData')`
 * does for an app named "Candela", so the desktop app and the CLI share one default workspace
 * without the CLI having to load Electron.
 */
export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME);
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), APP_NAME);
}

/** `--workspace DIR` beats `CANDELA_WORKSPACE`, which beats the per-user default. */
export function resolveWorkspaceDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return resolve(flag);
  if (env.CANDELA_WORKSPACE) return resolve(env.CANDELA_WORKSPACE);
  return join(userDataDir(env), 'workspace');
}

export const workspaceDbPath = (dir: string): string => join(dir, DB_FILE_NAME);
