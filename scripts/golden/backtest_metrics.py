#!/usr/bin/env python3
"""Independent numbers for src-shared/compute/backtest/metrics.test.ts and portfolio.test.ts.

Run: /usr/bin/python3 scripts/golden/backtest_metrics.py   (numpy only)

The series are defined by closed-form formulas that the TypeScript tests evaluate identically,
so both sides see the same inputs without a data file. Every metric here is computed with numpy
from its textbook definition, without looking at the TypeScript implementation:
  total return, CAGR = (E_N/E_0)^(ppy/N) - 1, annual vol = std(r, ddof=1) * sqrt(ppy),
  Sharpe = mean(r - rf) / std(r, ddof=1) * sqrt(ppy), Sortino = mean(r - rf) / sqrt(mean(min(r - rf, 0)^2)) * sqrt(ppy),
  max drawdown from np.maximum.accumulate, its duration from runs of under-water observations,
  Calmar = CAGR / maxDD, VaR/CVaR 95 % with np.quantile(method='inverted_cdf'),
  beta / alpha by least squares (np.linalg.lstsq), trade statistics with boolean masks.
"""
import json
import math

import numpy as np

H = 3_600_000
T0 = 1_704_067_200_000  # 2024-01-01T00:00Z
PPY = 365.25 * 24


def path_series(n):
    j = np.arange(1, n + 1, dtype=np.float64)
    r = 0.004 * np.sin(0.37 * j) + 0.0015 * np.cos(1.1 * j) + 0.002 * np.sin(0.02 * j) + 0.0002
    b = 0.005 * np.sin(0.37 * j + 0.5) + 0.002 * np.cos(0.9 * j)
    eq = np.empty(n + 1)
    bh = np.empty(n + 1)
    eq[0] = 1.0
    bh[0] = 100.0
    for k in range(1, n + 1):  # sequential products, as the TS loop does
        eq[k] = eq[k - 1] * (1 + r[k - 1])
        bh[k] = bh[k - 1] * (1 + b[k - 1])
    ts = T0 + H * np.arange(n + 1, dtype=np.float64)
    return ts, eq, bh


def drawdown_duration(eq, ts):
    peak = np.maximum.accumulate(eq)
    under = eq < peak
    best_len, best_ms = 0, 0.0
    i, n = 1, len(eq) - 1
    while i <= n:
        if under[i]:
            s = i
            while i <= n and under[i]:
                i += 1
            # stretch runs from the peak (s - 1) to the recovering observation i, or to the end
            end = i if i <= n else n
            length = end - (s - 1)
            if length > best_len:
                best_len, best_ms = length, ts[end] - ts[s - 1]
        else:
            i += 1
    return best_len, best_ms


def return_metrics(ts, eq, bh, ppy, rf_annual=0.0):
    n = len(eq) - 1
    r = eq[1:] / eq[:-1] - 1
    b = bh[1:] / bh[:-1] - 1
    rf = (1 + rf_annual) ** (1 / ppy) - 1
    ex = r - rf
    sd = np.std(r, ddof=1)
    cagr = (eq[-1] / eq[0]) ** (ppy / n) - 1
    peak = np.maximum.accumulate(eq)
    mdd = float(np.max(1 - eq / peak))
    dur, dur_ms = drawdown_duration(eq, ts)
    q = np.quantile(r, 0.05, method='inverted_cdf')
    tail = np.sort(r)[: math.ceil(0.05 * n)]
    X = np.column_stack([np.ones(n), b])
    (alpha, beta), *_ = np.linalg.lstsq(X, r, rcond=None)
    return {
        'totalReturn': eq[-1] / eq[0] - 1,
        'cagr': cagr,
        'annualVolatility': sd * math.sqrt(ppy),
        'sharpe': ex.mean() / sd * math.sqrt(ppy),
        'sortino': ex.mean() / math.sqrt(np.mean(np.minimum(ex, 0) ** 2)) * math.sqrt(ppy),
        'maxDrawdown': mdd,
        'maxDrawdownDurationBars': dur,
        'maxDrawdownDurationMs': dur_ms,
        'calmar': cagr / mdd,
        'var95': -q,
        'cvar95': -tail.mean(),
        'buyAndHoldReturn': bh[-1] / bh[0] - 1,
        'beta': beta,
        'alphaAnnual': alpha * ppy,
    }


def trade_metrics():
    i = np.arange(40, dtype=np.float64)
    pnl = 0.01 * np.sin(1.3 * i) + 0.002
    ret = pnl / 2.0  # entry equity 2
    bars = 1 + (np.arange(40) * 7) % 11
    win, loss = pnl > 0, pnl < 0
    return {
        'trades': 40,
        'winRate': win.mean(),
        'profitFactor': pnl[win].sum() / -pnl[loss].sum(),
        'expectancy': ret.mean(),
        'averageWin': ret[win].mean(),
        'averageLoss': ret[loss].mean(),
        'averageHoldingBars': bars.mean(),
        'averageHoldingMs': (bars * H).mean(),
    }


def portfolio():
    """Three symbols on different clocks; equal weight over the union of timestamps."""
    def sym(k, start, count, step):
        j = np.arange(1, count + 1, dtype=np.float64)
        r = 0.003 * np.sin(0.21 * j + k) + 0.001 * (k - 1)
        b = 0.004 * np.cos(0.17 * j + 2 * k)
        ts = T0 + H * (start + step * np.arange(count + 1, dtype=np.float64))
        return ts, r, b
    syms = [sym(0, 0, 300, 1), sym(1, 40, 100, 2), sym(2, 7, 50, 3)]
    union = np.unique(np.concatenate([ts[1:] for ts, _, _ in syms]))
    R = np.zeros(len(union))
    B = np.zeros(len(union))
    for u_i, u in enumerate(union):
        rs, bs = [], []
        for ts, r, b in syms:
            if ts[0] < u <= ts[-1]:  # window covers u
                hit = np.nonzero(ts[1:] == u)[0]
                rs.append(r[hit[0]] if len(hit) else 0.0)
                bs.append(b[hit[0]] if len(hit) else 0.0)
        R[u_i] = np.mean(rs)
        B[u_i] = np.mean(bs)
    eq = np.concatenate([[1.0], np.cumprod(1 + R)])
    bh = np.concatenate([[1.0], np.cumprod(1 + B)])
    ts = np.concatenate([[min(s[0][0] for s in syms)], union])
    span_years = (union[-1] - union[0]) / (365.25 * 86_400_000)
    spacing = np.median(np.diff(union))
    missing = (union[-1] - union[0] - (len(union) - 1) * spacing) / (union[-1] - union[0])
    ppy = 365.25 * 86_400_000 / spacing if missing <= 0.05 else (len(union) - 1) / span_years
    out = return_metrics(ts, eq, bh, ppy)
    out['bars'] = len(union)
    out['periodsPerYear'] = ppy
    out['finalEquity'] = eq[-1]
    return out


def clean(d):
    return {k: (float(v) if not isinstance(v, (int, np.integer)) else int(v)) for k, v in d.items()}


if __name__ == '__main__':
    ts, eq, bh = path_series(500)
    print(json.dumps({
        'returns_rf0': clean(return_metrics(ts, eq, bh, PPY)),
        'returns_rf3pct': clean(return_metrics(ts, eq, bh, PPY, 0.03)),
        'trades': clean(trade_metrics()),
        'portfolio': clean(portfolio()),
    }, indent=1))
