/** Prints one JSON document on stdout (the only thing a --json command prints there). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A failure the user can act on: one sentence on stderr, exit status 1. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export { formatBytes } from '../../src-shared/domain/formatBytes.js';

/** Renders rows as an aligned plain-text table for terminals. */
export function formatTable(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  return cells.map((r) => r.map((v, c) => (v ?? '').padEnd(widths[c]!)).join('  ').trimEnd()).join('\n');
}
