#!/usr/bin/python3
"""Golden values for src-shared/compute/features, computed independently with pandas/numpy.

Usage (from the repository root):
  /usr/bin/python3 scripts/golden/features_indicators.py fixture > src-shared/compute/features/__fixtures__/golden-ohlcv.ts
  /usr/bin/python3 scripts/golden/features_indicators.py golden   # paste into indicators.test.ts

The fixture is a seeded random walk (numpy default_rng(20240601)), rounded to cents so that both
languages parse exactly the same decimal inputs. Conventions reproduced here (see the TS TSDoc):
Wilder smoothing / EMA = recursive smoothing seeded by the SMA of the first n values (pandas
ewm(adjust=False) started from that seed); rolling std ddof=1 except Bollinger (ddof=0).
"""
import json
import math
import sys

import numpy as np
import pandas as pd

N = 260
T0 = 1704067200000  # 2024-01-01T00:00:00Z, a Monday
STEP = 3_600_000


def fixture():
    rng = np.random.default_rng(20240601)
    close = [100.0]
    for _ in range(N - 1):
        close.append(round(close[-1] * math.exp(rng.normal(0.0002, 0.01)), 2))
    close = np.array(close)
    close[120] = close[119]  # an unchanged close: zero change for RSI/OBV/MFI
    close[121] = close[120]
    open_ = np.empty(N)
    open_[0] = 100.0
    open_[1:] = np.round(close[:-1] * (1 + rng.normal(0, 0.001, N - 1)), 2)
    top = np.maximum(open_, close)
    bot = np.minimum(open_, close)
    high = np.round(top + np.abs(rng.normal(0, 0.4, N)), 2)
    low = np.round(bot - np.abs(rng.normal(0, 0.4, N)), 2)
    volume = np.round(rng.lognormal(3, 0.6, N), 2)
    # A zero-range bar (all four prices equal).
    open_[200] = close[200]
    high[200] = close[200]
    low[200] = close[200]
    ts = T0 + STEP * np.arange(N) + 17 * 60_000  # bars open at :17 to exercise fractional hours
    return pd.DataFrame({"ts": ts, "open": open_, "high": high, "low": low, "close": close, "volume": volume})


def seeded(x, n, alpha):
    x = pd.Series(x, dtype=float)
    out = pd.Series(np.nan, index=x.index)
    first = x.first_valid_index()
    seed_at = first + n - 1
    if seed_at >= len(x):
        return out
    tail = pd.concat([pd.Series([x.iloc[first:first + n].mean()], index=[seed_at]), x.iloc[seed_at + 1:]])
    out.iloc[seed_at:] = tail.ewm(alpha=alpha, adjust=False).mean().values
    return out


def wilder(x, n):
    return seeded(x, n, 1.0 / n)


def ema(x, n):
    return seeded(x, n, 2.0 / (n + 1))


def true_range(d):
    pc = d.close.shift(1)
    tr = pd.concat([d.high - d.low, (d.high - pc).abs(), (d.low - pc).abs()], axis=1).max(axis=1)
    tr.iloc[0] = np.nan
    return tr


