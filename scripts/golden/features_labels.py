#!/usr/bin/python3
"""Golden labels for src-shared/compute/labels, computed independently with pandas/numpy on the
fixture of features_indicators.py (src-shared/compute/features/__fixtures__/golden-ohlcv.ts).

Usage (from the repository root): /usr/bin/python3 scripts/golden/features_labels.py
Prints label strings (one character per row: the class id, or '.' for no label) to paste into
src-shared/compute/labels/labels.test.ts.
"""
import math
import os
import sys

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(__file__))
from features_indicators import fixture  # noqa: E402


def encode(labels):
    return "".join("." if x < 0 else str(int(x)) for x in labels)


def direction(c, h, band, scheme):
    r = c.shift(-h) / c - 1
    out = []
    for t in range(len(c)):
        rt, b = r.iloc[t], band.iloc[t] if isinstance(band, pd.Series) else band
        if not (np.isfinite(rt) and np.isfinite(b)):
            out.append(-1)
        elif rt > b:
            out.append(2 if scheme == "ufd" else 1)
        elif rt < -b:
            out.append(0)
        else:
            out.append(1 if scheme == "ufd" else -1)
    return out


def triple_barrier(d, h, pt, sl, scheme):
    c, hi, lo = d.close.values, d.high.values, d.low.values
    n = len(c)
    labels, touched, exit_off = [], [], []
    for t in range(n):
        p, s = (pt[t], sl[t]) if hasattr(pt, "__len__") else (pt, sl)
        if t + h >= n or not (np.isfinite(p) and np.isfinite(s)):
            labels.append(-1); touched.append(0); exit_off.append(0)
            continue
        p = p if p > 0 else math.inf
        s = s if s > 0 else math.inf
        up, dn = c[t] * (1 + p), c[t] * (1 - s)
        lab, tch, off = None, 0, h
        for k in range(1, h + 1):
            if lo[t + k] <= dn:  # tie rule: stop-loss wins when both are touched in one bar
                lab, tch, off = 0, -1, k
                break
            if hi[t + k] >= up:
                lab, tch, off = (2 if scheme == "ufd" else 1), 1, k
                break
        if lab is None:
            if scheme == "ufd":
                lab = 1
            else:
                r = c[t + h] / c[t] - 1
                lab = 1 if r > 0 else 0 if r < 0 else -1
        labels.append(lab); touched.append(tch if lab >= 0 else 0); exit_off.append(off if lab >= 0 else 0)
    return labels, touched, exit_off


def main():
    d = fixture()
    c = d.close
    print("// Produced by scripts/golden/features_labels.py (pandas", pd.__version__, ", numpy", np.__version__, ")")
    print("export const GOLDEN_LABELS = {")
    print(f"  directionBand10h5: '{encode(direction(c, 5, 10 / 10_000, 'ufd'))}',")
    sigma = np.log(c / c.shift(1)).rolling(20).std()
    print(f"  directionVol20k05h5UpDown: '{encode(direction(c, 5, 0.5 * sigma * math.sqrt(5), 'ud'))}',")
    lab, tch, off = triple_barrier(d, 10, 0.02, 0.015, "ufd")
    print(f"  tripleFixed2pc15H10: '{encode(lab)}',")
    print(f"  tripleFixed2pc15H10Touched: '{''.join('-0+'[x + 1] for x in tch)}',")
    print(f"  tripleFixed2pc15H10Exit: [{', '.join(map(str, off))}],")
    lab, tch, off = triple_barrier(d, 10, (1.0 * sigma * math.sqrt(10)).values, (1.5 * sigma * math.sqrt(10)).values, "ud")
    print(f"  tripleVol20H10UpDown: '{encode(lab)}',")
    fwd = np.log(c.shift(-5) / c)
    picks = [0, 1, 100, 200, 254]
    print("  forwardLogReturnH5: { " + ", ".join(f"{i}: {repr(float(fwd.iloc[i]))}" for i in picks) + " },")
    print("};")


if __name__ == "__main__":
    main()
