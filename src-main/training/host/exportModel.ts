import { copyFile, mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ContractFailure } from '../../../src-shared/contract/result.js';

/** The files that make a trained model usable elsewhere: tfjs model.json + weights, and how to feed it. */
export const MODEL_EXPORT_FILES = ['model.json', 'weights.bin', 'preprocessing.json'] as const;
const MAX_EXPORT_BYTES = 200 * 1024 * 1024;

function finalDir(checkpointDir: string): string {
  return join(checkpointDir, 'final');
}

async function ensureExportable(dir: string, runId: number): Promise<void> {
  for (const f of MODEL_EXPORT_FILES) {
    const s = await stat(join(dir, f)).catch(() => null);
    if (!s) throw new ContractFailure('NOT_FOUND', `Run ${runId} has no final model to export (${f} is missing); only finished runs have one.`);
    if (s.size > MAX_EXPORT_BYTES) throw new ContractFailure('UNSUPPORTED', `${f} is larger than ${MAX_EXPORT_BYTES / 1048576} MB; copy it from ${dir} instead.`);
  }
}

/** Copies a finished run's model into `outDir` (tf.loadLayersModel('file://…/model.json') loads it). */
export async function exportModelTo(checkpointDir: string, runId: number, outDir: string): Promise<string[]> {
  const dir = finalDir(checkpointDir);
  await ensureExportable(dir, runId);
  await mkdir(outDir, { recursive: true });
  for (const f of MODEL_EXPORT_FILES) await copyFile(join(dir, f), join(outDir, f));
  return MODEL_EXPORT_FILES.map((f) => join(outDir, f));
}

/** The same files as bytes, for the UI to download (the browser cannot be handed a path). */
export async function modelFiles(checkpointDir: string, runId: number): Promise<{ name: string; base64: string }[]> {
  const dir = finalDir(checkpointDir);
  await ensureExportable(dir, runId);
  return Promise.all(MODEL_EXPORT_FILES.map(async (name) => ({ name, base64: (await readFile(join(dir, name))).toString('base64') })));
}
