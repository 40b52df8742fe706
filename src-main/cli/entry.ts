import { readFileSync } from 'node:fs';

import { runCli } from './main.js';

// Long-running commands (serve) keep the process alive themselves; the status applies when it ends.
process.exitCode = await runCli(process.argv.slice(2));

// Benchmarks read the peak memory of a whole CLI run from here.
if (process.env.CANDELA_REPORT_RSS === '1') {
  process.on('exit', () => process.stderr.write(`candela-max-rss-bytes ${peakRssBytes()}\n`));
}

/**
 * This process's peak resident memory: on Linux VmHWM, which starts afresh at exec, where
 * getrusage's maxRSS (elsewhere the only figure) keeps the RSS of the parent at fork, so a child
 * of a benchmark that had grown to 240 MB reported at least that.
 */
function peakRssBytes(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) * 1024;
  } catch {
    // Not Linux.
  }
  return process.resourceUsage().maxRSS * 1024;
}
