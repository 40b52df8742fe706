/** Display formatting shared by pages. All timestamps are shown in UTC, as they are stored. */
export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

export const formatUtc = (ms: number | null): string => (ms === null ? '—' : new Date(ms).toISOString().replace('T', ' ').replace(/:00\.000Z$|\.000Z$/, '').replace('Z', ''));

export const formatInt = (n: number): string => n.toLocaleString('en-US');

export const formatPct = (n: number, digits = 0): string => `${n.toFixed(digits)} %`;
