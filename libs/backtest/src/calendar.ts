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

export function annualPeriods(time: Float64Array, length: number, period: number): { periods: number; bucket: (t: number) => number } {
  const days = Math.floor(period / MS.day);
  let weekend = 0;
  for (let i = 0; i < length; i++) if (dayOfWeek(time[i]) >= 5) weekend++;
  const haveWeekends = weekend / length > (2 / 7) * 0.6;
  if (days === 7) return { periods: 52, bucket: weekBucket };
  if (days === 31) return { periods: 12, bucket: monthBucket };
  if (days === 365) return { periods: 1, bucket: (t) => new Date(t).getUTCFullYear() };
  return { periods: haveWeekends ? 365 : 252, bucket: (t) => Math.floor(t / MS.day) };
}

// Monday-to-Sunday weeks (pandas 'W' = W-SUN); 1970-01-05 (day 4) was a Monday.
const weekBucket = (t: number) => Math.floor((Math.floor(t / MS.day) - 4) / 7);
const monthBucket = (t: number) => {
  const d = new Date(t);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
};

/** Returns of the last equity in each calendar bucket (pandas `resample(freq).last().dropna().pct_change()`). */
export function periodReturns(time: Float64Array, equity: Float64Array, length: number, bucket: (t: number) => number): Float64Array {
  let buckets = 0;
  let prev = NaN;
  for (let i = 0; i < length; i++) {
    const b = bucket(time[i]);
    if (b !== prev) buckets++;
    prev = b;
  }
  const out = new Float64Array(Math.max(0, buckets - 1));
  let last = NaN;
  let k = -1;
  prev = NaN;
  for (let i = 0; i < length; i++) {
    const b = bucket(time[i]);
    if (b !== prev && i > 0) {
      if (k >= 0) out[k] = equity[i - 1] / last - 1;
      last = equity[i - 1];
      k++;
    }
    prev = b;
  }
  if (length > 0 && k >= 0) out[k] = equity[length - 1] / last - 1;
  return out;
}
