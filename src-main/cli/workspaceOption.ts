import type { Command } from 'commander';
import { resolveWorkspaceDir } from '../workspace/location.js';

/** The workspace folder for a subcommand: its own or the program's `--workspace`, then the environment. */
export function workspaceOption(cmd: Command): string {
  const own = cmd.opts<{ workspace?: string }>().workspace;
  const global = cmd.optsWithGlobals<{ workspace?: string }>().workspace;
  return resolveWorkspaceDir(own ?? global);
}
