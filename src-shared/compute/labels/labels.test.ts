import { describe, expect, it } from 'vitest';
import { bps, fraction } from '../../domain/units.js';
import { GOLDEN_CLOSE, GOLDEN_HIGH, GOLDEN_LOW } from '../features/__fixtures__/golden-ohlcv.js';
import { directionLabels } from './direction.js';
import { forwardLogReturn } from './forward-return.js';
import { NO_LABEL } from './label-window.js';
import { tripleBarrierLabels } from './triple-barrier.js';

// Produced by scripts/golden/features_labels.py (pandas 1.5.3 , numpy 1.24.2 )
const GOLDEN_LABELS = {
  directionBand10h5: '002222222200001000000000000200000222222220000002212001222222222222222000000000000000020202222222222000000000222222222200000022222222221222222102200000220000000000000222222222202122222000000100100000222220000000000200000000000222200000000022000002222201000.....',
  directionVol20k05h5UpDown: '....................0000.0...0....111111..0000......0.1.111111111111..000000....000.0....11111.1111.0000.0....1111111.00000..11111111..111111..1.00.0...000000.00000.1111111111.1...111.00.00..0..0.001111.000000......0000000...1111..0..0.....000001111....00.....',
  tripleFixed2pc15H10: '2002222222000000022000000000002002222222000000000220002222202222222222000000000000000200022222222222000000000022222220000000022222222222222220000000000000000000000022222222222021012220000000000100202202200000010000000000002002222000000000020000022222..........',
  tripleFixed2pc15H10Touched: '+--+++++++-------++-----------+--+++++++---------++---+++++-++++++++++---------------+---+++++++++++----------+++++++--------++++++++++++++++-----------------------+++++++++++-+0-0+++----------0--+-++-++------0------------+--++++----------+-----+++++0000000000',
  tripleFixed2pc15H10Exit: [7, 3, 2, 4, 3, 2, 1, 3, 2, 2, 7, 2, 1, 4, 3, 3, 1, 2, 1, 2, 3, 2, 1, 5, 4, 3, 2, 7, 6, 5, 10, 3, 1, 7, 6, 5, 4, 3, 2, 1, 9, 8, 5, 6, 5, 2, 3, 2, 6, 4, 3, 3, 2, 1, 3, 4, 4, 2, 5, 1, 3, 3, 2, 1, 3, 2, 1, 2, 2, 1, 2, 1, 1, 3, 3, 1, 1, 6, 6, 5, 4, 3, 2, 2, 1, 2, 3, 2, 1, 4, 5, 4, 4, 2, 3, 5, 4, 3, 2, 1, 4, 3, 1, 1, 6, 5, 4, 1, 2, 1, 1, 6, 5, 4, 3, 2, 2, 6, 5, 4, 3, 2, 1, 2, 1, 4, 3, 2, 5, 4, 3, 2, 1, 8, 7, 6, 5, 4, 3, 2, 1, 10, 1, 8, 7, 5, 5, 3, 2, 2, 7, 7, 5, 4, 3, 2, 1, 3, 2, 1, 4, 3, 2, 1, 7, 6, 5, 4, 4, 1, 2, 2, 3, 5, 4, 1, 2, 10, 2, 10, 3, 7, 6, 6, 5, 4, 3, 2, 4, 9, 3, 1, 9, 10, 4, 3, 9, 4, 7, 6, 1, 3, 3, 4, 2, 1, 2, 2, 2, 10, 10, 9, 3, 7, 6, 5, 4, 3, 2, 1, 5, 2, 8, 2, 1, 5, 4, 3, 3, 10, 9, 4, 2, 2, 6, 5, 4, 2, 1, 4, 5, 4, 3, 2, 1, 7, 5, 5, 4, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  tripleVol20H10UpDown: '....................00000001101111111111000000001111111111111111111110000000000000001111111111111111000011111111111000000001111111111111111110000000000000000000011111111111111111001100000000000101001101100000000000000000111101111000000000000010011111..........',
  forwardLogReturnH5: { 0: -0.0075282664207915245, 1: -0.001988665267109088, 100: -0.029508354055260626, 200: 0.012831617576263036, 254: -0.012660862539049756 },
};

const close = Float64Array.from(GOLDEN_CLOSE);
const high = Float64Array.from(GOLDEN_HIGH);
const low = Float64Array.from(GOLDEN_LOW);
const encode = (labels: Int8Array): string => Array.from(labels, (x) => (x < 0 ? '.' : String(x))).join('');

describe('labels match independent pandas goldens', () => {
  it('direction with a fixed band (up-flat-down)', () => {
    const l = directionLabels(close, 5, { bandBps: bps(10) }, 'up-flat-down');
    expect(encode(l.labels)).toBe(GOLDEN_LABELS.directionBand10h5);
    expect(l.window).toEqual({ fromOffset: 1, toOffset: 5 });
    expect(l.classNames).toEqual(['DOWN', 'FLAT', 'UP']);
  });

  it('direction with a volatility-scaled band (up-down drops the band)', () => {
    const l = directionLabels(close, 5, { volScaled: { window: 20, k: 0.5 } }, 'up-down');
    expect(encode(l.labels)).toBe(GOLDEN_LABELS.directionVol20k05h5UpDown);
  });

  it('triple barrier with fixed fractions', () => {
    const l = tripleBarrierLabels(high, low, close, {
      horizon: 10,
      barriers: { kind: 'fixed', profitTake: fraction(0.02), stopLoss: fraction(0.015) },
      classes: 'up-flat-down',
    });
    expect(encode(l.labels)).toBe(GOLDEN_LABELS.tripleFixed2pc15H10);
    expect(Array.from(l.touched, (x) => '-0+'[x + 1]).join('')).toBe(GOLDEN_LABELS.tripleFixed2pc15H10Touched);
    expect(Array.from(l.exitOffset)).toEqual(GOLDEN_LABELS.tripleFixed2pc15H10Exit);
    expect(l.window.toOffset).toBe(10);
  });

  it('triple barrier with volatility multiples (up-down, sign at the time barrier)', () => {
    const l = tripleBarrierLabels(high, low, close, {
      horizon: 10,
      barriers: { kind: 'volatility', window: 20, profitTakeMult: 1, stopLossMult: 1.5 },
      classes: 'up-down',
    });
    expect(encode(l.labels)).toBe(GOLDEN_LABELS.tripleVol20H10UpDown);
  });

  it('forward log return', () => {
    const y = forwardLogReturn(close, 5);
    for (const [t, want] of Object.entries(GOLDEN_LABELS.forwardLogReturnH5)) {
      expect(y.values[Number(t)]).toBe(Math.fround(want));
    }
    expect(Array.from(y.values.subarray(-5)).every(Number.isNaN)).toBe(true);
    expect(Number.isFinite(y.values[close.length - 6])).toBe(true);
  });
});

describe('label edge cases', () => {
  it('never labels the last h rows, nor rows with missing prices', () => {
    const c = Float64Array.from([100, 101, NaN, 103, 102, 101, 105]);
    const l = directionLabels(c, 2, { bandBps: bps(0) }, 'up-flat-down').labels;
    expect(Array.from(l)).toEqual([NO_LABEL, 2, NO_LABEL, 0, 2, NO_LABEL, NO_LABEL]);
    expect(directionLabels(c, 10, { bandBps: bps(0) }, 'up-down').labels.every((x) => x === NO_LABEL)).toBe(true);
  });

  it('constant series: FLAT in up-flat-down, no label in up-down', () => {
    const c = new Float64Array(40).fill(50);
    expect(directionLabels(c, 3, { bandBps: bps(5) }, 'up-flat-down').labels.subarray(0, 37).every((x) => x === 1)).toBe(true);
    expect(directionLabels(c, 3, { volScaled: { window: 5, k: 1 } }, 'up-down').labels.every((x) => x === NO_LABEL)).toBe(true);
    // Zero volatility disables both barriers: every labeled row ends at the time barrier.
    const tb = tripleBarrierLabels(c, c, c, { horizon: 3, barriers: { kind: 'volatility', window: 5, profitTakeMult: 1, stopLossMult: 1 }, classes: 'up-flat-down' });
    expect(Array.from(tb.labels.subarray(5, 37)).every((x) => x === 1)).toBe(true);
  });

  it('a bar touching both barriers counts as stop-loss (documented tie rule)', () => {
    const c = Float64Array.from([100, 100, 100, 100]);
    const h = Float64Array.from([100, 100.5, 103, 100]);
    const lo = Float64Array.from([100, 99.5, 97, 100]);
    const l = tripleBarrierLabels(h, lo, c, {
      horizon: 2,
      barriers: { kind: 'fixed', profitTake: fraction(0.02), stopLoss: fraction(0.02) },
      classes: 'up-flat-down',
    });
    expect(l.labels[0]).toBe(0);
    expect(l.touched[0]).toBe(-1);
    expect(l.exitOffset[0]).toBe(2);
    // Row 1 sees the same bar 2 first.
    expect(l.labels[1]).toBe(0);
  });

  it('rejects bad parameters', () => {
    expect(() => directionLabels(close, 0, { bandBps: bps(1) }, 'up-down')).toThrow(RangeError);
    expect(() => directionLabels(close, 3, { bandBps: bps(-1) }, 'up-down')).toThrow(RangeError);
    expect(() =>
      tripleBarrierLabels(high, low, close, { horizon: 3, barriers: { kind: 'fixed', profitTake: fraction(0), stopLoss: fraction(0.1) }, classes: 'up-down' }),
    ).toThrow(RangeError);
  });
});
