import { describe, expect, it } from 'vitest';
import { bps, fraction } from '../../domain/units.js';
import { runBacktest } from './engine.js';
import type { SymbolInput } from './inputs.js';
import type { BacktestSettings } from './settings.js';
import { EXIT_REASONS } from './trades.js';

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const N = 600;

/** The closed-form market of scripts/golden/backtest_reference.py (`market()`), 4-hour bars. */
function formulaMarket(): SymbolInput {
  const ts = new Float64Array(N);
  const open = new Float64Array(N);
  const high = new Float64Array(N);
  const low = new Float64Array(N);
  const close = new Float64Array(N);
  const atr = new Float64Array(N);
  const fundingRate = new Float64Array(N);
  const probs = new Float32Array(N * 3).fill(Number.NaN);
  const predTs = new Float64Array(N).fill(Number.NaN);
  for (let t = 0; t < N; t++) {
    ts[t] = T0 + t * 4 * H;
    close[t] = 100 * Math.exp(0.03 * Math.sin(0.11 * t) + 0.02 * Math.sin(0.37 * t + 1) + 0.0005 * t);
  }
  for (let t = 0; t < N; t++) {
    open[t] = t === 0 ? 100 : close[t - 1] * (1 + 0.004 * Math.sin(1.7 * t));
    high[t] = Math.max(open[t], close[t]) * (1 + 0.003 + 0.004 * Math.abs(Math.sin(2.3 * t)));
    low[t] = Math.min(open[t], close[t]) * (1 - 0.003 - 0.004 * Math.abs(Math.cos(1.9 * t)));
    atr[t] = 0.01 * close[t] * (1 + 0.5 * Math.sin(0.05 * t));
    fundingRate[t] = t % 2 === 0 ? 0.0002 * Math.sin(0.5 * t) : 0;
    if (t < 20 || t >= 590) continue;
    const up = 0.2 + 0.6 * (0.5 + 0.5 * Math.sin(0.23 * t));
    const down = 0.2 + 0.6 * (0.5 + 0.5 * Math.cos(0.31 * t));
    const s = up + down + 0.3;
    probs.set([down / s, 0.3 / s, up / s], t * 3);
    predTs[t] = ts[t];
  }
  return { symbol: 'FORMULA', candles: { ts, open, high, low, close }, predictions: { ts: predTs, probs, classes: 3 }, atr, fundingRate };
}

const SCENARIOS: Record<string, Partial<BacktestSettings>> = {
  A: {
    minConfidence: 0.4, fixedFraction: 1.5, maxLeverage: 2, stopLoss: 0.015, takeProfit: 0.03, maxHoldingBars: 5,
    takerFeeBps: bps(5), makerFeeBps: bps(2), slippageBps: bps(2), slippageAtrFraction: fraction(0.05),
    fundingSource: 'fixed', fundingRatePer8h: fraction(0.0001), maintenanceMargin: fraction(0.005),
  },
  B: {
    direction: 'long-only', minConfidence: 0.45, whenUncertain: 'hold', sizing: 'confidence', fixedFraction: 1, maxLeverage: 1,
    stopUnit: 'atr', stopLoss: 1.2, takeProfit: 2.5, takerFeeBps: bps(5), makerFeeBps: bps(2), slippageBps: bps(3),
    signalOrderType: 'limit', takeProfitOrderType: 'market',
  },
  C: { fixedFraction: 20, maxLeverage: 20, takerFeeBps: bps(4), makerFeeBps: bps(2), fundingSource: 'column', maintenanceMargin: fraction(0.01) },
};

