import { indicators } from './indicator-cache.js';
import type { OhlcvSeries } from './series.js';
import type { Signals } from './strategy.js';

// A walk-forward test fold runs on [from − lookback, to) with startBar = lookback: the indicators see the lookback
// bars, the simulation and the statistics only the fold. The run is exactly a backtest of the bars from startBar on
// (the first of them only marks equity, as any first bar) with indicators that are already warm.

/** One view per (series, start bar), kept in the series' cache so the view's own memos (calendar, market returns) last. */
export function seriesFrom(series: OhlcvSeries, bar: number): OhlcvSeries {
  return indicators(series).memo(`from:${bar}`, () => ({
    time: series.time.subarray(bar), open: series.open.subarray(bar), high: series.high.subarray(bar),
    low: series.low.subarray(bar), close: series.close.subarray(bar), volume: series.volume.subarray(bar),
    length: series.length - bar,
  }));
}

export function signalsFrom(signals: Signals, bar: number): Signals {
  return {
    action: signals.action.subarray(bar),
    warmup: Math.max(0, signals.warmup - bar),
    limit: signals.limit?.subarray(bar),
    stop: signals.stop?.subarray(bar),
    stopLoss: signals.stopLoss?.subarray(bar),
    takeProfit: signals.takeProfit?.subarray(bar),
  };
}

export function checkStartBar(bar: number, length: number): void {
  if (!(Number.isInteger(bar) && bar >= 0 && bar < length)) {
    throw new Error(`startBar must be an integer in [0, ${length}), got ${bar}`);
  }
}
