export { formatBytes } from '../src-shared/domain/formatBytes.js';

export const formatUtc = (ms: number | null): string => (ms === null ? '—' : new Date(ms).toISOString().slice(0, 19).replace('T', ' ').replace(/:00$/, ''));

export const formatInt = (n: number): string => n.toLocaleString('en-US');

export const formatPct = (n: number, digits = 0): string => `${n.toFixed(digits)} %`;
