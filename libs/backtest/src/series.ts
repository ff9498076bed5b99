import { readFileSync } from 'node:fs';

/** Columnar bars: one typed array per field so indicators and the simulation loop stay monomorphic and cache-friendly. */
export interface OhlcvSeries {
  /** Bar open time, epoch ms (UTC; naive CSV dates are read as UTC, as pandas does). */
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  length: number;
}

export function emptySeries(length: number): OhlcvSeries {
  return {
    time: new Float64Array(length), open: new Float64Array(length), high: new Float64Array(length),
    low: new Float64Array(length), close: new Float64Array(length), volume: new Float64Array(length), length,
  };
}

export function sliceSeries(series: OhlcvSeries, from: number, to = series.length): OhlcvSeries {
  return {
    time: series.time.slice(from, to), open: series.open.slice(from, to), high: series.high.slice(from, to),
    low: series.low.slice(from, to), close: series.close.slice(from, to), volume: series.volume.slice(from, to),
    length: Math.max(0, Math.min(to, series.length) - from),
  };
}

// `2004-08-19` or `2017-04-19 09:00:00` (also `T`-separated); Date.parse would read the space form as local time.
function parseTime(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?/.exec(text);
  if (!m) {
    const t = Date.parse(text);
    if (Number.isNaN(t)) throw new Error(`Unreadable bar time: ${text}`);
    return t;
  }
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], m[4] ? +m[4] : 0, m[5] ? +m[5] : 0, m[6] ? +m[6] : 0, ms);
}

/** Reads `date,Open,High,Low,Close,Volume` (the first column may have an empty header, as pandas writes it). */
export function loadCsv(text: string): OhlcvSeries {
  const lines = text.split(/\r?\n/);
  const header = lines[0].split(',').map((h) => h.trim().toLowerCase());
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0 && name !== 'volume') throw new Error(`CSV has no ${name} column`);
    return i;
  };
  const [o, h, l, c, v] = [col('open'), col('high'), col('low'), col('close'), col('volume')];
  let rows = 0;
  for (let i = 1; i < lines.length; i++) if (lines[i].trim() !== '') rows++;
  const s = emptySeries(rows);
  let n = 0;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    const f = line.split(',');
    s.time[n] = parseTime(f[0].trim());
    s.open[n] = +f[o]; s.high[n] = +f[h]; s.low[n] = +f[l]; s.close[n] = +f[c];
    s.volume[n] = v >= 0 ? +f[v] : NaN;
    n++;
  }
  for (let i = 1; i < n; i++) {
    if (s.time[i] < s.time[i - 1]) throw new Error(`CSV bars are not in time order at row ${i + 1}`);
  }
  return s;
}

export function loadCsvFile(path: string): OhlcvSeries {
  return loadCsv(readFileSync(path, 'utf8'));
}

/** mulberry32: tiny, fast, seedable; good enough for test data, not for anything cryptographic. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Seeded geometric random walk (default: one-minute bars from 2020-01-01 UTC). Each bar opens at the previous
 * close, so gaps only come from the walk itself and fills at the open are always inside a plausible range.
 */
export function syntheticSeries(bars: number, seed: number, stepMs = 60_000): OhlcvSeries {
  const rnd = seededRandom(seed);
  const s = emptySeries(bars);
  const start = Date.UTC(2020, 0, 1);
  let price = 100;
  for (let i = 0; i < bars; i++) {
    const open = price;
    // Sum of uniforms ~ normal enough; 0.1 % per-bar volatility keeps prices positive over millions of bars.
    const shock = (rnd() + rnd() + rnd() - 1.5) * 0.002;
    const close = open * Math.exp(shock);
    const wick = open * 0.0005;
    s.time[i] = start + i * stepMs;
    s.open[i] = open;
    s.close[i] = close;
    s.high[i] = Math.max(open, close) + rnd() * wick;
    s.low[i] = Math.min(open, close) - rnd() * wick;
    s.volume[i] = Math.floor(100 + rnd() * 1000);
    price = close;
  }
  return s;
}
