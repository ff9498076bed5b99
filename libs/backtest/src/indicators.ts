// Vectorized indicators over typed arrays; NaN while an indicator warms up. Hand-written rather than a TA
// package: the maintained JS ones (technicalindicators, trading-signals) allocate per value and return shorter
// arrays without the NaN warm-up the simulation indexes by bar, which would cost the optimizer most of its speed.

/** Rolling mean with Kahan-compensated running sums (as pandas' rolling mean), so long series do not drift. */
export function sma(values: Float64Array, period: number): Float64Array {
  const n = values.length;
  const out = new Float64Array(n);
  if (period < 1 || period > n) return out.fill(NaN);
  out.fill(NaN, 0, period - 1);
  // Kahan sum kept inline (a helper closure over the running sum costs V8 a context slot per access, 3× slower).
  let sum = 0;
  let comp = 0;
  for (let i = 0; i < period; i++) {
    const y = values[i] - comp;
    const t = sum + y;
    comp = t - sum - y;
    sum = t;
  }
  out[period - 1] = sum / period;
  for (let i = period; i < n; i++) {
    let y = values[i] - comp;
    let t = sum + y;
    comp = t - sum - y;
    sum = t;
    y = -values[i - period] - comp;
    t = sum + y;
    comp = t - sum - y;
    sum = t;
    out[i] = sum / period;
  }
  return out;
}

/** EMA with alpha 2/(period+1), seeded with the SMA of the first `period` defined values (TA-Lib convention). */
export function ema(values: Float64Array, period: number): Float64Array {
  const n = values.length;
  const out = new Float64Array(n).fill(NaN);
  let first = 0;
  while (first < n && Number.isNaN(values[first])) first++;
  if (period < 1 || first + period > n) return out;
  let seed = 0;
  for (let i = first; i < first + period; i++) seed += values[i];
  let prev = seed / period;
  out[first + period - 1] = prev;
  const alpha = 2 / (period + 1);
  for (let i = first + period; i < n; i++) {
    prev += alpha * (values[i] - prev);
    out[i] = prev;
  }
  return out;
}

/** Wilder's RSI: first averages are plain means of `period` changes, then smoothed with 1/period. Flat → 50. */
export function rsi(values: Float64Array, period: number): Float64Array {
  const n = values.length;
  const out = new Float64Array(n).fill(NaN);
  if (period < 1 || period >= n) return out;
  let gain = 0;
  let loss = 0;
  for (let i = 1; i <= period; i++) {
    const d = values[i] - values[i - 1];
    if (d > 0) gain += d; else loss -= d;
  }
  gain /= period;
  loss /= period;
  const value = () => (loss === 0 ? (gain === 0 ? 50 : 100) : 100 - 100 / (1 + gain / loss));
  out[period] = value();
  for (let i = period + 1; i < n; i++) {
    const d = values[i] - values[i - 1];
    gain = (gain * (period - 1) + (d > 0 ? d : 0)) / period;
    loss = (loss * (period - 1) + (d < 0 ? -d : 0)) / period;
    out[i] = value();
  }
  return out;
}

export interface Macd { macd: Float64Array; signal: Float64Array; histogram: Float64Array }

export function macd(values: Float64Array, fast = 12, slow = 26, signalPeriod = 9): Macd {
  const f = ema(values, fast);
  const s = ema(values, slow);
  const line = new Float64Array(values.length);
  for (let i = 0; i < line.length; i++) line[i] = f[i] - s[i];
  const signal = ema(line, signalPeriod);
  const histogram = new Float64Array(values.length);
  for (let i = 0; i < line.length; i++) histogram[i] = line[i] - signal[i];
  return { macd: line, signal, histogram };
}

export interface Bands { upper: Float64Array; middle: Float64Array; lower: Float64Array }

/** Middle = SMA, width = k population standard deviations (Bollinger's definition, as TA-Lib). */
export function bollinger(values: Float64Array, period = 20, k = 2): Bands {
  const n = values.length;
  const middle = sma(values, period);
  const upper = new Float64Array(n).fill(NaN);
  const lower = new Float64Array(n).fill(NaN);
  if (period < 1 || period > n) return { upper, middle, lower };
  // Welford-style rolling variance: the sum-of-squares shortcut loses digits at price levels in the thousands.
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < period; i++) {
    const d = values[i] - mean;
    mean += d / (i + 1);
    m2 += d * (values[i] - mean);
  }
  for (let i = period - 1; i < n; i++) {
    if (i >= period) {
      const xin = values[i];
      const xout = values[i - period];
      const newMean = mean + (xin - xout) / period;
      m2 += (xin - xout) * (xin - newMean + xout - mean);
      mean = newMean;
    }
    const sd = Math.sqrt(Math.max(0, m2) / period);
    upper[i] = middle[i] + k * sd;
    lower[i] = middle[i] - k * sd;
  }
  return { upper, middle, lower };
}

/** Wilder's ATR; true range needs the previous close, so the first value is at bar `period`. */
export function atr(high: Float64Array, low: Float64Array, close: Float64Array, period = 14): Float64Array {
  const n = close.length;
  const out = new Float64Array(n).fill(NaN);
  if (period < 1 || period >= n) return out;
  const tr = (i: number) => Math.max(high[i] - low[i], Math.abs(high[i] - close[i - 1]), Math.abs(low[i] - close[i - 1]));
  let sum = 0;
  for (let i = 1; i <= period; i++) sum += tr(i);
  let prev = sum / period;
  out[period] = prev;
  for (let i = period + 1; i < n; i++) {
    prev = (prev * (period - 1) + tr(i)) / period;
    out[i] = prev;
  }
  return out;
}

/** 1 where `a` moves strictly from below `b` to strictly above it (backtesting.py's `crossover`). */
export function crossover(a: Float64Array, b: Float64Array | number): Uint8Array {
  const out = new Uint8Array(a.length);
  if (typeof b === 'number') {
    for (let i = 1; i < a.length; i++) out[i] = a[i - 1] < b && a[i] > b ? 1 : 0;
  } else {
    for (let i = 1; i < a.length; i++) out[i] = a[i - 1] < b[i - 1] && a[i] > b[i] ? 1 : 0;
  }
  return out;
}

export function crossunder(a: Float64Array, b: Float64Array | number): Uint8Array {
  const out = new Uint8Array(a.length);
  if (typeof b === 'number') {
    for (let i = 1; i < a.length; i++) out[i] = a[i - 1] > b && a[i] < b ? 1 : 0;
  } else {
    for (let i = 1; i < a.length; i++) out[i] = a[i - 1] > b[i - 1] && a[i] < b[i] ? 1 : 0;
  }
  return out;
}

/** Index of the first bar where every given array is defined (backtesting.py's indicator warm-up). */
export function warmupOf(...arrays: Float64Array[]): number {
  let w = 0;
  for (const a of arrays) {
    let i = 0;
    while (i < a.length && Number.isNaN(a[i])) i++;
    if (i > w) w = i;
  }
  return w;
}
