import { atr, bollinger, crossover, crossunder, ema, indicators, macd, rsi, sma, syntheticSeries } from '../src/index.js';

const f = (xs: number[]) => Float64Array.from(xs);
const values = (a: Float64Array) => Array.from(a, (x) => (Number.isNaN(x) ? NaN : Number(x.toFixed(10))));

describe('indicators (hand-computed)', () => {
  it('SMA is NaN during warm-up, then the window mean', () => {
    expect(values(sma(f([1, 2, 3, 4, 5]), 3))).toEqual([NaN, NaN, 2, 3, 4]);
    expect(values(sma(f([1, 2]), 3))).toEqual([NaN, NaN]);
  });

  it('SMA does not drift over a million bars (compensated running sum)', () => {
    const s = syntheticSeries(1_000_000, 7);
    const out = sma(s.close, 50);
    let direct = 0;
    for (let i = s.length - 50; i < s.length; i++) direct += s.close[i];
    expect(Math.abs(out[s.length - 1] - direct / 50)).toBeLessThan(1e-12 * direct);
  });

  it('EMA is seeded with the SMA of the first period, then alpha = 2/(n+1)', () => {
    // seed mean(2,4,6) = 4; then 4 + ½(8−4) = 6; 6 + ½(4−6) = 5
    expect(values(ema(f([2, 4, 6, 8, 4]), 3))).toEqual([NaN, NaN, 4, 6, 5]);
  });

  it("RSI uses Wilder's smoothing", () => {
    // changes +1 −1 +2 | +1 −1: first avg gain 1, loss 1/3 → 75; then gain 1, loss 2/9 → 100 − 100/5.5;
    // then gain 2/3, loss 13/27 → 100 − 1300/31
    const r = rsi(f([44, 45, 44, 46, 47, 46]), 3);
    expect(values(r).slice(0, 3)).toEqual([NaN, NaN, NaN]);
    expect(r[3]).toBeCloseTo(75, 10);
    expect(r[4]).toBeCloseTo(100 - 100 / 5.5, 10);
    expect(r[5]).toBeCloseTo(100 - 1300 / 31, 10);
    expect(rsi(f([5, 5, 5, 5]), 2)[3]).toBe(50);
    expect(rsi(f([1, 2, 3, 4]), 2)[3]).toBe(100);
  });

  it('MACD = EMA(fast) − EMA(slow), signal = EMA of the defined MACD values', () => {
    // EMA2: 3, 5, 7, 5, 3 from bar 1; EMA3: 4, 6, 5, 3.5 from bar 2 → MACD 1, 1, 0, −0.5;
    // signal EMA2 of MACD: seed 1 at bar 3, then 1/3, then −2/9
    const m = macd(f([2, 4, 6, 8, 4, 2]), 2, 3, 2);
    expect(values(m.macd)).toEqual([NaN, NaN, 1, 1, 0, -0.5]);
    expect(values(m.signal)).toEqual(values(f([NaN, NaN, NaN, 1, 1 / 3, -2 / 9])));
    expect(m.histogram[5]).toBeCloseTo(-0.5 + 2 / 9, 12);
  });

  it('Bollinger bands are k population standard deviations around the SMA', () => {
    const b = bollinger(f([1, 2, 3, 4, 5, 10]), 3, 2);
    const sd = Math.sqrt(2 / 3);
    expect(b.middle[2]).toBe(2);
    expect(b.upper[2]).toBeCloseTo(2 + 2 * sd, 12);
    expect(b.lower[4]).toBeCloseTo(4 - 2 * sd, 12);
    // window 4, 5, 10: mean 19/3, population variance ((−7/3)² + (−4/3)² + (11/3)²)/3 = 62/9
    expect(b.upper[5]).toBeCloseTo(19 / 3 + 2 * Math.sqrt(62 / 9), 10);
    expect(Number.isNaN(b.upper[1])).toBe(true);
  });

  it('ATR smooths the true range, which counts gaps from the previous close', () => {
    // TR: bar1 2, bar2 2, bar3 max(2, |11−13|, |9−13|) = 4 → ATR(2): 2 at bar 2, (2 + 4)/2 = 3 at bar 3
    const a = atr(f([10, 11, 12, 11]), f([8, 9, 10, 9]), f([9, 10, 13, 10]), 2);
    expect(values(a)).toEqual([NaN, NaN, 2, 3]);
  });

  it('crossover / crossunder need a strict change of side, as backtesting.py', () => {
    expect(Array.from(crossover(f([1, 3, 1, 2, 3]), 2))).toEqual([0, 1, 0, 0, 0]);
    expect(Array.from(crossunder(f([1, 3, 1, 2, 3]), 2))).toEqual([0, 0, 1, 0, 0]);
    expect(Array.from(crossover(f([1, 2, 3]), f([2, 2, 2])))).toEqual([0, 0, 0]);
    expect(Array.from(crossover(f([NaN, 1, 3]), f([2, 2, 2])))).toEqual([0, 0, 1]);
  });

  it('caches indicator arrays per series so a parameter grid computes each once', () => {
    const s = syntheticSeries(500, 1);
    const cache = indicators(s);
    expect(cache.sma(10)).toBe(indicators(s).sma(10));
    expect(cache.sma(10)).not.toBe(cache.sma(11));
    expect(Array.from(cache.sma(10))).toEqual(Array.from(sma(s.close, 10)));
    expect(indicators(syntheticSeries(500, 1))).not.toBe(cache);
  });
});
