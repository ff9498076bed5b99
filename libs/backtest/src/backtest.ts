import type { Params } from './params.js';
import type { OhlcvSeries } from './series.js';
import { simulate, type SimulationSettings } from './simulate.js';
import { runLean } from './run-lean.js';
import { checkStartBar, seriesFrom, signalsFrom } from './start-bar.js';
import { computeStats } from './stats.js';
import type { Signals, StrategyDefinition } from './strategy.js';
import { ExitCode, type ClosedTrades, type OpenTrades } from './trade-book.js';
import type { BacktestOptions, BacktestResult, ExitReason, Trade } from './types.js';

// backtesting.py's "all available margin" is `size = 1 - eps`: a fraction, never a literal 1 (which means 1 unit).
const ALL_IN = 1 - Number.EPSILON;

export function settingsFrom(options: BacktestOptions = {}): SimulationSettings {
  const sizing = options.sizing ?? { fraction: 1 };
  const fraction = 'fraction' in sizing ? Math.min(sizing.fraction, ALL_IN) : NaN;
  const units = 'units' in sizing ? sizing.units : NaN;
  if ('fraction' in sizing && !(sizing.fraction > 0 && sizing.fraction <= 1)) throw new Error('sizing.fraction must be in (0, 1]');
  if ('units' in sizing && !(units > 0)) throw new Error('sizing.units must be positive');
  const margin = options.margin ?? 1;
  if (!(margin > 0 && margin <= 1)) throw new Error('margin must be in (0, 1]');
  const cash = options.cash ?? 10_000;
  if (!(cash > 0)) throw new Error('cash must be positive');
  return {
    cash,
    rel: options.commission ?? 0,
    fixed: options.fixedCommission ?? 0,
    slippage: options.slippage ?? 0,
    tradeOnClose: options.tradeOnClose ?? false,
    fraction,
    units: options.fractional ? units : Math.floor(units),
    fractional: options.fractional ?? false,
    leverage: 1 / margin,
    exclusiveOrders: options.exclusiveOrders ?? false,
    closeAtEnd: options.closeAtEnd ?? false,
    onProgress: options.onProgress,
    progressSteps: options.progressSteps ?? 10,
  };
}

export function runBacktest(series: OhlcvSeries, strategy: StrategyDefinition, params: Params,
  options: BacktestOptions = {}): BacktestResult {
  const merged = { ...strategy.defaults, ...params };
  // A lean result recomputes its signals only if its equity is read after a later lean run reused the buffer.
  return run(series, strategy.signals(series, merged), options, () => strategy.signals(series, merged));
}

/** Runs precomputed signals: the entry point for custom strategies that build their own Signals. */
export function runSignals(series: OhlcvSeries, signals: Signals, options: BacktestOptions = {}): BacktestResult {
  return run(series, signals, options, () => signals);
}

function run(whole: OhlcvSeries, allSignals: Signals, options: BacktestOptions, againAll: () => Signals): BacktestResult {
  if (whole.length === 0) throw new Error('Cannot backtest an empty series');
  if (allSignals.action.length !== whole.length) throw new Error('Signals and series differ in length');
  const from = options.startBar ?? 0;
  checkStartBar(from, whole.length);
  const series = from ? seriesFrom(whole, from) : whole;
  const signals = from ? signalsFrom(allSignals, from) : allSignals;
  const again = from ? () => signalsFrom(againAll(), from) : againAll;
  const settings = settingsFrom(options);
  if (options.lean) return runLean(series, signals, settings, again);
  const sim = simulate(series, signals, settings);
  const { broker, equity, bars } = sim;
  return {
    stats: computeStats(series, equity, bars, broker.closed, Math.max(0, sim.start - 1)),
    equity,
    trades: closedTrades(series, broker.closed),
    openTrades: openTrades(series, broker.open, bars - 1, broker.commission.bind(broker)),
    stoppedEarly: sim.stoppedEarly,
  };
}

const REASONS: ExitReason[] = [];
REASONS[ExitCode.signal] = 'signal';
REASONS[ExitCode.stopLoss] = 'stop-loss';
REASONS[ExitCode.takeProfit] = 'take-profit';
REASONS[ExitCode.end] = 'end';
REASONS[ExitCode.outOfMoney] = 'out-of-money';

function closedTrades(series: OhlcvSeries, t: ClosedTrades): Trade[] {
  const out: Trade[] = new Array(t.count);
  for (let k = 0; k < t.count; k++) {
    const entryTime = series.time[t.entryBar[k]];
    const exitTime = series.time[t.exitBar[k]];
    out[k] = {
      size: t.size[k], entryBar: t.entryBar[k], exitBar: t.exitBar[k], entryTime, exitTime,
      entryPrice: t.entryPrice[k], exitPrice: t.exitPrice[k], pnl: t.pnl[k], returnPct: t.returnPct[k],
      commission: t.commission[k], durationMs: exitTime - entryTime, exitReason: REASONS[t.reason[k]],
    };
  }
  return out;
}

/** Open trades marked at the last close, their commission so far being the entry one. */
function openTrades(series: OhlcvSeries, o: OpenTrades, last: number, commission: (size: number, price: number) => number): Trade[] {
  const out: Trade[] = [];
  const price = series.close[last];
  for (let k = 0; k < o.count; k++) {
    const size = o.size[k];
    const entry = o.entryPrice[k];
    const paid = commission(size, entry);
    const entryTime = series.time[o.entryBar[k]];
    out.push({
      size, entryBar: o.entryBar[k], exitBar: last, entryTime, exitTime: series.time[last], entryPrice: entry,
      exitPrice: price, pnl: size * (price - entry) - paid,
      returnPct: Math.sign(size) * (price / entry - 1) - paid / (Math.abs(size) * entry), commission: paid,
      durationMs: series.time[last] - entryTime, exitReason: 'end',
    });
  }
  return out;
}
