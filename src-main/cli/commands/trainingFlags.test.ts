import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';

import { TRAINING_DEFAULTS, trainingConfigSchema, type TrainingConfigField } from '../../../src-shared/contract/training.js';
import { addTrainingConfigFlags, configFromFlags, FIELDS_WITHOUT_FLAG, mergeTrainingConfig, readConfigFile, TRAINING_CONFIG_FLAGS } from './trainingFlags.js';

/** The options commander hands the action for these arguments. */
function optsOf(args: string[]): Record<string, unknown> {
  const command = new Command('train').exitOverride();
  addTrainingConfigFlags(command);
  command.parse(args, { from: 'user' });
  return command.opts();
}

const dir = mkdtempSync(join(tmpdir(), 'candela-flags-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, config: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(config));
  return { path, config: readConfigFile(path) };
};

describe('candela train flags, derived from the contract schema', () => {
  it('has a flag for every config field (but the one the plan decides), each once, keeping the documented names', () => {
    const fields = Object.keys(trainingConfigSchema.shape) as TrainingConfigField[];
    expect(Object.keys(FIELDS_WITHOUT_FLAG)).toEqual(['extraColumns']);
    expect(TRAINING_CONFIG_FLAGS.map((r) => r.field)).toEqual(fields.filter((f) => f !== 'extraColumns'));
    const flags = TRAINING_CONFIG_FLAGS.map((r) => r.flag);
    expect(new Set(flags).size).toBe(flags.length);
    for (const documented of ['--datasets', '--model', '--features', '--epochs', '--batch-size', '--lr', '--horizon', '--window', '--labels', '--seed', '--backend', '--timeframe', '--extras', '--folds']) expect(flags).toContain(documented);
  });

  it('reaches every field: each flag sets its field to a value other than the default', () => {
    const args = [
      ['--datasets', '3,1'],
      ['--model', 'lstm'],
      ['--features', 'full'],
      ['--timeframe', '4h'],
      ['--extras'],
      ['--window', '16'],
      ['--horizon', '3'],
      ['--labels', 'up-flat-down'],
      ['--band-bps', '12.5'],
      ['--hidden', '64'],
      ['--layers', '2'],
      ['--dropout', '0.2'],
      ['--magnitude-head'],
      ['--magnitude-weight', '0.25'],
      ['--epochs', '20'],
      ['--batch-size', '128'],
      ['--lr', '3e-4'],
      ['--optimizer', 'adamw'],
      ['--weight-decay', '0.01'],
      ['--schedule', 'cosine'],
      ['--warmup-epochs', '2'],
      ['--clip-norm', '0.5'],
      ['--patience', '5'],
      ['--no-balance-per-symbol'],
      ['--max-samples-per-symbol', '5000'],
      ['--validation', 'walk-forward'],
      ['--folds', '6'],
      ['--split', '0.6,0.2,0.2'],
      ['--seed', '7'],
      ['--backend', 'wasm'],
    ];
    expect(args.map((a) => a[0])).toEqual(TRAINING_CONFIG_FLAGS.map((r) => (r.field === 'balancePerSymbol' ? `--no-${r.flag.slice(2)}` : r.flag)));
    const flags = configFromFlags(optsOf(args.flat()));
    expect(flags.problems).toEqual([]);
    const merged = mergeTrainingConfig(null, flags.config);
    if (!merged.ok) throw new Error(merged.problems.join(' '));
    expect(merged.config).toEqual({
      datasetIds: [3, 1],
      model: 'lstm',
      featureSet: 'full',
      timeframe: '4h',
      includeExtras: true,
      window: 16,
      horizon: 3,
      labels: 'up-flat-down',
      bandBps: 12.5,
      hidden: 64,
      layers: 2,
      dropout: 0.2,
      magnitudeHead: true,
      magnitudeWeight: 0.25,
      epochs: 20,
      batchSize: 128,
      lr: 3e-4,
      optimizer: 'adamw',
      weightDecay: 0.01,
      schedule: 'cosine',
      warmupEpochs: 2,
      clipNorm: 0.5,
      patience: 5,
      balancePerSymbol: false,
      maxSamplesPerSymbol: 5000,
      validation: 'walk-forward',
      folds: 6,
      split: { train: 0.6, val: 0.2, test: 0.2 },
      seed: 7,
      backend: 'wasm',
    });
    for (const [field, value] of Object.entries(TRAINING_DEFAULTS)) expect(merged.config[field as TrainingConfigField], field).not.toEqual(value);
  });

  it('sets only the fields whose flags were given, so the schema’s defaults fill the rest', () => {
    const flags = configFromFlags(optsOf(['--datasets', '2']));
    expect(flags.config).toEqual({ datasetIds: [2] });
    const merged = mergeTrainingConfig(null, flags.config);
    expect(merged).toEqual({ ok: true, config: { ...TRAINING_DEFAULTS, datasetIds: [2] } });
    expect(merged).toEqual({ ok: true, config: trainingConfigSchema.parse({ datasetIds: [2] }) });
  });

  it('shows each field’s description and its default from the schema in the help', () => {
    const help = (flag: string) => TRAINING_CONFIG_FLAGS.find((r) => r.flag === flag)!.options[0]!.description;
    expect(help('--window')).toBe(`input window in bars (default: ${TRAINING_DEFAULTS.window})`);
    expect(help('--model')).toBe(`model architecture: mlp | cnn | lstm | gru | transformer | tft (default: ${TRAINING_DEFAULTS.model})`);
    expect(help('--split')).toMatch(/as train,val,test \(default: 0\.7,0\.15,0\.15\)$/);
    expect(TRAINING_CONFIG_FLAGS.find((r) => r.flag === '--extras')!.options.map((o) => o.flags)).toEqual(['--extras', '--no-extras']);
  });

  it('--config gives any subset of fields; a flag given as well wins', () => {
    const run = file('run.json', { datasetIds: [4], model: 'lstm', epochs: 20, window: 16, split: { train: 0.5, val: 0.25, test: 0.25 } });
    const flags = configFromFlags(optsOf(['--epochs', '5', '--model', 'gru']));
    const merged = mergeTrainingConfig(run, flags.config);
    if (!merged.ok) throw new Error(merged.problems.join(' '));
    expect(merged.config).toMatchObject({ datasetIds: [4], model: 'gru', epochs: 5, window: 16, split: { train: 0.5, val: 0.25, test: 0.25 }, hidden: TRAINING_DEFAULTS.hidden });
  });

  it('answers in sentences naming the flag, or the field and the file, that a bad value came from', () => {
    expect(configFromFlags(optsOf(['--lr', 'fast', '--split', '0.7,0.3'])).problems).toEqual([
      '--lr takes a number, not "fast".',
      '--split takes 3 numbers (train,val,test), not "0.7,0.3".',
    ]);
    const run = file('run.json', { datasetIds: [1], window: 0, model: 'rnn', folds: 3, split: { train: 0.7, val: 0.01, test: 0.1 }, colour: 'red' });
    const merged = mergeTrainingConfig(run, configFromFlags(optsOf(['--epochs', '0', '--batch-size', '100.5', '--folds', '11'])).config);
    expect(merged).toEqual({
      ok: false,
      problems: [
        '"model" in run.json must be one of mlp, cnn, lstm, gru, transformer, tft.',
        '"window" in run.json must be at least 1.',
        '--epochs must be at least 1.',
        '--batch-size must be a whole number.',
        '--folds must be at most 10.',
        '"split.val" in run.json must be at least 0.05.',
        'run.json has an unknown setting: colour.',
      ],
    });
    expect(() => file('list.json', [1, 2])).toThrow(/must hold one JSON object of settings/);
    writeFileSync(join(dir, 'broken.json'), '{ "model": ');
    expect(() => readConfigFile(join(dir, 'broken.json'))).toThrow(/broken\.json is not JSON/);
    expect(() => readConfigFile(join(dir, 'absent.json'))).toThrow(/absent\.json cannot be read \(ENOENT\)/);
  });
});
