#!/usr/bin/env python3
"""A deliberately naive second backtest engine, for src-shared/compute/backtest/reference.test.ts.

Run: /usr/bin/python3 scripts/golden/backtest_reference.py   (numpy only, for float32 rounding)

Written from the rules documented in simulate.ts / settings.ts (not translated from the loop):
one bar at a time, one object per trade, plain floats. The market and the predictions are closed-form
formulas that the TypeScript test evaluates identically. Prints, per scenario, the summary numbers
pasted into the test.
"""
import json
import math

import numpy as np

H = 3_600_000
T0 = 1_704_067_200_000  # 2024-01-01T00:00Z
N = 600
SPACING = 4 * H


def market():
    ts = [T0 + t * SPACING for t in range(N)]
    close = [100 * math.exp(0.03 * math.sin(0.11 * t) + 0.02 * math.sin(0.37 * t + 1) + 0.0005 * t) for t in range(N)]
    open_ = [100.0 if t == 0 else close[t - 1] * (1 + 0.004 * math.sin(1.7 * t)) for t in range(N)]
    high = [max(open_[t], close[t]) * (1 + 0.003 + 0.004 * abs(math.sin(2.3 * t))) for t in range(N)]
    low = [min(open_[t], close[t]) * (1 - 0.003 - 0.004 * abs(math.cos(1.9 * t))) for t in range(N)]
    atr = [0.01 * close[t] * (1 + 0.5 * math.sin(0.05 * t)) for t in range(N)]
    probs = []
    for t in range(N):
        if t < 20 or t >= 590:
            probs.append(None)
            continue
        up = 0.2 + 0.6 * (0.5 + 0.5 * math.sin(0.23 * t))
        down = 0.2 + 0.6 * (0.5 + 0.5 * math.cos(0.31 * t))
        flat = 0.3
        s = up + down + flat
        probs.append([float(np.float32(down / s)), float(np.float32(flat / s)), float(np.float32(up / s))])
    funding_col = [0.0002 * math.sin(0.5 * t) if t % 2 == 0 else 0.0 for t in range(N)]
    return ts, open_, high, low, close, atr, probs, funding_col


class Trade:
    pass


