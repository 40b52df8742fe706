#!/usr/bin/env python3
"""Golden values for src-shared/compute/analytics, computed independently with NumPy and SciPy.

Run from the repository root:
    /usr/bin/python3 src-shared/compute/analytics/__fixtures__/reference.py > src-shared/compute/analytics/__fixtures__/golden.ts
(Debian: apt-get install -y python3-numpy python3-scipy; written against numpy 1.24, scipy 1.10.)

The Monte Carlo goldens re-implement the project's mulberry32 (src-shared/compute/random.ts) and the
resampling loops in Python, so the TypeScript and the NumPy percentiles come from the same draws.
"""
import json
import numpy as np
from scipy import stats

rng = np.random.default_rng(20261202)

# --- inputs -------------------------------------------------------------------------------------
n = 400
# AR(1) bar returns with fat tails so that autocorrelation, skew and kurtosis are all non-trivial.
eps = rng.standard_t(df=4, size=n) * 0.004
r = np.empty(n)
r[0] = eps[0]
for t in range(1, n):
    r[t] = 0.15 * r[t - 1] + eps[t] + 0.0002
r = np.round(r, 6)
equity = np.concatenate([[1.0], np.cumprod(1 + r)])
trade_returns = np.round(rng.normal(0.004, 0.03, size=60), 5)
trade_returns[10] = 0.0  # a zero trade breaks both streaks
ppy = 8760.0
lags = 5

# --- more metrics -------------------------------------------------------------------------------
def acf(x, k):
    m = x.mean()
    d = x - m
    return float(np.sum(d[k:] * d[:-k]) / np.sum(d * d))

def eta(x, q, lags):
    s = sum((q - k) * acf(x, k) for k in range(1, min(lags, int(np.ceil(q)) - 1, len(x) - 1) + 1))
    return q / np.sqrt(q + 2 * s)

def streaks(x):
    best_w = best_l = w = l = 0
    for v in x:
        w = w + 1 if v > 0 else 0
        l = l + 1 if v < 0 else 0
        best_w, best_l = max(best_w, w), max(best_l, l)
    return best_w, best_l

peak = np.maximum.accumulate(equity)
dd = 1 - equity / peak
max_dd = float(dd.max())
total = float(equity[-1] / equity[0] - 1)
cagr = float((equity[-1] / equity[0]) ** (ppy / n) - 1)
downside = np.sqrt(np.mean(np.minimum(r, 0) ** 2))
tw, tl = streaks(trade_returns)
bw, bl = streaks(r)
metrics = {
    'omega': float(np.sum(np.maximum(r, 0)) / np.sum(np.maximum(-r, 0))),
    'sharpeAutocorrelationAdjusted': float(eta(r, ppy, lags) * r.mean() / r.std(ddof=1)),
    'sortinoAutocorrelationAdjusted': float(eta(r, ppy, lags) * r.mean() / downside),
    'autocorrelationLag1': acf(r, 1),
    'longestWinStreakTrades': tw,
    'longestLossStreakTrades': tl,
    'longestWinStreakBars': bw,
    'longestLossStreakBars': bl,
    'ulcerIndex': float(np.sqrt(np.mean(dd[1:] ** 2))),
    'recoveryFactor': total / max_dd,
    'tailRatio': float(abs(np.percentile(r, 95)) / abs(np.percentile(r, 5))),
    'gainToPain': float(r.sum() / abs(r[r < 0].sum())),
    'skewness': float(stats.skew(r)),
    'excessKurtosis': float(stats.kurtosis(r)),
    'calmar': cagr / max_dd,
}

# --- signal quality -----------------------------------------------------------------------------
m = 500
score = np.round(rng.normal(size=m), 1)  # rounded: many ties for the rank IC
fwd = np.round(0.3 * score * 0.01 + rng.normal(scale=0.01, size=m), 4)
fwd[[3, 77, 499]] = np.nan
group = rng.integers(0, 3, size=m)
ts = (1_700_000_000_000 + np.arange(m) * 6 * 3_600_000).astype(np.float64)  # 6-hour samples over ~4 months

def ic(mask):
    ok = mask & np.isfinite(fwd)
    return {'n': int(ok.sum()), 'ic': float(stats.pearsonr(score[ok], fwd[ok])[0]), 'rankIc': float(stats.spearmanr(score[ok], fwd[ok])[0])}

