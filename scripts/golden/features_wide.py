#!/usr/bin/python3
"""Golden values for the wide catalog's own families (src-shared/compute/features/wide.ts), computed
independently with pandas on the same fixture as features_indicators.py.

Usage (from the repository root):
  python3 scripts/golden/features_wide.py   # paste into src-shared/compute/features/wide.test.ts

Conventions reproduced (see wide.ts): coarse bars are UTC-epoch buckets of M minutes holding the
base bars that open in them; a coarse bar is complete at base bar t when t's close (open + bar
length) reaches its end, or when a later bucket has begun. Regimes use expanding statistics.
"""
import json
import math
import os
import sys

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(__file__))
from features_indicators import N, fixture, wilder  # noqa: E402


def coarse_index(d, minutes):
    period = minutes * 60_000
    step = int(np.diff(d.ts.values).min())
    bucket = d.ts.values // period
    closes = d.close.groupby(bucket).last()
    completed = np.zeros(len(d), dtype=int)
    order = {b: i for i, b in enumerate(closes.index)}
    for t in range(len(d)):
        before = order[bucket[t]]  # buckets that began earlier are complete
        own = 1 if t > 0 and d.ts.values[t] + step >= (bucket[t] + 1) * period else 0
        completed[t] = before + own
    return closes.reset_index(drop=True), completed


def spread(values, completed):
    values = np.asarray(values, dtype=float)
    return pd.Series([values[m - 1] if m > 0 else np.nan for m in completed])


def rsi(c, n):
    delta = c.diff()
    ag = wilder(delta.clip(lower=0), n)
    al = wilder((-delta).clip(lower=0), n)
    return 100 - 100 / (1 + ag / al)


def golden(d):
    c = d.close
    g = {}
    when = pd.to_datetime(d.ts, unit="ms", utc=True)
    g["month_sin"] = np.sin(2 * np.pi * (when.dt.month - 1) / 12)
    g["month_cos"] = np.cos(2 * np.pi * (when.dt.month - 1) / 12)
    g["dom_sin"] = np.sin(2 * np.pi * (when.dt.day - 1) / when.dt.days_in_month)
    g["dom_cos"] = np.cos(2 * np.pi * (when.dt.day - 1) / when.dt.days_in_month)
    h = when.dt.hour
    g["session_asia"] = ((h >= 0) & (h < 8)).astype(float)
    g["session_europe"] = ((h >= 7) & (h < 16)).astype(float)
    g["session_us"] = ((h >= 13) & (h < 22)).astype(float)
    g["weekend"] = (when.dt.dayofweek >= 5).astype(float)
    for minutes, ks in ((240, (1, 3, 6)), (1440, (1, 2))):
        cc, completed = coarse_index(d, minutes)
        clr = np.log(cc / cc.shift(1))
        for k in ks:
            g[f"htf_logret_{minutes}_{k}"] = spread(np.log(cc / cc.shift(k)), completed)
        g[f"htf_rv_{minutes}_{3}"] = spread(clr.rolling(3).std(), completed)
        g[f"htf_rsi_{minutes}_{5}"] = spread(rsi(cc, 5), completed)
        g[f"htf_sma_dist_{minutes}_{4}"] = pd.Series(
            [c.iloc[t] / cc.iloc[m - 4:m].mean() - 1 if m >= 4 else np.nan for t, m in enumerate(completed)]
        )
    lr1 = np.log(c / c.shift(1))
    for n in (20, 50):
        rv = lr1.rolling(n).std()
        pr = pd.Series(np.nan, index=c.index)
        for t in range(len(c)):
            if np.isfinite(rv.iloc[t]):
                past = rv.iloc[: t + 1]
                pr.iloc[t] = (past <= rv.iloc[t]).sum() / past.notna().sum()
        g[f"vol_pctrank_{n}"] = pr
        g[f"vol_regime_{n}"] = pr.map(lambda p: np.nan if np.isnan(p) else 0.0 if p <= 1 / 3 else 1.0 if p <= 2 / 3 else 2.0)
        r = np.log(c / c.shift(n))
        band = rv.expanding().median() * math.sqrt(n)
        g[f"trend_regime_{n}"] = pd.Series(np.where(r.isna() | band.isna(), np.nan, np.where(r > band, 1.0, np.where(r < -band, -1.0, 0.0))))
    return g


def cross_assets(d):
    """Two more assets built from the fixture itself, so both languages read the same numbers:
    B = the opens, with bars 50–59 and 150 missing (alignment must fall back to the last bar);
    C = the highs. The run's assets are [B, A (the target, the closes), C]: B is the reference."""
    keep = np.ones(len(d), dtype=bool)
    keep[50:60] = False
    keep[150] = False
    b = pd.DataFrame({"ts": d.ts[keep].values, "close": d.open[keep].values})
    c = pd.DataFrame({"ts": d.ts.values, "close": d.high.values})
    return b, c


def aligned(target_ts, asset, values):
    frame = pd.DataFrame({"ts": asset.ts.values, "v": np.asarray(values, dtype=float)})
    out = pd.merge_asof(pd.DataFrame({"ts": target_ts.values}), frame, on="ts", direction="backward")
    return out.v


def cross_golden(d):
    b, c = cross_assets(d)
    g = {}
    g["xref_logret_1"] = aligned(d.ts, b, np.log(b.close / b.close.shift(1)))
    g["xref_logret_4"] = aligned(d.ts, b, np.log(b.close / b.close.shift(4)))
    g["xref_rv_5"] = aligned(d.ts, b, np.log(b.close / b.close.shift(1)).rolling(5).std())
    for k in (1, 3):
        rows = pd.DataFrame({
            "b": aligned(d.ts, b, np.log(b.close / b.close.shift(k))),
            "a": np.log(d.close / d.close.shift(k)).values,
            "c": aligned(d.ts, c, np.log(c.close / c.close.shift(k))),
        })
        ranks = rows.rank(axis=1, pct=True, method="max")
        g[f"xrank_logret_{k}"] = ranks.a.where(rows.a.notna())
    return g


def emit_golden(g):
    print("// Produced by scripts/golden/features_wide.py (pandas", pd.__version__, ", numpy", np.__version__, ")")
    print("const GOLDEN: Record<string, { firstValid: number; at: Record<number, number> }> = {")
    for name, series in g.items():
        arr = np.asarray(series, dtype=float)
        finite = np.flatnonzero(np.isfinite(arr))
        first = int(finite[0])
        picks = {first, first + 1, first + 2, 55, 60, 119, 121, 122, 150, 151, 200, 201, 230, 240, N - 1}
        # Regime labels are mostly 0: also the first bars where each other label occurs.
        if "regime" in name:
            for label in (-1.0, 1.0, 2.0):
                picks |= set(int(i) for i in np.flatnonzero(arr == label)[:3])
        picks = sorted(picks)
        at = ", ".join(f"{i}: {repr(float(arr[i]))}" for i in picks if first <= i < N and np.isfinite(arr[i]))
        print(f"  {json.dumps(name)}: {{ firstValid: {first}, at: {{ {at} }} }},")
    print("};")


if __name__ == "__main__":
    d = fixture()
    emit_golden({**golden(d), **cross_golden(d)})
