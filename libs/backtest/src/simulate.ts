import { Broker, type BrokerConfig } from './broker.js';
import type { OhlcvSeries } from './series.js';
import { Action, type Signals } from './strategy.js';
import { ExitCode, type ClosedTrades, type OpenTrades } from './trade-book.js';

export interface SimulationSettings extends BrokerConfig {
  exclusiveOrders: boolean;
  closeAtEnd: boolean;
  onProgress?: (step: number, equity: number) => boolean | void;
  progressSteps: number;
}

export interface Simulation {
  broker: Broker;
  /** Equity at each bar's close, `bars` long. */
  equity: Float64Array;
  /** First bar the strategy could trade on (backtesting.py's `start`, after indicator warm-up). */
  start: number;
  bars: number;
  stoppedEarly: boolean;
}

const NONE = new Float64Array(0);

/**
 * The bar loop. Invariant after each bar: equity[i] = cash + Σ size × (close[i] − entry), with entry and exit
 * commissions already taken from cash; decisions made on bar i only act from bar i + 1 (or i's close with
 * tradeOnClose), so a strategy cannot see the bar it trades on. `equity` (n long) may hold a previous run's
 * numbers: every bar up to where the run ends is written.
 */
export function simulate(series: OhlcvSeries, signals: Signals, cfg: SimulationSettings,
  equity: Float64Array = new Float64Array(series.length), closed?: ClosedTrades): Simulation {
  const n = series.length;
  const close = series.close;
  const start = Math.min(n, Math.max(1, signals.warmup + 1));
  const broker = new Broker(series, cfg, closed);
  const book = broker.open;
  equity.fill(cfg.cash, 0, start);
  const action = signals.action;
  const limit = signals.limit ?? NONE;
  const stop = signals.stop ?? NONE;
  const stopLoss = signals.stopLoss ?? NONE;
  const takeProfit = signals.takeProfit ?? NONE;
  const onProgress = cfg.onProgress;
  const steps = Math.max(1, cfg.progressSteps);
  let step = 1;
  let nextReport = onProgress ? start + Math.ceil((n - start) / steps) - 1 : n;
  let bars = n;
  let stoppedEarly = false;
  let broke = false;

  for (let i = start; i < n; i++) {
    if (broker.closeAllPending || broker.entryDir !== 0 || book.guarded > 0) broker.processOrders(i);
    else if (book.count <= 1) {
      i = quietBars(close, action, equity, i, Math.min(n, nextReport), broker.cash, book);
      if (i === n) break;
    }
    const held = book.count;
    // One open trade is the common case (stop-and-reverse strategies): mark it without the loop.
    const eq = held === 0 ? broker.cash
      : held === 1 ? broker.cash + book.size[0] * (close[i] - book.entryPrice[0])
        : broker.cash + book.openPnl(close[i]);
    equity[i] = eq;
    if (eq <= 0) {
      // Out of money: liquidate at this close and stay flat at zero, as backtesting.py does.
      broker.closeAll(close[i], i, ExitCode.outOfMoney);
      broker.cash = 0;
      equity.fill(0, i);
      broke = true;
      break;
    }
    const a = action[i];
    if (a !== Action.None) {
      if (a === Action.Exit) {
        if (broker.open.count > 0) broker.closeAllPending = true;
      } else {
        const dir = a === Action.Buy || a === Action.GoLong ? 1 : -1;
        const flip = a === Action.GoLong || a === Action.GoShort || cfg.exclusiveOrders;
        if (flip && broker.open.count > 0) broker.closeAllPending = true;
        placeEntry(broker, dir, close[i] * (1 + dir * cfg.slippage),
          i < limit.length ? limit[i] : NaN, i < stop.length ? stop[i] : NaN,
          i < stopLoss.length ? stopLoss[i] : NaN, i < takeProfit.length ? takeProfit[i] : NaN);
      }
    }
    if (i === nextReport) {
      if (onProgress!(step, eq) === true) {
        bars = i + 1;
        stoppedEarly = true;
        break;
      }
      // Series shorter than `steps` bars share report bars; those steps are skipped, not reported twice.
      do {
        step++;
        nextReport = start + Math.ceil(((n - start) * step) / steps) - 1;
      } while (nextReport <= i && step <= steps);
    }
  }

  if (cfg.closeAtEnd && !stoppedEarly && !broke && n > 0 && broker.open.count > 0) {
    broker.closeAll(close[n - 1], n - 1, ExitCode.end);
    equity[n - 1] = broker.cash;
  }
  return { broker, equity: bars === n ? equity : equity.subarray(0, bars), start, bars, stoppedEarly };
}

// backtesting.py rejects orders whose stop-loss / take-profit sit on the wrong side of the expected fill; here
// the order is simply not placed, so one odd bar cannot abort a whole optimization.
function placeEntry(b: Broker, dir: number, expected: number, limit: number, stop: number, sl: number, tp: number): void {
  const ref = limit === limit ? limit : stop === stop ? stop : expected;
  const ok = dir > 0 ? !(sl >= ref) && !(tp <= ref) : !(sl <= ref) && !(tp >= ref);
  if (!ok) return;
  b.entryDir = dir;
  b.entryLimit = limit;
  b.entryStop = stop;
  b.entryStopLoss = sl;
  b.entryTakeProfit = tp;
}

/**
 * Marks bars from `from` while nothing can happen on them (no order pending, at most one trade and it has no
 * stop-loss or take-profit, no decision, no report, no ruin): most bars of a run. Returns the first bar the full
 * loop must handle. Equity uses the loop's exact expressions, so the figures are the same bit for bit.
 */
function quietBars(close: Float64Array, action: Int8Array, equity: Float64Array, from: number, to: number,
  cash: number, book: OpenTrades): number {
  let i = from;
  if (book.count === 0) {
    if (cash <= 0) return i;
    while (i < to && action[i] === Action.None) equity[i++] = cash;
    return i;
  }
  const size = book.size[0];
  const entry = book.entryPrice[0];
  for (; i < to; i++) {
    const eq = cash + size * (close[i] - entry);
    if (eq <= 0 || action[i] !== Action.None) return i;
    equity[i] = eq;
  }
  return i;
}
