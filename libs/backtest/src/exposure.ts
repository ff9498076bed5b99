import type { ClosedTrades } from './trade-book.js';

/**
 * Bars with at least one closed trade open (entry to exit bar, both included, clipped to `length`): the size of
 * the union of the trades' bar intervals, so no per-bar mask is needed. Trades close in FIFO order, so entry bars
 * are almost always sorted; stop-losses and take-profits can close a later trade first, and then the intervals
 * are sorted here.
 */
export function exposedBars(trades: ClosedTrades, length: number): number {
  const n = trades.count;
  const entry = trades.entryBar;
  const exit = trades.exitBar;
  let order: Int32Array | undefined;
  for (let k = 1; k < n; k++) {
    if (entry[k] < entry[k - 1]) {
      order = Int32Array.from({ length: n }, (_, j) => j).sort((a, b) => entry[a] - entry[b]);
      break;
    }
  }
  let total = 0;
  let from = 0;
  let to = 0; // the current merged run [from, to); empty while to === from
  for (let j = 0; j < n; j++) {
    const k = order ? order[j] : j;
    const a = entry[k];
    const b = Math.min(length, exit[k] + 1);
    if (!(a < b)) continue;
    if (a > to) {
      total += to - from;
      from = a;
      to = b;
    } else if (b > to) to = b;
  }
  return total + to - from;
}
