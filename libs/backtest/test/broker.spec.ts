import { Action, runSignals } from '../src/index.js';
import { dailyBars, orders } from './bars.js';

describe('order execution', () => {
  it('fills a market order at the next open with all available cash in whole units', () => {
    const bars = dailyBars([10, 10, 10, 11], [10, 10, 11, 12]);
    const r = runSignals(bars, orders(4, { 1: Action.Buy }));
    // 10,000 × (1 − ε) / 10 is just below 1,000: backtesting.py's "all-in" buys 999.
    expect(r.openTrades[0]).toMatchObject({ size: 999, entryBar: 2, entryPrice: 10 });
    expect(r.equity[3]).toBe(10_000 + 999 * 2);
  });

  it('fills a buy limit once the low reaches it, at the limit or a better open', () => {
    const bars = dailyBars([10, 10, 10, 9.2, 8.4, 9], [10, 10, 9.2, 8.4, 9, 9]);
    const r = runSignals(bars, orders(6, { 1: { action: Action.Buy, limit: 8.6 } }));
    expect(r.openTrades[0]).toMatchObject({ entryBar: 3, entryPrice: 8.6 });
    const gap = runSignals(bars, orders(6, { 2: { action: Action.Buy, limit: 9.5 } })); // bar 3 opens at 9.2
    expect(gap.openTrades[0]).toMatchObject({ entryBar: 3, entryPrice: 9.2 });
  });

  it('triggers a buy stop when the high reaches it, filling at the stop or a worse open', () => {
    const bars = dailyBars([10, 10, 10.5, 11.5], [10, 10.2, 10.8, 12]);
    const r = runSignals(bars, orders(4, { 1: { action: Action.Buy, stop: 11 } }));
    expect(r.openTrades[0]).toMatchObject({ entryBar: 2, entryPrice: 11 });
    const gap = runSignals(bars, orders(4, { 2: { action: Action.Buy, stop: 11.2 } }));
    expect(gap.openTrades[0]).toMatchObject({ entryBar: 3, entryPrice: 11.5 });
  });

  it('exits at the stop-loss, or at the open when the bar gaps through it', () => {
    const bars = dailyBars([10, 10, 10, 9.5, 8.5], [10, 10, 9.6, 8.8, 8.7], undefined, [9.5, 9.5, 9.5, 8.9, 8.0]);
    const r = runSignals(bars, orders(5, { 1: { action: Action.GoLong, stopLoss: 9 } }));
    expect(r.trades[0]).toMatchObject({ entryBar: 2, exitBar: 3, exitPrice: 9, exitReason: 'stop-loss' });
    const gap = runSignals(bars, orders(5, { 1: { action: Action.GoLong, stopLoss: 8.6 } }));
    expect(gap.trades[0]).toMatchObject({ exitBar: 4, exitPrice: 8.5, exitReason: 'stop-loss' });
  });

  it('exits at the take-profit, and assumes the stop-loss came first when both are inside one bar', () => {
    const bars = dailyBars([10, 10, 10, 10.5], [10, 10, 10.4, 10.6], [10.5, 10.5, 10.6, 11.5], [9.5, 9.5, 9.8, 8]);
    const tp = runSignals(bars, orders(4, { 1: { action: Action.GoLong, takeProfit: 11 } }));
    expect(tp.trades[0]).toMatchObject({ exitBar: 3, exitPrice: 11, exitReason: 'take-profit' });
    const both = runSignals(bars, orders(4, { 1: { action: Action.GoLong, stopLoss: 9, takeProfit: 11 } }));
    expect(both.trades[0]).toMatchObject({ exitBar: 3, exitPrice: 9, exitReason: 'stop-loss' });
  });

  it('profits from a short when the price falls', () => {
    const bars = dailyBars([10, 10, 10, 9, 8], [10, 10, 9, 8, 8]);
    const r = runSignals(bars, orders(5, { 1: Action.GoShort, 3: Action.Exit }));
    expect(r.trades[0]).toMatchObject({ size: -999, entryPrice: 10, exitPrice: 8, pnl: 999 * 2 });
    expect(r.equity[2]).toBe(10_000 + 999 * 1);
  });

  it('trades fractional units when asked', () => {
    const bars = dailyBars([10, 10, 10, 12], [10, 10, 11, 12]);
    const r = runSignals(bars, orders(4, { 1: Action.Buy }), { fractional: true });
    expect(r.openTrades[0].size).toBeCloseTo(1000, 6);
    expect(r.equity[3]).toBeCloseTo(12_000, 5);
  });

  it('charges relative plus fixed commission at entry and at exit, and sizes for it', () => {
    const bars = dailyBars([10, 10, 10, 12, 12], [10, 10, 11, 12, 12]);
    const r = runSignals(bars, orders(5, { 1: Action.Buy, 2: Action.Exit }), { commission: 0.01, fixedCommission: 5 });
    const units = Math.floor((10_000 - 5) / 10.1); // 989
    const paid = 5 + units * 10 * 0.01 + 5 + units * 12 * 0.01;
    expect(r.trades[0]).toMatchObject({ size: units, entryPrice: 10, exitPrice: 12 });
    expect(r.trades[0].commission).toBeCloseTo(paid, 9);
    expect(r.trades[0].pnl).toBeCloseTo(units * 2 - paid, 9);
    expect(r.stats.equityFinal).toBeCloseTo(10_000 + units * 2 - paid, 9);
    expect(r.equity[2]).toBeCloseTo(10_000 - (5 + units * 0.1) + units * 1, 9); // entry fee already paid
  });

  it('applies slippage against the trader on market fills', () => {
    const bars = dailyBars([10, 10, 10, 12, 12], [10, 10, 11, 12, 12]);
    const r = runSignals(bars, orders(5, { 1: Action.Buy, 2: Action.Exit }), { slippage: 0.01 });
    expect(r.trades[0]).toMatchObject({ size: 990, entryPrice: 10 * 1.01, exitPrice: 12 * 0.99 });
  });

  it('fills at the deciding bar close with tradeOnClose', () => {
    const bars = dailyBars([10, 10, 10, 12], [10, 10.5, 11, 12]);
    const r = runSignals(bars, orders(4, { 1: Action.Buy }), { tradeOnClose: true });
    expect(r.openTrades[0]).toMatchObject({ entryBar: 1, entryPrice: 10.5, size: 952 });
  });

  it('closes what is still open at the last close when closeAtEnd is set', () => {
    const bars = dailyBars([10, 10, 10, 11], [10, 10, 11, 12]);
    const r = runSignals(bars, orders(4, { 1: Action.Buy }), { closeAtEnd: true, commission: 0.001 });
    expect(r.openTrades).toHaveLength(0);
    expect(r.trades[0]).toMatchObject({ exitBar: 3, exitPrice: 12, exitReason: 'end' });
    expect(r.stats.trades).toBe(1);
    expect(r.stats.equityFinal).toBeCloseTo(10_000 + r.trades[0].pnl, 9);
  });

  it('cancels an all-in buy while short (no free margin) unless orders are exclusive, like backtesting.py', () => {
    const bars = dailyBars([10, 10, 10, 10, 10], [10, 10, 10, 10, 10]);
    const netting = runSignals(bars, orders(5, { 1: Action.Sell, 2: Action.Buy }));
    expect(netting.openTrades.map((t) => t.size)).toEqual([-999]);
    const exclusive = runSignals(bars, orders(5, { 1: Action.Sell, 2: Action.Buy }), { exclusiveOrders: true });
    expect(exclusive.trades.map((t) => t.size)).toEqual([-999]);
    expect(exclusive.openTrades.map((t) => [t.size, t.entryBar])).toEqual([[999, 3]]);
  });

  it('nets opposite orders against open trades first-in first-out', () => {
    const bars = dailyBars([10, 10, 11, 12, 13, 13], [10, 10.5, 11.5, 12.5, 13, 13]);
    const r = runSignals(bars, orders(6, { 1: Action.Buy, 2: Action.Buy, 3: Action.Sell }), { sizing: { units: 10 } });
    expect(r.trades.map((t) => [t.size, t.entryBar, t.exitBar, t.exitPrice])).toEqual([[10, 2, 4, 13]]);
    expect(r.openTrades.map((t) => [t.size, t.entryBar])).toEqual([[10, 3]]);
  });

  it('liquidates and stays at zero when equity is wiped out', () => {
    const bars = dailyBars([10, 10, 10, 15, 25, 30], [10, 10, 12, 20, 30, 30]);
    const r = runSignals(bars, orders(6, { 1: Action.Sell }));
    expect(r.trades[0]).toMatchObject({ exitBar: 4, exitReason: 'out-of-money' });
    expect(Array.from(r.equity.subarray(4))).toEqual([0, 0]);
  });

  it('reports progress ten times and stops early when asked', () => {
    const bars = dailyBars(Array(101).fill(10), Array(101).fill(10));
    const steps: number[] = [];
    runSignals(bars, orders(101, {}), { onProgress: (step) => void steps.push(step) });
    expect(steps).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const pruned = runSignals(bars, orders(101, {}), { onProgress: (step) => step === 3 });
    expect(pruned.stoppedEarly).toBe(true);
    expect(pruned.equity.length).toBe(31);
    expect(pruned.stats.end).toBe(bars.time[30]);
  });
});
