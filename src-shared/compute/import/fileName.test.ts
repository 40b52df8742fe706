import { describe, expect, it } from 'vitest';
import { symbolAndTimeframeFromFileName } from './fileName.js';

const M = 60_000;
const H = 60 * M;
const D = 24 * H;

describe('symbolAndTimeframeFromFileName', () => {
  const cases: [string, string | null, number | null, string | null][] = [
    ['BTC_USDT_5m.csv', 'BTC/USDT', 5 * M, null],
    ['BTCUSDT-1h-2024-12.csv', 'BTCUSDT', H, null],
    ['BINANCE_SOLUSDT, 15.csv', 'SOLUSDT', 15 * M, 'BINANCE'],
    ['BINANCE_BTCUSDT, 1D.csv', 'BTCUSDT', D, 'BINANCE'],
    ['BINANCE_BTCUSDT.P, 240.csv', 'BTCUSDT.P', 4 * H, 'BINANCE'],
    ['ETHUSD60.csv', 'ETHUSD', H, null],
    ['EURUSD60.csv', 'EURUSD', H, null],
    ['XAUUSD1440.csv', 'XAUUSD', D, null],
    ['EURUSD_H4_201901020000_202001010000.csv', 'EURUSD', 4 * H, null],
    ['EURUSD_M15_2019.csv', 'EURUSD', 15 * M, null],
    ['GBPUSD_D1.csv', 'GBPUSD', D, null],
    ['EURUSD_MN1.csv', 'EURUSD', null, null],
    ['Binance_BTCUSDT_d.csv', 'BTCUSDT', D, 'BINANCE'],
    ['Binance_BTCUSDT_1h.csv', 'BTCUSDT', H, 'BINANCE'],
    ['Bitstamp_BTCUSD_2021_minute.csv', 'BTCUSD', M, 'BITSTAMP'],
    ['BTCUSDT_Binance_futures_data_day.csv', 'BTCUSDT', D, 'BINANCE'],
    ['ETH_BTC-5m.json', 'ETH/BTC', 5 * M, null],
    ['LINKUSDT-1m-2023-02.csv', 'LINKUSDT', M, null],
    ['nvda-1999-2014.txt', 'NVDA', null, null],
    ['BTCUSDT-1s-2025-01-01.csv.gz', 'BTCUSDT', 1000, null],
    ['C:\\data\\sol-usdt-15min.csv', 'SOL/USDT', 15 * M, null],
    ['/home/me/US30.csv', 'US30', null, null],
    ['BTCUSDT-1M-2024.csv', 'BTCUSDT', null, null],
    ['data.csv', null, null, null],
  ];
  for (const [name, symbol, tf, exchange] of cases) {
    it(`reads ${name}`, () => {
      expect(symbolAndTimeframeFromFileName(name)).toEqual({ symbol, timeframeMs: tf, exchange });
    });
  }
});