months = (np.array(ts, dtype='datetime64[ms]').astype('datetime64[M]'))
signal = {
    'overall': ic(np.ones(m, dtype=bool)),
    'byGroup': [ic(group == g) for g in range(3)],
    'byMonth': [dict(month=str(mo), **ic(months == mo)) for mo in np.unique(months)],
}

# --- Monte Carlo with the project's mulberry32 ----------------------------------------------------
def mulberry32(seed):
    a = seed & 0xFFFFFFFF
    def imul(x, y):
        return (x * y) & 0xFFFFFFFF
    def nxt():
        nonlocal a
        a = (a + 0x6D2B79F5) & 0xFFFFFFFF
        t = a
        t = imul(t ^ (t >> 15), t | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296
    return nxt

def below(rng_, k):
    return int(np.floor(rng_() * k))

def path_stats(steps_returns):
    eq = np.concatenate([[1.0], np.cumprod(1 + steps_returns)])
    pk = np.maximum.accumulate(eq)
    mdd = float(np.max(1 - eq / pk))
    # longest stretch from a peak until equity is back at or above it (or the end)
    longest, peak_val, peak_at = 0, eq[0], 0
    for j in range(1, len(eq)):
        if eq[j] >= peak_val:
            if j - peak_at > 1:
                longest = max(longest, j - peak_at)
            peak_val, peak_at = eq[j], j
    longest = max(longest, len(eq) - 1 - peak_at)
    return float(eq[-1] - 1), mdd, longest

def summarize(finals, mdds, longs, threshold):
    finals, mdds, longs = map(np.array, (finals, mdds, longs))
    worst = np.sort(finals)[: int(np.ceil(0.05 * len(finals)))].mean()
    pct = lambda x: {'p5': float(np.percentile(x, 5)), 'p50': float(np.percentile(x, 50)), 'p95': float(np.percentile(x, 95))}
    return {'finalReturn': pct(finals), 'maxDrawdown': pct(mdds), 'longestDrawdown': pct(longs),
            'worst5PercentFinalReturn': float(worst), 'probabilityDrawdownBeyond': float(np.mean(mdds > threshold))}

def trade_mc(method, paths, seed, threshold):
    g = mulberry32(seed)
    k = len(trade_returns)
    out = [[], [], []]
    for _ in range(paths):
        if method == 'bootstrap':
            x = np.array([trade_returns[below(g, k)] for _ in range(k)])
        else:
            x = trade_returns.copy()
            for i in range(k - 1, 0, -1):
                j = below(g, i + 1)
                x[i], x[j] = x[j], x[i]
        for acc, v in zip(out, path_stats(x)):
            acc.append(v)
    return summarize(*out, threshold)

def block_mc(paths, seed, block, threshold):
    g = mulberry32(seed)
    out = [[], [], []]
    for _ in range(paths):
        idx = []
        while len(idx) < n:
            s = below(g, n - block + 1)
            idx.extend(range(s, s + block))
        for acc, v in zip(out, path_stats(r[np.array(idx[:n])])):
            acc.append(v)
    return summarize(*out, threshold)

monte_carlo = {
    'bootstrap': trade_mc('bootstrap', 200, 7, 0.2),
    'reorder': trade_mc('reorder', 200, 7, 0.2),
    'block': block_mc(200, 11, 8, 0.05),
}

def arr(x):
    return '[' + ', '.join(repr(float(v)) if np.isfinite(v) else 'NaN' for v in x) + ']'

print('// Produced by src-shared/compute/analytics/__fixtures__/reference.py (NumPy ' + np.__version__ + ', SciPy ' + __import__('scipy').__version__ + ') — do not edit by hand.')
print(f'export const PERIODS_PER_YEAR = {ppy};')
print(f'export const LAGS = {lags};')
print(f'export const BAR_RETURNS = Float64Array.from({arr(r)});')
print(f'export const TRADE_RETURNS = Float64Array.from({arr(trade_returns)});')
print(f'export const SCORE = Float64Array.from({arr(score)});')
print(f'export const FORWARD = Float64Array.from({arr(fwd)});')
print(f'export const GROUP = Int32Array.from({arr(group)});')
print(f'export const SAMPLE_TS = Float64Array.from({arr(ts)});')
print(f'export const METRICS = {json.dumps(metrics)} as const;')
print(f'export const SIGNAL = {json.dumps(signal)} as const;')
print(f'export const MONTE_CARLO = {json.dumps(monte_carlo)} as const;')
