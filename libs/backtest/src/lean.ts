import { ClosedTrades } from './trade-book.js';

// Lean runs (optimizers) share one equity buffer and one closed-trade book per thread: 10,000 runs on 525,600
// minute bars would otherwise allocate, zero and page in 42 GB of equity between them, which cost more than the
// simulation itself. The statistics are taken from the buffers before the run returns; what a lean result can
// still read later (its equity, beta) checks its generation and, once a newer run reused the buffers, recomputes
// the run deterministically instead of reading another run's numbers.

export interface LeanBuffers {
  equity: Float64Array;
  closed: ClosedTrades;
  generation: number;
}

let equityBuffer = new Float64Array(0);
let betaReadLate = false;
const closedBook = new ClosedTrades();
let generation = 0;
let busy = false;

/** The thread's buffers, or fresh ones when a lean run is already in progress (a run started from onProgress). */
export function acquireLeanBuffers(bars: number): LeanBuffers {
  if (busy) return { equity: new Float64Array(bars), closed: new ClosedTrades(), generation: -1 };
  busy = true;
  if (equityBuffer.length < bars) equityBuffer = new Float64Array(bars);
  closedBook.clear();
  return { equity: equityBuffer.subarray(0, bars), closed: closedBook, generation: ++generation };
}

export function releaseLeanBuffers(buffers: LeanBuffers): void {
  if (buffers.generation === generation) busy = false;
}

/** True while no later lean run has reused these buffers (fresh ones are never reused). */
export function stillHeld(buffers: LeanBuffers): boolean {
  return buffers.generation === -1 || buffers.generation === generation;
}

/**
 * A result's beta read after later runs costs a re-simulation. A thread where that happens once (a pool worker
 * posting a chunk of results, whose cloning reads beta) computes beta with every later run instead, while the buffer
 * is held: one pass of logarithms rather than a whole run again. Threads that never read beta late never pay for it.
 */
export function noteLateBetaRead(): void {
  betaReadLate = true;
}

export function betaEagerly(): boolean {
  return betaReadLate;
}
