import pLimit from 'p-limit';
import { uuidFromName } from '#eventstore';
import type { SignalData } from '#libs/signals';
import { accountDecider, accountStreamId, orderDecider, orderStreamId, portfolioOf, TradingError, type OrderState } from '#libs/trading';
import { decideOrder, type OrderDecision, type OrderIntent, type SizingContext } from '#libs/webhooks';
import type { EntityManager } from 'typeorm';
import { completePlacement, latestPriceFrom, type PlacementDeps } from '#projections/sagas';
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
 * is a run of its own, acted on once everything before it is done.
 */
export function runsOf(signals: readonly Actionable[]): Actionable[][] {
  const runs: Actionable[][] = [];
  const open = new Map<string, Actionable[]>();
  for (const s of signals) {
    const run = open.get(s.signal.accountId);
    if (run && s.intent.sizing.mode === 'fixed_quantity') {
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
 * Every order of the run is placed at once; then completePlacement is started for each in signal
 * order without waiting in between: with a known pending state and a limit price it reaches the
 * account lane synchronously, and a market order's price read goes through the batch's FIFO
 * connection, so reservations are queued in signal order either way. A placement that failed
 * (an outage, not a refusal) stops the run there: the signals after it must not reserve ahead of
 * it, and the batch is redelivered.
 */
export async function actOnRun(deps: PlacementDeps, reads: Reads, run: readonly Actionable[]): Promise<HandledSignal[]> {
  if (run.length === 1 || run[0].intent.sizing.mode !== 'fixed_quantity') {
    const { signal, intent, webhookId } = run[0];
    return [{ signal, webhookId, result: await act(deps, reads, signal, intent), processedAt: deps.clock() }];
  }
  const placed = await Promise.allSettled(run.map(({ signal, intent }) => fewAtATime(() => placeFixed(deps, signal, intent))));
  const failed = placed.findIndex((p) => p.status === 'rejected');
  const done = await Promise.allSettled(
    placed.slice(0, failed < 0 ? placed.length : failed).map(async (p, i): Promise<HandledSignal> => {
      const result = await completed(deps, reads, (p as PromiseFulfilledResult<Outcome | OrderState>).value);
      return { signal: run[i].signal, webhookId: run[i].webhookId, result, processedAt: deps.clock() };
    }),
  );
  const error = [...placed, ...done].find((p): p is PromiseRejectedResult => p.status === 'rejected');
  if (error) throw error.reason;
  return done.map((d) => (d as PromiseFulfilledResult<HandledSignal>).value);
}

/**
 * Placements in flight at once, over every lane. Each new order's placement first reads its
 * (empty) stream on the event store's pool of 20 connections, and every append (intake's too)
 * queues behind those reads: four lanes of 500 at once put up to 2,000 reads ahead of an
 * acknowledgement. 256 keeps that queue to a few milliseconds and a backlog's placements still
 * fill the combined writes (64 halved the drain rate).
 */
const fewAtATime = pLimit(256);

const orderOf = (state: OrderState) => {
  if (state.status === 'none') throw new Error('a placed order has a spec');
  return state.order;
};

/** PlaceOrder as decided: a redelivered signal finds its order (PlaceOrder is then a no-op returning it). */
async function placeOrder(deps: PlacementDeps, signal: SignalData, intent: OrderIntent, decision: OrderDecision): Promise<Outcome | OrderState> {
  if (decision.kind === 'skip') return { outcome: 'skipped', orderId: null, reason: decision.reason };
  const orderId = orderIdFor(signal.accountId, signal.signalId);
  const data = {
    orderId, accountId: signal.accountId, clientOrderId: clientOrderIdFor(signal.signalId), symbol: signal.symbol, side: decision.side,
    type: intent.type, quantity: decision.quantity, limitPrice: intent.limitPrice, stopPrice: null, timeInForce: intent.timeInForce,
    placedAt: deps.clock().toISOString(),
  };
  try {
    const placed = await deps.commands.handle(orderStreamId(orderId), orderDecider, { type: 'PlaceOrder', data }, { commandId: `place:${orderId}`, expectNew: true });
    if (placed.state.status === 'none') throw new Error(`order ${orderId} was not placed`);
    return placed.state;
  } catch (error) {
    // A refusal (an invalid order) is an outcome; an outage propagates and the signal is retried.
    if (error instanceof TradingError) return { outcome: 'rejected', orderId: null, reason: error.code };
    throw error;
  }
}

/** A fixed quantity sizes the same on redelivery, from the signal alone. */
const placeFixed = (deps: PlacementDeps, signal: SignalData, intent: OrderIntent) =>
  placeOrder(deps, signal, intent, decideOrder(signal.side, intent, { positionQuantity: '0', equity: '0', price: intent.limitPrice ?? signal.price }));

const completed = async (deps: PlacementDeps, reads: Reads, placement: Outcome | OrderState): Promise<Outcome> =>
  'outcome' in placement ? placement : outcomeOf(await completePlacement(deps, orderOf(placement), latestPriceFrom(reads), placement));

/** One signal on its own; close and percent sizing read the account, so they look for the order first. */
async function act(deps: PlacementDeps, reads: Reads, signal: SignalData, intent: OrderIntent): Promise<Outcome> {
  if (intent.sizing.mode === 'fixed_quantity') return completed(deps, reads, await placeFixed(deps, signal, intent));
  const existing = await deps.commands.load(orderStreamId(orderIdFor(signal.accountId, signal.signalId)), orderDecider);
  if (existing.state.status !== 'none') return completed(deps, reads, existing.state);
  return completed(deps, reads, await placeOrder(deps, signal, intent, decideOrder(signal.side, intent, await sizingContext(deps, reads, signal, intent))));
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
