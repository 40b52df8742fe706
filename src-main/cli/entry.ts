import { runCli } from './main.js';

// Long-running commands (serve) keep the process alive themselves; the status applies when it ends.
process.exitCode = await runCli(process.argv.slice(2));

// Benchmarks read the peak memory of a whole CLI run from here.
if (process.env.CANDELA_REPORT_RSS === '1') {
  process.on('exit', () => process.stderr.write(`candela-max-rss-bytes ${process.resourceUsage().maxRSS * 1024}\n`));
}
