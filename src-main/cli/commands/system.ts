import type { Command } from 'commander';
import { backendPreferenceSchema } from '../../../src-shared/contract/system.js';
import { cachedBackendProbe, withContract } from '../openServices.js';
import { CliError, formatBytes, printJson } from '../output.js';
import { workspaceOption } from '../workspaceOption.js';

export function registerSystemCommand(program: Command): void {
  program
    .command('system')
    .description('Show versions, the workspace, the compute backend training would use and why, and whether a GPU is usable.')
    .option('--json', 'print one JSON document')
    .option('--backend <name>', `probe this backend instead of auto (${backendPreferenceSchema.options.join('|')})`, 'auto')
    .option('--reprobe', 'probe the compute backend again instead of reusing the answer kept in the workspace (kept a day)')
    .option('--probe-backend', 'print only the compute-backend probe as JSON (used by the app; always probes)')
    .action(async (opts: { json?: boolean; backend: string; reprobe?: boolean; probeBackend?: boolean }, cmd: Command) => {
      const pref = backendPreferenceSchema.safeParse(opts.backend);
      if (!pref.success) throw new CliError(`Unknown backend "${opts.backend}": choose ${backendPreferenceSchema.options.join(', ')}.`);
      if (opts.probeBackend) {
        // The app and the server ask once per start, in a child process: they want today's answer.
        const { probeBackendHere } = await import('../../system/backendProbe.js');
        printJson(await probeBackendHere(pref.data));
        return;
      }
      const workspaceDir = workspaceOption(cmd);
      await withContract(
        cmd,
        async (call, services) => {
          await services.whenBackendReady();
          const [info, resources] = await Promise.all([call('system.info', {}), call('system.resources', {})]);
          if (opts.json) {
            printJson({ ...info, gpu: { usable: info.backend?.gpuInUse ?? false, devices: resources.gpus, note: resources.gpuNote } });
            return;
          }
          const b = info.backend;
          const gpuText = resources.gpus?.length ? ` (${resources.gpus.map((g) => g.name).join(', ')})` : resources.gpuNote ? ` — ${resources.gpuNote}` : '';
          const lines = [
            `Candela ${info.versions.candela}  (node ${info.versions.node}, SQLite ${info.versions.sqlite}, tfjs ${info.versions.tfjs ?? 'not installed'}, ${info.versions.platform})`,
            `Workspace   ${info.workspace.path}  (${formatBytes(info.workspace.dbBytes)}, schema ${info.workspace.schemaVersion})`,
            `Backend     ${b ? b.label : 'unknown'}`,
            ...(b?.attempts ?? []).map((a) => `  ${a.ok ? 'ok  ' : 'no  '} ${a.backend}${a.error ? ` — ${a.error}` : ''}`),
            `GPU         ${b?.gpuInUse ? 'in use' : 'not in use'}${gpuText}`,
            b?.adapter
              ? `WebGPU      ${b.adapter.description} (vendor ${b.adapter.vendor}, architecture ${b.adapter.architecture}; ${b.adapter.hardware ? 'hardware GPU' : 'software adapter: computes on the CPU'})`
              : 'WebGPU      no adapter found',
          ];
          process.stdout.write(`${lines.join('\n')}\n`);
        },
        // Probed (or read from the cache) while the workspace opens, not after.
        { probeBackend: () => cachedBackendProbe(workspaceDir, pref.data, opts.reprobe === true), lazyBackendProbe: false },
      );
    });
}
