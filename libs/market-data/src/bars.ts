import { Decimal } from 'decimal.js';
import type { Bar } from './market-data.events.js';

export class InvalidBarError extends Error {
  override readonly name = 'InvalidBarError';
  readonly code = 'INVALID_BAR';
  constructor(readonly index: number, reason: string) {
    super(`bar ${index}: ${reason}`);
  }
}

/** The OHLC invariants a real bar satisfies; a feed that breaks them is refused whole. */
export function checkBars(bars: readonly Bar[]): void {
  const seen = new Set<string>();
  bars.forEach((bar, index) => {
    const [open, high, low, close, volume] = [bar.open, bar.high, bar.low, bar.close, bar.volume].map((v) => new Decimal(v));
    if ([open, high, low, close].some((p) => p.lte(0))) throw new InvalidBarError(index, 'prices must be positive');
    if (volume.isNegative()) throw new InvalidBarError(index, 'volume must not be negative');
    if (high.lt(Decimal.max(open, close, low))) throw new InvalidBarError(index, 'high is below open, close or low');
    if (low.gt(Decimal.min(open, close))) throw new InvalidBarError(index, 'low is above open or close');
    if (seen.has(bar.time)) throw new InvalidBarError(index, `duplicate time ${bar.time} in one batch`);
    seen.add(bar.time);
  });
}

/** The bar with the latest time: the price that marks positions and drives fills. */
export function latestBar(bars: readonly Bar[]): Bar {
  return bars.reduce((latest, bar) => (bar.time > latest.time ? bar : latest));
}
