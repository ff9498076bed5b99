import { Action, runSignals } from '../src/index.js';
import { dailyBars, orders } from './bars.js';

const DAY = 86_400_000;

describe('statistics on a small hand-checked run', () => {
  // Mon 1 Jan 2024 … Wed 10 Jan: long 10 units 10 → 12 (+20), then short 10 units 12 → 13 (−10).
  const bars = dailyBars([10, 10, 10, 12, 12, 10, 13, 8], [10, 10, 12, 12, 10, 10, 9, 8]);
  const signals = orders(8, { 1: Action.GoLong, 3: Action.GoShort, 5: Action.Exit });
  const { stats, equity, trades } = runSignals(bars, signals, { sizing: { units: 10 } });

  it('books equity as cash plus open PnL at each close', () => {
    expect(Array.from(equity)).toEqual([10_000, 10_000, 10_020, 10_020, 10_040, 10_040, 10_010, 10_010]);
    expect(trades.map((t) => [t.size, t.entryPrice, t.exitPrice, t.pnl])).toEqual([[10, 10, 12, 20], [-10, 12, 13, -10]]);
  });

  it('computes the equity and drawdown figures', () => {
    expect(stats.start).toBe(Date.UTC(2024, 0, 1));
    expect(stats.durationMs).toBe(9 * DAY);
    expect(stats.equityFinal).toBe(10_010);
    expect(stats.equityPeak).toBe(10_040);
    expect(stats.returnPct).toBeCloseTo(0.1, 12);
    expect(stats.buyAndHoldReturnPct).toBeCloseTo(-20, 12);
    expect(stats.exposurePct).toBe(62.5); // bars 2…6 of 8
    expect(stats.maxDrawdownPct).toBeCloseTo(-(1 - 10_010 / 10_040) * 100, 12);
    expect(stats.avgDrawdownPct).toBeCloseTo(stats.maxDrawdownPct, 12);
    expect(stats.maxDrawdownDurationMs).toBe(2 * DAY); // last peak Mon 8 Jan → last bar Wed 10 Jan
  });

  it('computes the trade figures', () => {
    expect(stats.trades).toBe(2);
    expect(stats.winRatePct).toBe(50);
    expect(stats.bestTradePct).toBeCloseTo(20, 12);
    expect(stats.worstTradePct).toBeCloseTo(-100 / 12, 12);
    expect(stats.avgTradePct).toBeCloseTo((Math.sqrt(1.2 * (11 / 12)) - 1) * 100, 12);
    expect(stats.profitFactor).toBeCloseTo(0.2 / (1 / 12), 12);
    expect(stats.expectancyPct).toBeCloseTo(((0.2 - 1 / 12) / 2) * 100, 12);
    expect(stats.sqn).toBeCloseTo((Math.sqrt(2) * 5) / Math.sqrt(15 ** 2 * 2), 12);
    expect(stats.kelly).toBeCloseTo(0.5 - 0.5 / (20 / 10), 12);
    expect(stats.maxTradeDurationMs).toBe(4 * DAY);
    expect(stats.avgTradeDurationMs).toBe(3 * DAY);
  });

  it('annualizes daily returns over 252 trading days, geometrically', () => {
    const r = Array.from(equity).slice(1).map((e, i) => e / equity[i] - 1);
    const g = (10_010 / 10_000) ** (1 / 7) - 1;
    const mean = r.reduce((a, b) => a + b, 0) / 7;
    const variance = r.reduce((a, b) => a + (b - mean) ** 2, 0) / 6;
    const annual = (1 + g) ** 252 - 1;
    const vol = Math.sqrt((variance + (1 + g) ** 2) ** 252 - (1 + g) ** 504);
    expect(stats.annualReturnPct).toBeCloseTo(annual * 100, 9);
    expect(stats.annualVolatilityPct).toBeCloseTo(vol * 100, 9);
    expect(stats.sharpe).toBeCloseTo(annual / vol, 9);
    const downside = Math.sqrt(r.reduce((a, b) => a + Math.min(b, 0) ** 2, 0) / 7) * Math.sqrt(252);
    expect(stats.sortino).toBeCloseTo(annual / downside, 9);
    expect(stats.calmar).toBeCloseTo(annual / (1 - 10_010 / 10_040), 9);
    expect(stats.cagrPct).toBeCloseTo((1.001 ** (365.25 / 9) - 1) * 100, 9);
  });

  it('annualizes over 365 days when the data trades on weekends', () => {
    const week = dailyBars([10, 10, 10, 10, 10, 10, 10, 10], [10, 10, 11, 11, 11, 11, 11, 11]);
    for (let i = 0; i < week.length; i++) week.time[i] = Date.UTC(2024, 0, 1) + i * DAY; // every calendar day
    const run = runSignals(week, orders(8, { 1: Action.Buy }), { sizing: { units: 100 } });
    const g = (10_100 / 10_000) ** (1 / 7) - 1;
    expect(run.stats.annualReturnPct).toBeCloseTo(((1 + g) ** 365 - 1) * 100, 9);
  });

  it('reports NaN, not zero, for figures a run without trades cannot have', () => {
    const flat = runSignals(bars, orders(8, {}));
    expect(flat.stats.trades).toBe(0);
    expect(flat.stats.returnPct).toBe(0);
    expect(flat.stats.maxDrawdownPct === 0).toBe(true);
    for (const key of ['winRatePct', 'sqn', 'profitFactor', 'avgTradePct', 'avgDrawdownPct', 'sharpe'] as const) {
      expect(Number.isNaN(flat.stats[key])).toBe(true);
    }
  });
});
