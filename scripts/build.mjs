// Builds everything that runs: the Node/Electron bundles and the benchmarks (esbuild, about a second) and the renderer
// (Vite). `--node-only` skips the renderer; `--if-stale` skips the work when the output is newer
// than every source file; `--prune` removes every chunk of earlier builds.
import { build } from 'esbuild';
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = new Set(process.argv.slice(2));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

if (args.has('--if-stale')) {
  const marker = join(root, 'dist/renderer/index.html');
  const sources = Math.max(...['src-main', 'src-shared', 'src-renderer', 'bench'].map((d) => newestMtime(join(root, d))), statSync(join(root, 'package.json')).mtimeMs, statSync(fileURLToPath(import.meta.url)).mtimeMs);
  const outputs = [marker, 'dist/main/cli.mjs', 'dist/bench/bench.mjs'].map((f) => join(root, f));
  if (outputs.every((f) => existsSync(f) && statSync(f).mtimeMs > sources)) process.exit(0);
}

// The recurrent layers' WebAssembly kernels, compiled from AssemblyScript and embedded in the
// bundles as base64 (src-main/training/kernels/recurrentKernels.ts), so no packaged path must find
// them: plain SIMD and relaxed SIMD (fused multiply-adds), the loader picks what the runtime runs.
const { recurrentKernelDefines } = await import('../src-main/training/kernels/compileKernels.mjs');
const kernelDefines = await recurrentKernelDefines();

/**
 * Pure-JS packages that every command loads go into the bundles: zod alone is ~100 ES modules,
 * which took ~60 ms to load where one parsed chunk takes a few. What they import from
 * node_modules comes along (on Windows the importer's path has backslashes). Native and heavy
 * packages (better-sqlite3, tfjs and its wasm files) stay in node_modules, where
 * electron-builder ships them unpacked.
 */
const BUNDLED_PACKAGES = new Set(['zod', 'commander', 'cli-progress']);
const packageOf = (specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
const externalPackages = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:')) return { external: true };
      if (BUNDLED_PACKAGES.has(packageOf(args.path)) || /[\\/]node_modules[\\/]/.test(args.importer)) return undefined;
      return { external: true };
    });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [externalPackages],
  define: { __CANDELA_VERSION__: JSON.stringify(pkg.version), ...kernelDefines },
};

/**
 * The contract's channel and event names as plain lists, for the preload (which checks names and
 * nothing else). Read from the contract itself, bundled in memory, so the lists cannot drift.
 */
async function contractNames() {
  const out = await build({
    entryPoints: [join(root, 'src-shared/contract/index.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    logLevel: 'warning',
  });
  const contract = await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
  return { channels: [...contract.channelNames].sort(), events: [...contract.eventNames].sort() };
}

const started = Date.now();

const names = await contractNames();
const esmBanner = "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";
const [nodeBuild, , , preload] = await Promise.all([
  build({
    ...common,
    format: 'esm',
    outdir: join(root, 'dist/main'),
    outExtension: { '.js': '.mjs' },
    // Code splitting: what a CLI command imports at run time (services, SQLite, tfjs) lands in
    // chunks of its own, so `candela --help` loads only the command table. Chunks sit beside the
    // entries, where import.meta.url-relative paths (cli/paths.ts) expect them.
    splitting: true,
    chunkNames: 'chunk-[hash]',
    metafile: true,
    entryPoints: {
      cli: join(root, 'src-main/cli/entry.ts'),
      'db-worker': join(root, 'src-main/services/dbWorkerEntry.ts'),
      'import-parser': join(root, 'src-main/datasets/importParserEntry.ts'),
      ...(existsSync(join(root, 'src-main/training/worker-entry.ts')) ? { 'training-worker': join(root, 'src-main/training/worker-entry.ts') } : {}),
      // Data-parallel training's worker threads (src-main/training/loop/dataParallel.ts) start this one.
      'training-thread': join(root, 'src-main/training/loop/trainingThread.ts'),
    },
    banner: { js: esmBanner },
  }),
  // Benchmarks are their own program: `npm run bench` runs it, `candela bench` loads it by path.
  build({
    ...common,
    format: 'esm',
    outfile: join(root, 'dist/bench/bench.mjs'),
    entryPoints: [join(root, 'bench/main.ts')],
    banner: { js: esmBanner },
  }),
  build({
    ...common,
    format: 'cjs',
    outfile: join(root, 'dist/main/electron-main.cjs'),
    entryPoints: [join(root, 'src-main/app/electron-main.ts')],
    external: ['electron'],
    // Shared modules use import.meta.url (ESM); in this CommonJS bundle it comes from __filename.
    define: { ...common.define, 'import.meta.url': '__candelaImportMetaUrl' },
    banner: { js: "const __candelaImportMetaUrl = require('url').pathToFileURL(__filename).href;" },
  }),
  // The sandboxed preload can require only 'electron'; it gets the contract's names as literals.
  build({
    ...common,
    plugins: [],
    format: 'cjs',
    outfile: join(root, 'dist/main/preload.cjs'),
    entryPoints: [join(root, 'src-main/app/preload.ts')],
    external: ['electron'],
    platform: 'browser',
    metafile: true,
    define: {
      ...common.define,
      __CANDELA_CHANNEL_NAMES__: JSON.stringify(names.channels),
      __CANDELA_EVENT_NAMES__: JSON.stringify(names.events),
    },
  }),
]);
// Chunk names change with their content. Drop earlier builds' chunks once nothing can still want
// them: a CLI or server started from the previous build imports its chunks lazily, minutes later.
// `--prune` (packaging) drops them all, so an installer carries one build.
const current = new Set(Object.keys(nodeBuild.metafile.outputs).map((f) => f.split('/').pop()));
for (const f of readdirSync(join(root, 'dist/main'))) {
  const p = join(root, 'dist/main', f);
  const old = args.has('--prune') || Date.now() - statSync(p).mtimeMs > 3600_000;
  if (/^chunk-[A-Z0-9]+\.mjs(\.map)?$/.test(f) && !current.has(f) && old) rmSync(p, { force: true });
}
const packagedIntoPreload = Object.keys(preload.metafile.inputs).filter((f) => f.includes('node_modules'));
if (packagedIntoPreload.length) {
  console.error(`candela: the preload must not bundle packages, but it pulls in ${packagedIntoPreload.join(', ')}`);
  process.exit(1);
}
console.error(`candela: built main, CLI, preload and benchmarks in ${Date.now() - started} ms`);

if (!args.has('--node-only')) {
  const { build: viteBuild } = await import('vite');
  const t = Date.now();
  await viteBuild({ configFile: join(root, 'vite.config.ts'), logLevel: 'error' });
  console.error(`candela: built the renderer in ${Date.now() - t} ms`);
}
