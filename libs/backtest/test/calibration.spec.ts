import { fileURLToPath } from 'node:url';
import { loadCsvFile, runBacktest, strategies } from '../src/index.js';

const goog = loadCsvFile(fileURLToPath(new URL('../fixtures/GOOG.csv', import.meta.url)));
const relative = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);

describe('calibration against backtesting.py (GOOG daily, SMA 10/20 stop-and-reverse, commission 0.2 %)', () => {
  const { stats, trades, openTrades } = runBacktest(goog, strategies['sma-cross'], { fast: 10, slow: 20 }, { commission: 0.002 });

  it('matches the reference trade count, final equity and return to 1e-6 relative', () => {
    expect(stats.trades).toBe(93);
    expect(relative(stats.equityFinal, 56_263.52)).toBeLessThan(1e-6);
    // The reference prints the return rounded (462.64 %); it is (56,263.52 / 10,000 − 1) × 100.
    expect(relative(stats.returnPct, 462.6352)).toBeLessThan(1e-6);
  });

  it('matches the reference max drawdown, Sharpe and win rate at their printed precision', () => {
    expect(stats.maxDrawdownPct.toFixed(2)).toBe('-33.93');
    expect(stats.sharpe.toFixed(4)).toBe('0.6007');
    expect(stats.winRatePct.toFixed(2)).toBe('52.69');
  });

  it('keeps the exact figures it had when it first matched (regression pin, not a reference)', () => {
    expect(relative(stats.maxDrawdownPct, -33.93159182905461)).toBeLessThan(1e-9);
    expect(relative(stats.sharpe, 0.6007399729861899)).toBeLessThan(1e-9);
    expect(stats.winRatePct).toBeCloseTo((49 / 93) * 100, 10);
  });

  it('fills at the next open with all-in whole units and leaves the last trade open', () => {
    expect(trades[0]).toMatchObject({ size: -59, entryBar: 63, exitBar: 75, entryPrice: 169.02, exitPrice: 179.13 });
    expect(trades[0].entryPrice).toBe(goog.open[63]);
    expect(trades[1].size).toBe(52);
    expect(openTrades).toHaveLength(1);
    expect(openTrades[0]).toMatchObject({ size: 69, entryBar: 2087, entryPrice: 702.24 });
  });
});
