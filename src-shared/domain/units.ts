/**
 * Branded unit types. A number's unit is part of its type so that milliseconds never meet
 * seconds, and basis points never meet fractions, without an explicit conversion.
 * (Idea from lightweight-charts' `Nominal<number, 'Coordinate'>`.)
 */
declare const unitBrand: unique symbol;
export type Nominal<T, Name extends string> = T & { readonly [unitBrand]: Name };

/** Integer UTC milliseconds since the Unix epoch: the only timestamp unit stored or passed around. */
export type EpochMs = Nominal<number, 'EpochMs'>;
/** A duration in milliseconds (bar spacing, gaps, horizons in time). */
export type DurationMs = Nominal<number, 'DurationMs'>;
/** Basis points: 1 bps = 0.0001 as a fraction. */
export type Bps = Nominal<number, 'Bps'>;
/** A plain fraction: 0.01 means one percent. */
export type Fraction = Nominal<number, 'Fraction'>;

export const epochMs = (n: number): EpochMs => n as EpochMs;
export const durationMs = (n: number): DurationMs => n as DurationMs;
export const bps = (n: number): Bps => n as Bps;
export const fraction = (n: number): Fraction => n as Fraction;
export const bpsToFraction = (b: Bps): Fraction => (b / 10_000) as Fraction;
export const fractionToBps = (f: Fraction): Bps => (f * 10_000) as Bps;