def run(cfg):
    ts, O, Hh, L, C, ATR, probs, fcol = market()
    first = next(i for i, p in enumerate(probs) if p is not None)
    last = max(i for i, p in enumerate(probs) if p is not None)
    start, end = first + 1, min(last + 1, N - 1)
    taker, maker = cfg['taker'] / 1e4, cfg['maker'] / 1e4
    slip_bps, slip_atr = cfg.get('slip', 0) / 1e4, cfg.get('slipAtr', 0)
    mm = cfg['mm']

    def funding_rate(t):
        if cfg['funding'] == 'fixed':
            a = ts[t]
            b = ts[t + 1] if t + 1 < N else ts[t] + SPACING
            k = 0
            x = (a // (8 * H)) * (8 * H)
            while x < b:  # brute force over funding times
                if x >= a:
                    k += 1
                x += 8 * H
            return k * cfg['rate']
        if cfg['funding'] == 'column':
            return fcol[t]
        return 0.0

    cash = 1.0
    pos = None  # dict with side, qty, entry info
    blocked = 0
    trades = []
    equity = [1.0] * N
    tot = {'fees': 0.0, 'funding': 0.0, 'slippage': 0.0}

    def fill(side_of_order, ref, t, market_order):
        """side_of_order +1 buy, -1 sell; market orders pay slippage against the trader."""
        if not market_order:
            return ref, 0.0
        adj = ref * slip_bps + slip_atr * ATR[t - 1]
        return max(ref + side_of_order * adj, 0.0), adj

    def close_pos(t, ref, reason, market_order, fee_rate, at_open):
        nonlocal cash, pos
        p = pos
        px, adj = fill(-p['side'], ref, t, market_order)
        fee = p['qty'] * px * fee_rate
        cash += p['side'] * p['qty'] * px - fee
        cash = max(cash, 0.0)
        tot['fees'] += fee
        tot['slippage'] += p['qty'] * adj
        tr = Trade()
        tr.__dict__.update(entryBar=p['bar'], exitBar=t, side=p['side'], reason=reason, entryPrice=p['price'], exitPrice=px,
                           pnl=cash - p['equity'], fees=p['fees'] + fee, funding=p['funding'], size=p['size'],
                           held=t - p['bar'] + (0 if at_open else 1))
        trades.append(tr)
        pos = None

    for t in range(start, end + 1):
        row = probs[t - 1]
        if row is None:
            target = 0
        else:
            k = max(range(3), key=lambda i: (row[i], -i))
            conf = row[k]
            d = {0: -1, 1: 0, 2: 1}[k]
            if conf >= cfg['minConf']:
                target = d
            elif cfg.get('hold'):
                target = pos['side'] if pos else 0
            else:
                target = 0
        if cfg['longOnly'] and target < 0:
            target = 0
        sig_market = cfg.get('signalOrders', 'market') == 'market'
        sig_fee = taker if sig_market else maker
        if pos and cfg.get('maxHold') and pos['held'] >= cfg['maxHold']:
            blocked = pos['side']
            close_pos(t, O[t], 'max-hold', sig_market, sig_fee, True)
        if blocked:
            if target == blocked:
                target = 0
            else:
                blocked = 0
        if pos and target != pos['side']:
            close_pos(t, O[t], 'signal', sig_market, sig_fee, True)
        if not pos and target != 0 and cash > 0:
            if cfg['sizing'] == 'fixed':
                size = cfg['fraction']
            else:  # confidence
                size = cfg['fraction'] * min(max((conf - 1 / 3) / (2 / 3), 0), 1)
            size = min(size, cfg['maxLev'])
            if size > 0:
                px, adj = fill(target, O[t], t, sig_market)
                qty = size * cash / px
                fee = qty * px * sig_fee
                pos = dict(side=target, qty=qty, bar=t, price=px, equity=cash, size=size, fees=fee, funding=0.0, held=0)
                cash -= target * qty * px + fee
                tot['fees'] += fee
                tot['slippage'] += qty * adj
                if cfg.get('stopUnit') == 'atr':
                    dist_sl = cfg['sl'] * ATR[t - 1] if cfg.get('sl') else None
                    dist_tp = cfg['tp'] * ATR[t - 1] if cfg.get('tp') else None
                else:
                    dist_sl = cfg['sl'] * O[t] if cfg.get('sl') else None
                    dist_tp = cfg['tp'] * O[t] if cfg.get('tp') else None
                pos['stop'] = O[t] - target * dist_sl if dist_sl is not None else None
                pos['tp'] = O[t] + target * dist_tp if dist_tp is not None else None
        side_in_bar = pos['side'] if pos else 0
        if pos:
            f = pos['side'] * pos['qty'] * O[t] * funding_rate(t)
            cash -= f
            pos['funding'] += f
            tot['funding'] += f
            s, q = pos['side'], pos['qty']
            # liquidation: cash + s*q*P = mm*q*P
            liq = cash / (q * (mm - s)) if True else None
            tp_market = cfg.get('tpOrders', 'limit') == 'market'
            tp_fee = taker if tp_market else maker
            if s > 0:
                stop = pos['stop'] if pos['stop'] is not None else -math.inf
                tp = pos['tp'] if pos['tp'] is not None else math.inf
                adverse = max(stop, liq)
                if O[t] >= tp:
                    close_pos(t, O[t], 'take-profit', tp_market, tp_fee, False)
                elif L[t] <= adverse:
                    close_pos(t, min(O[t], adverse), 'liquidation' if liq > stop else 'stop', True, taker, False)
                elif Hh[t] >= tp:
                    close_pos(t, tp, 'take-profit', tp_market, tp_fee, False)
            else:
                stop = pos['stop'] if pos['stop'] is not None else math.inf
                tp = pos['tp'] if pos['tp'] is not None else -math.inf
                adverse = min(stop, liq)
                if O[t] <= tp:
                    close_pos(t, O[t], 'take-profit', tp_market, tp_fee, False)
                elif Hh[t] >= adverse:
                    close_pos(t, max(O[t], adverse), 'liquidation' if liq < stop else 'stop', True, taker, False)
                elif L[t] <= tp:
                    close_pos(t, tp, 'take-profit', tp_market, tp_fee, False)
            if pos:
                pos['held'] += 1
                if t == end:
                    close_pos(t, C[t], 'end', True, taker, False)
            else:
                blocked = side_in_bar
        equity[t] = cash + (pos['side'] * pos['qty'] * C[t] if pos else 0.0)
    for t in range(end + 1, N):
        equity[t] = cash

    reasons = {}
    for tr in trades:
        reasons[tr.reason] = reasons.get(tr.reason, 0) + 1
    pick = lambda tr: [tr.entryBar, tr.exitBar, tr.side, tr.reason, tr.entryPrice, tr.exitPrice, tr.pnl, tr.fees, tr.funding, tr.held]
    return {
        'finalEquity': cash,
        'fees': tot['fees'], 'funding': tot['funding'], 'slippage': tot['slippage'],
        'trades': len(trades), 'reasons': reasons,
        'sumPnl': sum(tr.pnl for tr in trades), 'sumAbsPnl': sum(abs(tr.pnl) for tr in trades),
        'sumHeld': sum(tr.held for tr in trades), 'sumSize': sum(tr.size for tr in trades),
        'first': pick(trades[0]), 'last': pick(trades[-1]),
        'equityAt': {str(i): equity[i] for i in (100, 250, 400, 591)},
    }


SCENARIOS = {
    'A': dict(longOnly=False, minConf=0.4, sizing='fixed', fraction=1.5, maxLev=2, sl=0.015, tp=0.03, maxHold=5,
              taker=5, maker=2, slip=2, slipAtr=0.05, funding='fixed', rate=0.0001, mm=0.005),
    'B': dict(longOnly=True, minConf=0.45, hold=True, sizing='confidence', fraction=1, maxLev=1, stopUnit='atr', sl=1.2, tp=2.5,
              taker=5, maker=2, slip=3, signalOrders='limit', tpOrders='market', funding='none', mm=0.005),
    'C': dict(longOnly=False, minConf=0.0, sizing='fixed', fraction=20, maxLev=20, taker=4, maker=2, funding='column', mm=0.01),
}

if __name__ == '__main__':
    print(json.dumps({k: run(v) for k, v in SCENARIOS.items()}, indent=1))