// Output of `/usr/bin/python3 scripts/golden/backtest_reference.py`: a naive, separately written
// engine run on the same formula market. Trade rows are
// [entryBar, exitBar, side, reason, entryPrice, exitPrice, pnl, fees, funding, barsHeld].
const GOLDEN = {
  "A": {
    "finalEquity": 1.1055185599926511,
    "fees": 0.07884137175539939,
    "funding": -0.0018672304029391676,
    "slippage": 0.10652161023247345,
    "trades": 52,
    "reasons": {
      "take-profit": 12,
      "max-hold": 15,
      "signal": 2,
      "stop": 22,
      "end": 1
    },
    "sumPnl": 0.10551855999265114,
    "sumAbsPnl": 1.4539688237823911,
    "sumHeld": 188,
    "sumSize": 78.0,
    "first": [
      21,
      24,
      -1,
      "take-profit",
      104.79000283554903,
      101.73918675958508,
      0.042925781860285506,
      0.0010412659147053798,
      -0.00029662130188983513,
      4
    ],
    "last": [
      586,
      590,
      -1,
      "end",
      136.09009122119434,
      136.39048708097252,
      -0.004845399923713911,
      0.0016673841453607775,
      -0.0004983951941066698,
      5
    ],
    "equityAt": {
      "100": 1.0808300771096186,
      "250": 1.0478031750395211,
      "400": 1.1011535734099596,
      "591": 1.1055185599926511
    }
  },
  "B": {
    "finalEquity": 1.0178395327930831,
    "fees": 0.0029055235392305306,
    "funding": 0.0,
    "slippage": 0.0011727237696859453,
    "trades": 21,
    "reasons": {
      "signal": 2,
      "take-profit": 9,
      "stop": 10
    },
    "sumPnl": 0.017839532793083146,
    "sumAbsPnl": 0.07042317622076255,
    "sumHeld": 81,
    "sumSize": 4.275533393025399,
    "first": [
      29,
      40,
      1,
      "signal",
      99.3884102475283,
      99.40442171768846,
      -5.4549885349919336e-05,
      9.133012378221406e-05,
      0.0,
      11
    ],
    "last": [
      576,
      576,
      1,
      "take-profit",
      134.82256951866106,
      137.3888062615659,
      0.004571926165470863,
      0.00017702154579835651,
      0.0,
      1
    ],
    "equityAt": {
      "100": 1.002245240834794,
      "250": 1.0152087301215094,
      "400": 1.0136539701515064,
      "591": 1.0178395327930831
    }
  },
  "C": {
    "finalEquity": 4.460387383237619e-05,
    "fees": 0.3811078034869597,
    "funding": 0.008106718784812329,
    "slippage": 0.0,
    "trades": 54,
    "reasons": {
      "signal": 41,
      "liquidation": 12,
      "end": 1
    },
    "sumPnl": -0.9999553961261677,
    "sumAbsPnl": 9.668994883236627,
    "sumHeld": 477,
    "sumSize": 1080,
    "first": [
      21,
      28,
      -1,
      "signal",
      104.885759545964,
      99.67930345564066,
      0.9727152933169663,
      0.015602885568995344,
      0.0044678986256799485,
      7
    ],
    "last": [
      586,
      590,
      -1,
      "end",
      136.15726369905744,
      136.32666901796597,
      -2.2939929059121117e-06,
      7.508326661518327e-07,
      3.7616439171062533e-07,
      5
    ],
    "equityAt": {
      "100": 0.3590854488931967,
      "250": 0.036705014507903644,
      "400": 0.0011407134605232044,
      "591": 4.460387383237619e-05
    }
  }
} as const;

function close(actual: number, expected: number, what: string): void {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-9 * Math.max(Math.abs(expected), 1e-6));
}

describe('engine vs the naive Python reference engine', () => {
  const input = formulaMarket();
  for (const [name, settings] of Object.entries(SCENARIOS)) {
    it(`scenario ${name}`, () => {
      const g = GOLDEN[name as keyof typeof GOLDEN];
      const r = runBacktest(input, settings);
      const t = r.trades;
      expect(t.count).toBe(g.trades);
      const reasons: Record<string, number> = {};
      for (let i = 0; i < t.count; i++) reasons[EXIT_REASONS[t.exitReason[i]]] = (reasons[EXIT_REASONS[t.exitReason[i]]] ?? 0) + 1;
      expect(reasons).toEqual(g.reasons);
      close(r.totals.finalEquity, g.finalEquity, 'final equity');
      close(r.totals.fees, g.fees, 'fees');
      close(r.totals.funding, g.funding, 'funding');
      close(r.totals.slippage, g.slippage, 'slippage');
      const sum = (a: ArrayLike<number>): number => Array.from(a).reduce((x, y) => x + y, 0);
      close(sum(t.pnl), g.sumPnl, 'sum pnl');
      close(sum(Array.from(t.pnl, Math.abs)), g.sumAbsPnl, 'sum |pnl|');
      expect(sum(t.barsHeld)).toBe(g.sumHeld);
      close(sum(t.size), g.sumSize, 'sum size');
      for (const [which, i] of [['first', 0], ['last', t.count - 1]] as const) {
        const row = g[which];
        expect([t.entryBar[i], t.exitBar[i], t.side[i], EXIT_REASONS[t.exitReason[i]], t.barsHeld[i]]).toEqual([row[0], row[1], row[2], row[3], row[9]]);
        close(t.entryPrice[i], row[4] as number, `${which} entry`);
        close(t.exitPrice[i], row[5] as number, `${which} exit`);
        close(t.pnl[i], row[6] as number, `${which} pnl`);
        close(t.fees[i], row[7] as number, `${which} fees`);
        close(t.funding[i], row[8] as number, `${which} funding`);
      }
      for (const [bar, value] of Object.entries(g.equityAt)) close(r.equity[Number(bar)], value, `equity at ${bar}`);
    });
  }
});
