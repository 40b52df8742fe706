import { mulberry32 } from '../../random.js';
import { flattenConfig, type RunRecord } from '../runFilter.js';

const MODELS = ['mlp', 'gru', 'lstm', 'cnn'];

/** `n` runs (tests and the runs benchmark use 1,000) with configs and metrics drawn from a seeded generator. */
export function syntheticRuns(n: number): RunRecord[] {
  const rng = mulberry32(42);
  return Array.from({ length: n }, (_, i) => {
    const model = MODELS[Math.floor(rng() * MODELS.length)]!;
    const lr = 10 ** (-4 + 3 * rng());
    const evaluated = rng() > 0.1;
    return {
      id: i + 1,
      name: `${model.toUpperCase()} · BTC · 1h · seed ${i % 7}`,
      status: evaluated ? 'completed' : 'failed',
      model,
      tags: i % 5 === 0 ? ['best'] : i % 11 === 0 ? ['baseline', 'old'] : [],
      sweepId: i % 3 === 0 ? 1 + (i % 4) : null,
      values: {
        ...flattenConfig({ model, lr, hidden: [16, 32, 64][i % 3], split: { train: 0.7, val: 0.15, test: 0.15 }, includeExtras: i % 2 === 0, timeframe: '1h' }),
        accuracy: evaluated ? 0.45 + 0.15 * rng() : null,
      },
    };
  });
}
