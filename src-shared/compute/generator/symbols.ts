/**
 * Symbol names and realistic starting levels for generated markets.
 *
 * Levels are round figures of the order seen on spot exchanges in 2024; they only need to look
 * plausible on a chart and give each symbol its own price scale, volatility and turnover.
 */
import { createRandomStream, deriveSeed, hashString } from './streams.js';

export interface SymbolProfile {
  readonly symbol: string;
  /** First open. */
  readonly startPrice: number;
  /** Annualised volatility of log returns (0.6 = 60 %/√year). */
  readonly annualVol: number;
  /** Typical traded amount per day, in units of the base asset. */
  readonly dailyVolume: number;
}

const KNOWN_PROFILES: readonly SymbolProfile[] = [
  { symbol: 'BTC/USDT', startPrice: 60_000, annualVol: 0.6, dailyVolume: 25_000 },
  { symbol: 'ETH/USDT', startPrice: 3_000, annualVol: 0.75, dailyVolume: 300_000 },
  { symbol: 'SOL/USDT', startPrice: 150, annualVol: 1.0, dailyVolume: 3_000_000 },
  { symbol: 'BNB/USDT', startPrice: 550, annualVol: 0.7, dailyVolume: 800_000 },
  { symbol: 'XRP/USDT', startPrice: 0.55, annualVol: 0.9, dailyVolume: 1_000_000_000 },
  { symbol: 'ADA/USDT', startPrice: 0.45, annualVol: 0.9, dailyVolume: 800_000_000 },
];

/** `n` default names: BTC/USDT, ETH/USDT, SOL/USDT, BNB/USDT, XRP/USDT, ADA/USDT, then SYM7/USDT, SYM8/USDT… */
export function defaultSymbols(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(i < KNOWN_PROFILES.length ? KNOWN_PROFILES[i]!.symbol : `SYM${i + 1}/USDT`);
  return out;
}

/**
 * The profile of a symbol: the table's for known names; otherwise one drawn from the symbol's
 * name (not the generator seed), so an unknown symbol keeps its price level across seeds.
 */
export function symbolProfile(symbol: string): SymbolProfile {
  const known = KNOWN_PROFILES.find((p) => p.symbol === symbol);
  if (known) return known;
  const rng = createRandomStream(deriveSeed(hashString(symbol), 0x5eed));
  // Log-uniform between 0.1 and 1000, rounded to 3 significant digits like a listed price.
  const startPrice = Number((10 ** (-1 + 4 * rng.uniform())).toPrecision(3));
  const annualVol = 0.7 + 0.5 * rng.uniform();
  // About 50 M of quote currency a day, whatever the price level.
  const dailyVolume = Number((5e7 / startPrice).toPrecision(2));
  return { symbol, startPrice, annualVol, dailyVolume };
}
