import { atr, bollinger, ema, macd, rsi, sma, type Bands, type Macd } from './indicators.js';
import type { OhlcvSeries } from './series.js';

export type PriceField = 'open' | 'high' | 'low' | 'close' | 'volume';

/**
 * Memoized indicators of one series. A 100×100 SMA grid needs 100 distinct SMA arrays, not 20,000: the cache lives
 * as long as the series object (WeakMap), and cached arrays are shared, so callers must never write into them.
 */
export interface SeriesIndicators {
  sma(period: number, field?: PriceField): Float64Array;
  ema(period: number, field?: PriceField): Float64Array;
  rsi(period: number, field?: PriceField): Float64Array;
  macd(fast: number, slow: number, signal: number, field?: PriceField): Macd;
  bollinger(period: number, k: number, field?: PriceField): Bands;
  atr(period: number): Float64Array;
  /** Memoize anything else derived from the series under a caller-chosen key. */
  memo<T>(key: string, compute: () => T): T;
  readonly size: number;
}

const bySeries = new WeakMap<OhlcvSeries, SeriesIndicators>();

export function indicators(series: OhlcvSeries): SeriesIndicators {
  let found = bySeries.get(series);
  if (!found) {
    found = createCache(series);
    bySeries.set(series, found);
  }
  return found;
}

function createCache(series: OhlcvSeries): SeriesIndicators {
  const store = new Map<string, unknown>();
  const memo = <T>(key: string, compute: () => T): T => {
    let v = store.get(key) as T | undefined;
    if (v === undefined) {
      v = compute();
      store.set(key, v);
    }
    return v;
  };
  return {
    sma: (p, f = 'close') => memo(`sma:${f}:${p}`, () => sma(series[f], p)),
    ema: (p, f = 'close') => memo(`ema:${f}:${p}`, () => ema(series[f], p)),
    rsi: (p, f = 'close') => memo(`rsi:${f}:${p}`, () => rsi(series[f], p)),
    macd: (fa, sl, si, f = 'close') => memo(`macd:${f}:${fa}:${sl}:${si}`, () => macd(series[f], fa, sl, si)),
    bollinger: (p, k, f = 'close') => memo(`bb:${f}:${p}:${k}`, () => bollinger(series[f], p, k)),
    atr: (p) => memo(`atr:${p}`, () => atr(series.high, series.low, series.close, p)),
    memo,
    get size() { return store.size; },
  };
}
