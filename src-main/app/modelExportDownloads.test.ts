import { describe, expect, it } from 'vitest';
import { createExportFolderMemory, modelExportFile } from './modelExportDownloads.js';

describe('model export downloads', () => {
  it('recognises the three files of a run and nothing else', () => {
    expect(modelExportFile('run-12-model.json')).toEqual({ runId: 12, file: 'model.json' });
    expect(modelExportFile('run-12-weights.bin')).toEqual({ runId: 12, file: 'weights.bin' });
    expect(modelExportFile('run-3-preprocessing.json')).toEqual({ runId: 3, file: 'preprocessing.json' });
    for (const name of ['model.json', 'run-x-model.json', 'run-12-trades.csv', 'report.pdf']) expect(modelExportFile(name), name).toBeNull();
  });

  it('asks for a folder once per export, and again for the next export of the same run', () => {
    let t = 0;
    const memory = createExportFolderMemory(10_000, () => t);
    const asked: number[] = [];
    const ask = (answer: string | null) => () => {
      asked.push(t);
      return answer;
    };
    expect(memory.folderFor(7, 'model.json', ask('/exports/a'))).toBe('/exports/a');
    expect(memory.folderFor(7, 'weights.bin', ask('/never'))).toBe('/exports/a');
    expect(memory.folderFor(7, 'preprocessing.json', ask('/never'))).toBe('/exports/a');
    expect(asked).toHaveLength(1);
    t = 1000;
    expect(memory.folderFor(7, 'model.json', ask('/exports/b'))).toBe('/exports/b');
    expect(asked).toHaveLength(2);
    t = 60_000;
    expect(memory.folderFor(7, 'weights.bin', ask('/exports/c'))).toBe('/exports/c');
  });

  it('drops the rest of an export whose dialog was cancelled', () => {
    const memory = createExportFolderMemory();
    expect(memory.folderFor(1, 'model.json', () => null)).toBeNull();
    expect(memory.folderFor(1, 'weights.bin', () => '/should-not-ask')).toBeNull();
  });
});
