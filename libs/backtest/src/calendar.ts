import { indicators } from './indicator-cache.js';
import type { OhlcvSeries } from './series.js';

// The data's own calendar decides annualization, as in backtesting.py's compute_stats: daily stock data has no
// weekend bars and annualizes over 252 days, crypto trades every day (365), weekly/monthly/yearly bars use 52/12/1.

export const MS = { second: 1_000, minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

/** Median spacing of the last 100 bars: robust to holidays and weekends. */
export function barPeriod(time: Float64Array, length = time.length): number {
  const from = Math.max(0, length - 100);
  const diffs: number[] = [];
  for (let i = from + 1; i < length; i++) diffs.push(time[i] - time[i - 1]);
  if (diffs.length === 0) return NaN;
  diffs.sort((a, b) => a - b);
  const mid = diffs.length >> 1;
  return diffs.length % 2 ? diffs[mid] : (diffs[mid - 1] + diffs[mid]) / 2;
}

/** Rounds durations up to the finest unit the bar period uses (pandas' Timedelta.ceil(resolution)). */
export function durationUnit(period: number): number {
  if (!(period > 0)) return 1;
  for (const unit of [MS.day, MS.hour, MS.minute, MS.second]) if (period % unit === 0) return unit;
  return 1;
}

export function ceilDuration(ms: number, unit: number): number {
  return Number.isFinite(ms) ? Math.ceil(ms / unit) * unit : ms;
}

export const dayOfWeek = (t: number) => (Math.floor(t / MS.day) + 3) % 7; // 0 = Monday; 1970-01-01 was a Thursday

export interface Calendar {
  /** Median bar spacing, ms. */
  period: number;
  /** Unit durations are rounded up to. */
  unit: number;
  /** Periods per year that annualization compounds over. */
  periods: number;
  /** Index of the last bar of each calendar bucket (day, week, month or year) the returns are taken over. */
  ends: Int32Array;
}

/** Depends on timestamps only, so it is memoized per series (and length, for runs stopped early). */
export function calendarOf(series: OhlcvSeries, length: number): Calendar {
  return indicators(series).memo(`calendar:${length}`, () => {
    const time = series.time;
    const period = barPeriod(time, length);
    const days = Math.floor(period / MS.day);
    const bucket = days === 7 ? weekBucket : days === 31 ? monthBucket : days === 365 ? yearBucket : dayBucket;
    // One pass over the bars; weekdays are looked up once per bucket, not per bar (this runs on 1M-bar series).
    const ends: number[] = [];
    let weekendBars = 0;
    let from = 0;
    let current = length > 0 ? bucket(time[0]) : 0;
    for (let i = 1; i <= length; i++) {
      const b = i < length ? bucket(time[i]) : NaN;
      if (b === current) continue;
      ends.push(i - 1);
      if (bucket === dayBucket) {
        if (dayOfWeek(time[i - 1]) >= 5) weekendBars += i - from;
      } else {
        for (let j = from; j < i; j++) if (dayOfWeek(time[j]) >= 5) weekendBars++;
      }
      from = i;
      current = b;
    }
    const haveWeekends = weekendBars / length > (2 / 7) * 0.6;
    const periods = days === 7 ? 52 : days === 31 ? 12 : days === 365 ? 1 : haveWeekends ? 365 : 252;
    return { period, unit: durationUnit(period), periods, ends: Int32Array.from(ends) };
  });
}

// Monday-to-Sunday weeks (pandas 'W' = W-SUN); 1970-01-05 (day 4) was a Monday.
const weekBucket = (t: number) => Math.floor((Math.floor(t / MS.day) - 4) / 7);
const dayBucket = (t: number) => Math.floor(t / MS.day);
const yearBucket = (t: number) => new Date(t).getUTCFullYear();
const monthBucket = (t: number) => {
  const d = new Date(t);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
};

/** Returns between the last equities of consecutive buckets (pandas `resample(freq).last().dropna().pct_change()`). */
export function periodReturns(equity: Float64Array, ends: Int32Array): Float64Array {
  const out = new Float64Array(Math.max(0, ends.length - 1));
  for (let k = 1; k < ends.length; k++) out[k - 1] = equity[ends[k]] / equity[ends[k - 1]] - 1;
  return out;
}

/** Bar log returns of the close, centered on their mean, for beta (memoized per series and length). */
export function centeredMarketReturns(series: OhlcvSeries, length: number): Float64Array {
  return indicators(series).memo(`market-returns:${length}`, () => {
    const c = series.close;
    const out = new Float64Array(Math.max(0, length - 1));
    let sum = 0;
    for (let i = 1; i < length; i++) sum += out[i - 1] = Math.log(c[i] / c[i - 1]);
    const mean = sum / out.length;
    for (let i = 0; i < out.length; i++) out[i] -= mean;
    return out;
  });
}
