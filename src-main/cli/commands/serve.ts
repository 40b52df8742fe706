import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { builtPaths } from '../paths.js';
import { CliError } from '../output.js';
import { workspaceOption } from '../workspaceOption.js';
import { announceUpgrade } from '../openServices.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Serve the Candela UI and its API on this machine (open the printed URL in a browser).')
    .option('--host <address>', 'address to bind (default 127.0.0.1; anything else exposes your workspace to the network)', '127.0.0.1')
    .option('--port <n>', 'port (0 picks a free one)', '7420')
    .action(async (opts: { host: string; port: string }, cmd: Command) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port must be a whole number from 0 to 65535, not "${opts.port}".`);
      const paths = builtPaths();
      if (!existsSync(paths.rendererDir)) throw new CliError('The UI is not built yet: run `npm run build` (or `npm run serve`, which builds first).');
      if (!LOOPBACK.has(opts.host)) {
        process.stderr.write(`Warning: binding ${opts.host} makes this workspace reachable from other machines; anyone with the URL's token can read and change it.\n`);
      }
      const [{ buildHandlers }, { startHeadlessServer }, { createServices }, { probeBackendInChild }] = await Promise.all([
        import('../../ipc/dispatch.js'),
        import('../../server/headlessServer.js'),
        import('../../services/createServices.js'),
        import('../../system/backendProbeChild.js'),
      ]);
      await announceUpgrade(workspaceOption(cmd));
      const services = await createServices({
        workspaceDir: workspaceOption(cmd),
        shell: 'headless',
        dbMode: 'worker',
        dbWorkerScript: paths.dbWorker,
        probeBackend: () => probeBackendInChild(paths.cliScript),
        trainingWorkerScript: paths.trainingWorker,
      });
      const server = await startHeadlessServer({ services, handlers: buildHandlers(), rendererDir: paths.rendererDir, host: opts.host, port }).catch(async (e: NodeJS.ErrnoException) => {
        await services.close();
        throw new CliError(e.code === 'EADDRINUSE' ? `Port ${port} is in use: pass --port 0 for a free one, or another number.` : `Could not start the server: ${e.message}`);
      });
      process.stdout.write(`Candela is serving the workspace ${services.options.workspaceDir}\nOpen: ${server.url}\n`);
      const stop = async () => {
        await server.close();
        await services.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
    });
}
