// Types for the tests that import scripts/electron-native.mjs (a plain Node script, run before any build).
export function electronBindingFile(appRoot: string, electronVersion: string, sqliteVersion: string): string;
export function betterSqlite3Package(): { dir: string; version: string };
export function buildTools(packageDir?: string): { prebuildInstall: string; nodeGyp: string };
export function buildBetterSqlite3(o: {
  runtime: 'electron' | 'node';
  target: string;
  outFile: string;
  localPrebuilds?: string;
  fromSource?: boolean;
  nodedir?: string;
  stdio?: 'inherit' | 'pipe';
}): 'prebuilt' | 'source';
