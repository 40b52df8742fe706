import { createRequire } from 'node:module';
import type { SystemInfo } from '../../src-shared/contract/system.js';

const require = createRequire(import.meta.url);

function packageVersion(name: string): string | null {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return null;
  }
}

/** Candela's own version, read from its package.json (bundled builds inject it at build time). */
export const CANDELA_VERSION: string = process.env.CANDELA_VERSION_OVERRIDE ?? (typeof __CANDELA_VERSION__ === 'string' ? __CANDELA_VERSION__ : (packageVersion('../../package.json') ?? '0.0.0'));

declare const __CANDELA_VERSION__: string | undefined;

export function collectVersions(sqliteVersion: string): SystemInfo['versions'] {
  return {
    candela: CANDELA_VERSION,
    node: process.versions.node,
    electron: process.versions.electron ?? null,
    chrome: process.versions.chrome ?? null,
    sqlite: sqliteVersion,
    tfjs: packageVersion('@tensorflow/tfjs'),
    platform: `${process.platform} ${process.arch}`,
  };
}
