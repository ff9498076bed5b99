import { Action, emptySeries, type OhlcvSeries, type Signals } from '../src/index.js';

const DAY = 86_400_000;

/** Weekday daily bars from Monday 2024-01-01; highs/lows default to the body ± 0.5 unless given. */
export function dailyBars(open: number[], close: number[], high?: number[], low?: number[]): OhlcvSeries {
  const s = emptySeries(open.length);
  let day = Date.UTC(2024, 0, 1);
  for (let i = 0; i < open.length; i++) {
    while ([0, 6].includes(new Date(day).getUTCDay())) day += DAY;
    s.time[i] = day;
    day += DAY;
    s.open[i] = open[i];
    s.close[i] = close[i];
    s.high[i] = high?.[i] ?? Math.max(open[i], close[i]) + 0.5;
    s.low[i] = low?.[i] ?? Math.min(open[i], close[i]) - 0.5;
    s.volume[i] = 1000;
  }
  return s;
}

type Order = { action: Action; limit?: number; stop?: number; stopLoss?: number; takeProfit?: number };

/** Signals from a sparse bar → order map; warm-up 0 so bar 1 is the first that can decide. */
export function orders(length: number, at: Record<number, Order | Action>): Signals {
  const nan = () => new Float64Array(length).fill(NaN);
  const s = { action: new Int8Array(length), warmup: 0, limit: nan(), stop: nan(), stopLoss: nan(), takeProfit: nan() };
  for (const [bar, o] of Object.entries(at)) {
    const i = Number(bar);
    const order = typeof o === 'number' ? { action: o } : o;
    s.action[i] = order.action;
    s.limit[i] = order.limit ?? NaN;
    s.stop[i] = order.stop ?? NaN;
    s.stopLoss[i] = order.stopLoss ?? NaN;
    s.takeProfit[i] = order.takeProfit ?? NaN;
  }
  return s;
}
