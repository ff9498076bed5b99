import { calendarOf, ceilDuration, centeredMarketReturns, periodReturns } from './calendar.js';
import { drawdowns } from './drawdown.js';
import { exposedBars } from './exposure.js';
import type { OhlcvSeries } from './series.js';
import type { ClosedTrades } from './trade-book.js';
import type { BacktestStats } from './types.js';

/** backtesting.py's `geometric_mean`: any total loss makes it 0. */
export function geometricMean(returns: Float64Array, count: number): number {
  let logSum = 0;
  for (let i = 0; i < count; i++) {
    const g = returns[i] + 1;
    if (!(g > 0)) return 0;
    logSum += Math.log(g);
  }
  return count ? Math.exp(logSum / count) - 1 : NaN;
}

function variance(xs: Float64Array, count: number): number {
  if (count < 2) return NaN;
  let mean = 0;
  for (let i = 0; i < count; i++) mean += xs[i];
  mean /= count;
  let ss = 0;
  for (let i = 0; i < count; i++) ss += (xs[i] - mean) ** 2;
  return ss / (count - 1);
}

/** Beta of equity log returns against the instrument's (np.cov, ddof 1); the market side is cached per series. */
function beta(series: OhlcvSeries, equity: Float64Array, length: number): number {
  if (length < 3) return NaN;
  const dm = centeredMarketReturns(series, length);
  let cov = 0;
  let varM = 0;
  // Σ le·(lm − mean) equals the centered covariance sum; bars where equity did not move contribute nothing.
  for (let i = 1; i < length; i++) {
    const d = dm[i - 1];
    varM += d * d;
    if (equity[i] !== equity[i - 1]) cov += Math.log(equity[i] / equity[i - 1]) * d;
  }
  return cov / varM;
}

/**
 * The statistics of backtesting.py's `compute_stats`, formula for formula (geometric annualization over the data's
 * calendar, Sharpe = annual return / annual volatility with a zero risk-free rate), over the first `length` bars.
 * One pass over the bars (drawdowns) plus work per period and per trade; `equityLater` gives the equity to the
 * lazily computed beta (a lean run's buffer is reused by the next run, see lean.ts), unless `eagerBeta`.
 */
export function computeStats(series: OhlcvSeries, equity: Float64Array, length: number, trades: ClosedTrades,
  firstTradingBar: number, equityLater: () => Float64Array = () => equity, eagerBeta = false): BacktestStats {
  const time = series.time;
  const close = series.close;
  const { unit, periods, ends } = calendarOf(series, length);
  const start = time[0];
  const end = time[length - 1];
  const durationMs = end - start;
  const cash = equity[0];
  const final = equity[length - 1];

  const returns = periodReturns(equity, ends);
  // Since backtesting.py PR #1346 the leading NaN of pct_change is dropped, not counted as a 0 % day, and CAGR
  // counts calendar years; the calibration figures come from that version.
  const g = geometricMean(returns, returns.length);
  const annualReturn = (1 + g) ** periods - 1;
  const volatility = Math.sqrt((variance(returns, returns.length) + (1 + g) ** 2) ** periods - (1 + g) ** (2 * periods));
  let downside = 0;
  for (let i = 0; i < returns.length; i++) if (returns[i] < 0) downside += returns[i] ** 2;
  downside = Math.sqrt(downside / returns.length) * Math.sqrt(periods);
  const years = (Math.floor(durationMs / 86_400_000) + Math.floor((durationMs % 86_400_000) / 1000) / 86_400) / 365.25;
  const dd = drawdowns(time, equity, length);
  const returnPct = ((final - cash) / cash) * 100;
  const first = Math.min(firstTradingBar, length - 1);
  const buyAndHoldReturnPct = ((close[length - 1] - close[first]) / close[first]) * 100;

  let b = eagerBeta ? beta(series, equity, length) : undefined;
  const n = trades.count;
  let wins = 0, sumPnl = 0, sumWin = 0, sumLoss = 0, nLoss = 0, sumRet = 0, sumPos = 0, sumNeg = 0;
  let best = -Infinity, worst = Infinity, maxDur = -Infinity, sumDur = 0, commissions = 0;
  for (let k = 0; k < n; k++) {
    const pnl = trades.pnl[k];
    const r = trades.returnPct[k];
    sumPnl += pnl;
    if (pnl > 0) { wins++; sumWin += pnl; } else if (pnl < 0) { nLoss++; sumLoss += pnl; }
    sumRet += r;
    if (r > 0) sumPos += r; else if (r < 0) sumNeg += r;
    if (r > best) best = r;
    if (r < worst) worst = r;
    const dur = trades.durationMs[k];
    if (dur > maxDur) maxDur = dur;
    sumDur += dur;
    commissions += trades.commission[k];
  }
  const meanPnl = sumPnl / n;
  let ssPnl = 0;
  for (let k = 0; k < n; k++) ssPnl += (trades.pnl[k] - meanPnl) ** 2;
  const sdPnl = n > 1 ? Math.sqrt(ssPnl / (n - 1)) : NaN;
  const winRate = n ? wins / n : NaN;

  return {
    start, end, durationMs,
    exposurePct: (exposedBars(trades, length) / length) * 100,
    equityFinal: final,
    equityPeak: dd.peak,
    commissions,
    returnPct,
    buyAndHoldReturnPct,
    annualReturnPct: annualReturn * 100,
    annualVolatilityPct: volatility * 100,
    cagrPct: years ? ((final / cash) ** (1 / years) - 1) * 100 : NaN,
    sharpe: (annualReturn * 100) / (volatility * 100 || NaN),
    sortino: annualReturn / downside,
    calmar: annualReturn / (dd.max || NaN),
    // Alpha and beta cost two logarithms per bar, a third of the stats on long series: computed when first read.
    get beta() {
      return (b ??= beta(series, equityLater(), length));
    },
    get alphaPct() {
      return returnPct - this.beta * buyAndHoldReturnPct;
    },
    maxDrawdownPct: -dd.max * 100,
    avgDrawdownPct: -dd.avgPeak * 100,
    maxDrawdownDurationMs: ceilDuration(dd.maxDurationMs, unit),
    avgDrawdownDurationMs: ceilDuration(dd.avgDurationMs, unit),
    trades: n,
    winRatePct: winRate * 100,
    bestTradePct: n ? best * 100 : NaN,
    worstTradePct: n ? worst * 100 : NaN,
    avgTradePct: geometricMean(trades.returnPct, n) * 100,
    maxTradeDurationMs: n ? ceilDuration(maxDur, unit) : NaN,
    avgTradeDurationMs: n ? ceilDuration(sumDur / n, unit) : NaN,
    profitFactor: sumPos / (Math.abs(sumNeg) || NaN),
    expectancyPct: n ? (sumRet / n) * 100 : NaN,
    sqn: (Math.sqrt(n) * meanPnl) / (sdPnl || NaN),
    kelly: winRate - (1 - winRate) / (sumWin / wins / (-sumLoss / nLoss)),
  };
}
