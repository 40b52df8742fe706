import { runCli } from './main.js';

// Long-running commands (serve) keep the process alive themselves; the status applies when it ends.
process.exitCode = await runCli(process.argv.slice(2));
