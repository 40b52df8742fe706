import type { Readable, Writable } from 'node:stream';

/**
 * Dawn (the `webgpu` package) reports on stderr, once per device, every limit it lowers to fit its
 * own allocator ("maxDynamicUniformBuffersPerPipelineLayout artificially reduced from 1000000 to
 * 16…"). They say nothing a user can act on, and a training process creates a device per run, so
 * every `candela train` would print them. Only these lines are dropped; everything else a training
 * process writes to stderr (crash reports, tfjs warnings) passes through unchanged.
 */
export const isDawnLimitNotice = (line: string): boolean => /^Warning: \w+ artificially reduced from \d+ to \d+\b/.test(line);

/** Copies `from` to `to` line by line, leaving out Dawn's limit notices. */
export function forwardStderr(from: Readable, to: Writable): void {
  let rest = '';
  from.setEncoding('utf8');
  from.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop()!;
    const kept = lines.filter((l) => !isDawnLimitNotice(l));
    if (kept.length) to.write(kept.join('\n') + '\n');
  });
  from.on('end', () => {
    if (rest && !isDawnLimitNotice(rest)) to.write(rest);
    rest = '';
  });
}
