import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveWorkspaceDir, userDataDir } from './location.js';

describe('workspace location', () => {
  it('prefers --workspace, then CANDELA_WORKSPACE, then the per-user folder', () => {
    expect(resolveWorkspaceDir('rel/ws', { CANDELA_WORKSPACE: '/env/ws' })).toBe(resolve('rel/ws'));
    expect(resolveWorkspaceDir(undefined, { CANDELA_WORKSPACE: '/env/ws' })).toBe('/env/ws');
    expect(resolveWorkspaceDir(undefined, { XDG_CONFIG_HOME: '/cfg' })).toBe(process.platform === 'linux' ? '/cfg/Candela/workspace' : join(userDataDir({}), 'workspace'));
  });

  it('matches Electron userData locations per platform', () => {
    expect(userDataDir({ XDG_CONFIG_HOME: '/x' }, 'linux')).toBe('/x/Candela');
    expect(userDataDir({ APPDATA: 'C:/Users/a/AppData/Roaming' }, 'win32')).toBe(join('C:/Users/a/AppData/Roaming', 'Candela'));
    expect(userDataDir({}, 'darwin')).toMatch(/Library\/Application Support\/Candela$/);
  });
});
