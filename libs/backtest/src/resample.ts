import { emptySeries, type OhlcvSeries } from './series.js';

const DAY = 86_400_000;

/** A fixed span in ms (bars grouped by `floor(time / span)`, UTC), or calendar weeks (from Monday) or months. */
export type Timeframe = number | 'week' | 'month';

function bucketOf(timeframe: Timeframe): (t: number) => number {
  if (timeframe === 'week') return (t) => Math.floor((Math.floor(t / DAY) - 4) / 7) * 7 * DAY + 4 * DAY; // 1970-01-05 was a Monday
  if (timeframe === 'month') return (t) => {
    const d = new Date(t);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  };
  if (!(timeframe > 0)) throw new Error(`Timeframe must be positive, got ${timeframe}`);
  return (t) => Math.floor(t / timeframe) * timeframe;
}

/** Coarser bars: first open, highest high, lowest low, last close, summed volume; each stamped with its bucket start. */
export function resample(series: OhlcvSeries, timeframe: Timeframe): OhlcvSeries {
  const bucket = bucketOf(timeframe);
  let count = 0;
  let prev = NaN;
  for (let i = 0; i < series.length; i++) {
    const b = bucket(series.time[i]);
    if (b !== prev) count++;
    prev = b;
  }
  const out = emptySeries(count);
  let k = -1;
  prev = NaN;
  for (let i = 0; i < series.length; i++) {
    const b = bucket(series.time[i]);
    if (b !== prev) {
      k++;
      out.time[k] = b;
      out.open[k] = series.open[i];
      out.high[k] = series.high[i];
      out.low[k] = series.low[i];
      out.volume[k] = 0;
      prev = b;
    }
    if (series.high[i] > out.high[k]) out.high[k] = series.high[i];
    if (series.low[i] < out.low[k]) out.low[k] = series.low[i];
    out.close[k] = series.close[i];
    out.volume[k] += series.volume[i];
  }
  return out;
}
