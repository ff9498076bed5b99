import { fileURLToPath } from 'node:url';
import { loadCsv, loadCsvFile, resample, syntheticSeries } from '../src/index.js';

describe('OHLCV series', () => {
  it('reads pandas-style CSV with date-only and date-time stamps as UTC', () => {
    const s = loadCsv(',Open,High,Low,Close,Volume\n2004-08-19,100,104.06,95.96,100.34,22351900\n'
      + '2017-04-19 09:00:00,1.0716,1.0722,1.07083,1.07219,1413\n');
    expect(s.length).toBe(2);
    expect(s.time[0]).toBe(Date.UTC(2004, 7, 19));
    expect(s.time[1]).toBe(Date.UTC(2017, 3, 19, 9));
    expect([s.open[0], s.high[0], s.low[0], s.close[0], s.volume[0]]).toEqual([100, 104.06, 95.96, 100.34, 22351900]);
  });

  it('loads the GOOG and EURUSD fixtures', () => {
    const goog = loadCsvFile(fileURLToPath(new URL('../fixtures/GOOG.csv', import.meta.url)));
    expect(goog.length).toBe(2148);
    expect(goog.close[goog.length - 1]).toBe(806.19);
    const eur = loadCsvFile(fileURLToPath(new URL('../fixtures/EURUSD.csv', import.meta.url)));
    expect(eur.length).toBe(5000);
    expect(eur.time[1] - eur.time[0]).toBe(3_600_000);
  });

  it('rejects bars out of time order', () => {
    expect(() => loadCsv(',Open,High,Low,Close,Volume\n2020-01-02,1,1,1,1,1\n2020-01-01,1,1,1,1,1\n')).toThrow('time order');
  });

  it('resamples to coarser bars: first open, max high, min low, last close, summed volume', () => {
    const s = syntheticSeries(120, 3); // minute bars from 2020-01-01 00:00
    const h = resample(s, 3_600_000);
    expect(h.length).toBe(2);
    expect(h.time[1]).toBe(Date.UTC(2020, 0, 1, 1));
    expect(h.open[0]).toBe(s.open[0]);
    expect(h.close[0]).toBe(s.close[59]);
    expect(h.high[1]).toBe(Math.max(...s.high.subarray(60)));
    expect(h.low[1]).toBe(Math.min(...s.low.subarray(60)));
    expect(h.volume[0]).toBe(s.volume.subarray(0, 60).reduce((a, b) => a + b, 0));
  });

  it('resamples daily bars to calendar weeks and months', () => {
    const goog = loadCsvFile(fileURLToPath(new URL('../fixtures/GOOG.csv', import.meta.url)));
    const weeks = resample(goog, 'week');
    expect(new Date(weeks.time[0]).toISOString().slice(0, 10)).toBe('2004-08-16'); // the Monday of 2004-08-19
    const months = resample(goog, 'month');
    expect(new Date(months.time[1]).toISOString().slice(0, 10)).toBe('2004-09-01');
    expect(months.close[0]).toBe(goog.close[8]); // 2004-08-31, the 9th bar
  });

  it('generates the same random walk for the same seed', () => {
    const a = syntheticSeries(1000, 9);
    expect(Array.from(syntheticSeries(1000, 9).close)).toEqual(Array.from(a.close));
    expect(syntheticSeries(1000, 10).close[999]).not.toBe(a.close[999]);
    for (let i = 0; i < a.length; i++) {
      expect(a.high[i]).toBeGreaterThanOrEqual(Math.max(a.open[i], a.close[i]));
      expect(a.low[i]).toBeLessThanOrEqual(Math.min(a.open[i], a.close[i]));
    }
  });
});