def golden(d):
    c, h, l, o, v = d.close, d.high, d.low, d.open, d.volume
    g = {}
    lr1 = np.log(c / c.shift(1))
    g["logret_1"] = lr1
    g["logret_5"] = np.log(c / c.shift(5))
    g["ret_3"] = c / c.shift(3) - 1
    g["rv_20"] = lr1.rolling(20).std()
    g["parkinson_20"] = np.sqrt((np.log(h / l) ** 2).rolling(20).mean() / (4 * math.log(2)))
    gk = (0.5 * np.log(h / l) ** 2 - (2 * math.log(2) - 1) * np.log(c / o) ** 2).rolling(20).mean()
    g["gk_20"] = np.sqrt(gk.clip(lower=0))
    g["atr_14"] = wilder(true_range(d), 14)
    delta = c.diff()
    ag = wilder(delta.clip(lower=0), 14)
    al = wilder((-delta).clip(lower=0), 14)
    g["rsi_14"] = 100 - 100 / (1 + ag / al)
    line = ema(c, 12) - ema(c, 26)
    sig = ema(line, 9)
    g["macd_line"], g["macd_signal"], g["macd_hist"] = line, sig, line - sig
    m = c.rolling(20).mean()
    s = c.rolling(20).std(ddof=0)
    g["bb_pctb_20"] = (c - (m - 2 * s)) / (4 * s)
    g["bb_width_20"] = 4 * s / m
    ll, hh = l.rolling(14).min(), h.rolling(14).max()
    k = 100 * (c - ll) / (hh - ll)
    g["stoch_k_14"] = k
    g["stoch_d_14_3"] = k.rolling(3).mean()
    g["willr_14"] = -100 * (hh - c) / (hh - ll)
    tp = (h + l + c) / 3
    md = tp.rolling(20).apply(lambda x: np.abs(x - x.mean()).mean(), raw=True)
    g["cci_20"] = (tp - tp.rolling(20).mean()) / (0.015 * md)
    up, down = h.diff(), -l.diff()
    pdm = pd.Series(np.where((up > down) & (up > 0), up, 0.0)); pdm.iloc[0] = np.nan
    mdm = pd.Series(np.where((down > up) & (down > 0), down, 0.0)); mdm.iloc[0] = np.nan
    s_tr = wilder(true_range(d), 14)
    pdi = 100 * wilder(pdm, 14) / s_tr
    mdi = 100 * wilder(mdm, 14) / s_tr
    dx = 100 * (pdi - mdi).abs() / (pdi + mdi)
    g["plus_di_14"], g["minus_di_14"], g["adx_14"] = pdi, mdi, wilder(dx, 14)
    obv = (np.sign(c.diff()) * v).fillna(0).cumsum()
    g["obv"] = obv
    g["obv_flow_20"] = (obv - obv.shift(20)) / v.rolling(20).sum()
    mf = tp * v
    dtp = tp.diff()
    pos = mf.where(dtp > 0, 0.0); pos.iloc[0] = np.nan
    neg = mf.where(dtp < 0, 0.0); neg.iloc[0] = np.nan
    g["mfi_14"] = 100 - 100 / (1 + pos.rolling(14).sum() / neg.rolling(14).sum())
    g["vwap_dist_20"] = c / ((tp * v).rolling(20).sum() / v.rolling(20).sum()) - 1
    for n in (7, 25, 99, 200):
        g[f"sma_dist_{n}"] = c / c.rolling(n).mean() - 1
        g[f"ema_dist_{n}"] = c / ema(c, n) - 1
    rng_ = (h - l).replace(0, np.nan)
    g["candle_body"] = ((c - o) / rng_).fillna(0)
    g["candle_upper"] = ((h - np.maximum(o, c)) / rng_).fillna(0)
    g["candle_lower"] = ((np.minimum(o, c) - l) / rng_).fillna(0)
    g["vol_z_20"] = (v - v.rolling(20).mean()) / v.rolling(20).std()
    when = pd.to_datetime(d.ts, unit="ms", utc=True)
    hour = when.dt.hour + when.dt.minute / 60
    g["hour_sin"] = np.sin(2 * np.pi * hour / 24)
    g["hour_cos"] = np.cos(2 * np.pi * hour / 24)
    g["dow_sin"] = np.sin(2 * np.pi * when.dt.dayofweek / 7)
    g["dow_cos"] = np.cos(2 * np.pi * when.dt.dayofweek / 7)
    return g


def emit_golden(g):
    print("// Produced by scripts/golden/features_indicators.py golden (pandas", pd.__version__, ", numpy", np.__version__, ")")
    print("const GOLDEN: Record<string, { firstValid: number; at: Record<number, number> }> = {")
    for name, series in g.items():
        arr = np.asarray(series, dtype=float)
        finite = np.flatnonzero(np.isfinite(arr))
        first = int(finite[0])
        picks = sorted({first, first + 1, 60, 119, 121, 122, 150, 200, 201, 230, N - 1})
        at = ", ".join(f"{i}: {repr(float(arr[i]))}" for i in picks if i >= first and np.isfinite(arr[i]))
        print(f"  {json.dumps(name)}: {{ firstValid: {first}, at: {{ {at} }} }},")
    print("};")


def emit_fixture(d):
    print("// Produced by scripts/golden/features_indicators.py fixture — do not edit by hand.")
    print("// Seeded random walk (numpy default_rng(20240601)), prices rounded to cents; bar 200 has zero range,")
    print("// closes 119–121 are equal.")
    for col in ("ts", "open", "high", "low", "close", "volume"):
        vals = ", ".join(str(int(x)) if col == "ts" else repr(float(x)) for x in d[col])
        print(f"export const GOLDEN_{col.upper()} = [{vals}];")


if __name__ == "__main__":
    d = fixture()
    if sys.argv[1:] == ["fixture"]:
        emit_fixture(d)
    else:
        emit_golden(golden(d))
