import { drawdowns } from '../src/drawdown.js';
import { exposedBars } from '../src/exposure.js';
import { seededRandom } from '../src/index.js';
import { ClosedTrades } from '../src/trade-book.js';

// The statistics' one pass skips bars that cannot change a figure; these references visit every bar the way the
// engine did before, and the fast versions must agree with them exactly.

function referenceDrawdowns(time: Float64Array, equity: Float64Array, length: number) {
  let peak = -Infinity, max = 0, prevFlat = -1, deepest = 0, count = 0, sumPeak = 0, sumDuration = 0, maxDuration = NaN;
  for (let i = 0; i < length; i++) {
    const e = equity[i];
    if (e > peak) peak = e;
    const dd = 1 - e / peak;
    if (dd > max) max = dd;
    if (dd > deepest) deepest = dd;
    if (dd === 0 || i === length - 1) {
      if (prevFlat >= 0 && i > prevFlat + 1) {
        const duration = time[i] - time[prevFlat];
        count++;
        sumPeak += deepest;
        sumDuration += duration;
        if (!(duration <= maxDuration)) maxDuration = duration;
      }
      if (dd === 0 || prevFlat < 0) {
        prevFlat = i;
        deepest = dd;
      }
    }
  }
  return {
    peak, max, avgPeak: count ? sumPeak / count : NaN,
    maxDurationMs: count ? maxDuration : NaN, avgDurationMs: count ? sumDuration / count : NaN,
  };
}

/** Random walks with flat stretches, repeated values, new peaks, ruin to zero and irregular timestamps. */
function randomEquity(rnd: () => number, length: number): { time: Float64Array; equity: Float64Array } {
  const time = new Float64Array(length);
  const equity = new Float64Array(length);
  let e = 10_000;
  let t = 0;
  for (let i = 0; i < length; i++) {
    t += 1 + Math.floor(rnd() * 3) * 60_000;
    const r = rnd();
    // 30 % flat bars (e unchanged), 5 % back to an earlier value (often the peak), the rest a random step.
    if (r >= 0.3 && r < 0.35) e = equity[Math.floor(rnd() * i)] || e;
    else if (r >= 0.35) e *= 1 + (rnd() - 0.5) * 0.02;
    time[i] = t;
    equity[i] = e;
  }
  if (rnd() < 0.2) equity.fill(0, Math.floor(rnd() * length));
  return { time, equity };
}

describe('single-pass drawdowns', () => {
  const rnd = seededRandom(4242);
  it.each(Array.from({ length: 300 }, (_, k) => k))('match the every-bar reference on random equity #%i', (k) => {
    const length = 1 + Math.floor(rnd() * (k < 100 ? 20 : 3_000));
    const { time, equity } = randomEquity(rnd, length);
    const upTo = rnd() < 0.2 ? Math.max(1, Math.floor(rnd() * length)) : length;
    expect(drawdowns(time, equity, upTo)).toEqual(referenceDrawdowns(time, equity, upTo));
  });
});

describe('exposure from trade intervals', () => {
  const rnd = seededRandom(99);
  it.each(Array.from({ length: 200 }, (_, k) => k))('counts the bars a per-bar mask would #%i', (k) => {
    const length = 5 + Math.floor(rnd() * 500);
    const trades = new ClosedTrades();
    const sorted = k % 2 === 0;
    let bar = 0;
    for (let j = 0; j < Math.floor(rnd() * 80); j++) {
      const entry = sorted ? (bar += Math.floor(rnd() * 8)) : Math.floor(rnd() * length);
      const exit = Math.min(length + 3, entry + Math.floor(rnd() * 30));
      trades.push(1, entry, exit, 100, 101, 0, 0, exit - entry);
    }
    const mask = new Uint8Array(length);
    for (let j = 0; j < trades.count; j++) mask.fill(1, trades.entryBar[j], Math.min(length, trades.exitBar[j] + 1));
    expect(exposedBars(trades, length)).toBe(mask.reduce((a, b) => a + b, 0));
  });
});
