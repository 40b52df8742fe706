#!/usr/bin/env node
// The `candela` command: runs the bundled CLI, which `npm install` builds (the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('../dist/main/cli.mjs', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('candela: the command line is not built yet; run `npm run build` in the Candela folder first.\n');
  process.exit(1);
}
await import(pathToFileURL(cli).href);
