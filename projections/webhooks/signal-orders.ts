import pLimit from 'p-limit';
import { uuidFromName } from '#eventstore';
import type { SignalData } from '#libs/signals';
import { accountDecider, accountStreamId, checkPlaceOrder, orderDecider, orderStreamId, portfolioOf, TradingError, type OrderState } from '#libs/trading';
import { decideOrder, type OrderDecision, type OrderIntent, type SizingContext } from '#libs/webhooks';
import type { EntityManager } from 'typeorm';
import { latestPriceFrom, placeOrder, type PlacementDeps } from '#projections/sagas';
import type { HandledSignal, Outcome } from './signal-outcomes.js';

/**
 * The same id POST /orders gives an order with this clientOrderId on this account, so the signal
 * and a REST retry by hand are one order, and a redelivered signal finds the order it placed.
 */
export const clientOrderIdFor = (signalId: string): string => `wh-${signalId}`;
export const orderIdFor = (accountId: string, signalId: string): string => uuidFromName(`order:${accountId}:${clientOrderIdFor(signalId)}`);

export type Actionable = { signal: SignalData; intent: OrderIntent; webhookId: string };
type Reads = Pick<EntityManager, 'query'>;

/**
 * One account's signals in log order, cut into runs acted on one after another. Consecutive
 * fixed-quantity signals form one run: their size depends on nothing the earlier ones change, so
 * their orders are placed at once and only the account's risk checks go one by one (queued in
 * signal order, reserved in one append). A close or percent signal sizes from the account, so it
 * is a run of its own, acted on once everything before it is done. A run holds orders of one kind:
 * a market order reads the latest price before it reserves and a limit order does not, so in one
 * run a limit order would reserve ahead of the market orders before it.
 */
export function runsOf(signals: readonly Actionable[]): Actionable[][] {
  const runs: Actionable[][] = [];
  const open = new Map<string, Actionable[]>();
  const readsPrice = (s: Actionable) => s.intent.limitPrice === null;
  for (const s of signals) {
    const run = open.get(s.signal.accountId);
    if (run && s.intent.sizing.mode === 'fixed_quantity' && readsPrice(run[0]) === readsPrice(s)) {
      run.push(s);
      continue;
    }
    runs.push([s]);
    if (s.intent.sizing.mode === 'fixed_quantity') open.set(s.signal.accountId, runs[runs.length - 1]);
    else open.delete(s.signal.accountId);
  }
  return runs;
}

/**
 * Every order of the run is placed at once, started in signal order without waiting in between:
 * a limit order reaches its account lane synchronously, and a market order's price read is one of
 * the batch's reads, answered in the order asked (oneQueryAtATime); a run holds one kind, so its
 * reservations are queued in signal order (and made in one append). A placement that failed (an outage, not a refusal) fails the batch, which
 * is redelivered; the placements that went through are found again as written.
 */
export async function actOnRun(deps: PlacementDeps, reads: Reads, run: readonly Actionable[]): Promise<HandledSignal[]> {
  if (run.length === 1 || run[0].intent.sizing.mode !== 'fixed_quantity') {
    const { signal, intent, webhookId } = run[0];
    return [{ signal, webhookId, result: await act(deps, reads, signal, intent), processedAt: deps.clock() }];
  }
  const done = await Promise.allSettled(run.map(async ({ signal, intent, webhookId }): Promise<HandledSignal> => {
    const result = await fewAtATime(() => placeFixed(deps, reads, signal, intent));
    return { signal, webhookId, result, processedAt: deps.clock() };
  }));
  const error = done.find((p): p is PromiseRejectedResult => p.status === 'rejected');
  if (error) throw error.reason;
  return done.map((d) => (d as PromiseFulfilledResult<HandledSignal>).value);
}

/**
 * Placements in flight at once, over every lane: a backlog's placements fill the combined writes
 * without queueing thousands of them ahead of intake's appends on the event store's pool.
 */
const fewAtATime = pLimit(256);

/** The order as decided, placed through POST /orders' path: a redelivered signal finds the order it placed. */
async function place(deps: PlacementDeps, reads: Reads, signal: SignalData, intent: OrderIntent, decision: OrderDecision): Promise<Outcome> {
  if (decision.kind === 'skip') return { outcome: 'skipped', orderId: null, reason: decision.reason };
  const orderId = orderIdFor(signal.accountId, signal.signalId);
  try {
    const order = checkPlaceOrder({ data: {
      orderId, accountId: signal.accountId, clientOrderId: clientOrderIdFor(signal.signalId), symbol: signal.symbol, side: decision.side,
      type: intent.type, quantity: decision.quantity, limitPrice: intent.limitPrice, stopPrice: null, timeInForce: intent.timeInForce,
      placedAt: deps.clock().toISOString(),
    } });
    return outcomeOf(await placeOrder(deps, order, latestPriceFrom(reads)));
  } catch (error) {
    // A refusal (an invalid order) is an outcome; an outage propagates and the signal is retried.
    if (error instanceof TradingError) return { outcome: 'rejected', orderId: null, reason: error.code };
    throw error;
  }
}

/** A fixed quantity sizes the same on redelivery, from the signal alone. */
const placeFixed = (deps: PlacementDeps, reads: Reads, signal: SignalData, intent: OrderIntent) =>
  place(deps, reads, signal, intent, decideOrder(signal.side, intent, { positionQuantity: '0', equity: '0', price: intent.limitPrice ?? signal.price }));

/** One signal on its own; close and percent sizing read the account, so they look for the order first. */
async function act(deps: PlacementDeps, reads: Reads, signal: SignalData, intent: OrderIntent): Promise<Outcome> {
  if (intent.sizing.mode === 'fixed_quantity') return placeFixed(deps, reads, signal, intent);
  const existing = await deps.commands.load(orderStreamId(orderIdFor(signal.accountId, signal.signalId)), orderDecider);
  if (existing.state.status !== 'none') return outcomeOf(existing.state);
  return place(deps, reads, signal, intent, decideOrder(signal.side, intent, await sizingContext(deps, reads, signal, intent)));
}

const outcomeOf = (state: OrderState): Outcome =>
  state.status === 'none'
    ? { outcome: 'rejected', orderId: null, reason: 'ORDER_NOT_FOUND' }
    : state.status === 'rejected'
      ? { outcome: 'rejected', orderId: state.order.orderId, reason: state.reason }
      : { outcome: 'ordered', orderId: state.order.orderId, reason: null };

/** Position, equity and the latest prices, for close and percent sizing. */
async function sizingContext(deps: PlacementDeps, reads: Reads, signal: SignalData, intent: OrderIntent): Promise<SizingContext> {
  const context = { positionQuantity: '0', equity: '0', price: intent.limitPrice ?? signal.price };
  const { state } = await deps.commands.load(accountStreamId(signal.accountId), accountDecider);
  if (state.status !== 'open') return context;
  const symbols = [...new Set([signal.symbol, ...Object.keys(state.positions)])];
  const rows: { symbol: string; price: string }[] = await reads.query('select symbol, price::text as price from latest_prices where symbol = any($1)', [symbols]);
  const prices = Object.fromEntries(rows.map((r) => [r.symbol, r.price]));
  return {
    positionQuantity: state.positions[signal.symbol]?.quantity ?? '0',
    equity: portfolioOf(state, prices).equity,
    price: intent.limitPrice ?? prices[signal.symbol] ?? signal.price,
  };
}
