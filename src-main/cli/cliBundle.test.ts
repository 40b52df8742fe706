import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtFiles, repoPath } from '../../test-support/fixtures.js';
import { requirePrerequisite } from '../../test-support/vitest.js';

/** The files Node loads before a command runs: the entry and the chunks it imports statically, transitively. */
function staticGraph(entry: string): { files: string[]; packages: Set<string> } {
  const files: string[] = [];
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.includes(file)) return;
    files.push(file);
    // Static import declarations only; `import(…)` expressions load later, when a command runs.
    for (const m of readFileSync(file, 'utf8').matchAll(/^\s*import\s+(?:[^'"();]*?\s+from\s+)?["']([^"']+)["'];?\s*$/gm)) {
      const spec = m[1]!;
      if (spec.startsWith('./')) visit(join(dirname(file), spec));
      else packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    }
  };
  visit(entry);
  return { files, packages };
}

describe('the CLI bundle', () => {
  if (!requirePrerequisite(builtFiles('dist/main/cli.mjs', 'dist/bench/bench.mjs'))) return;
  const distMain = repoPath('dist/main');
  const cliEntry = join(distMain, 'cli.mjs');

  it('carries no benchmark code: benchmarks are their own bundle, loaded by path', () => {
    const builtFromBench = /^\/\/ bench\//m;
    expect(readFileSync(cliEntry, 'utf8')).not.toMatch(builtFromBench);
    for (const f of readdirSync(distMain).filter((n) => n.endsWith('.mjs'))) expect(readFileSync(join(distMain, f), 'utf8'), f).not.toMatch(builtFromBench);
    expect(readFileSync(repoPath('dist/bench/bench.mjs'), 'utf8')).toMatch(/^\/\/ bench\/registry\.ts$/m);
  });

  it('loads neither tfjs nor SQLite nor the server before a command needs them', () => {
    const { files, packages } = staticGraph(cliEntry);
    expect(files.length).toBeGreaterThan(1);
    for (const heavy of ['@tensorflow/tfjs', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-backend-wasm', 'better-sqlite3', 'ws']) expect([...packages], heavy).not.toContain(heavy);
    // commander parses the command line, so it is there, bundled into the entry (not loaded from node_modules).
    expect(files.map((f) => readFileSync(f, 'utf8')).join('\n')).toMatch(/^\/\/ node_modules\/commander\//m);
    // The code that opens the workspace and probes the backend is reached only through import().
    const loaded = files.map((f) => readFileSync(f, 'utf8')).join('\n');
    for (const source of ['src-main/services/createServices.ts', 'src-main/system/backendProbe.ts', 'src-main/db/connection.ts', 'src-main/ipc/dispatch.ts']) expect(loaded, source).not.toContain(`// ${source}\n`);
  });
});
