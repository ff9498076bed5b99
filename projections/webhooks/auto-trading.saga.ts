import { createHash } from 'node:crypto';
import { inLanes, oneQueryAtATime, uuidFromName, type Projection, type RecordedEvent } from '#eventstore';
import type { SignalData } from '#libs/signals';
import {
  accountDecider, accountStreamId, orderDecider, orderStreamId, portfolioOf, TradingError, type OrderState,
} from '#libs/trading';
import { decideOrder, type OrderIntent } from '#libs/webhooks';
import { Histogram, register } from 'prom-client';
import type { EntityManager } from 'typeorm';
import { completePlacement, latestPriceFrom, type PlacementDeps } from '#projections/sagas';
import { latencyMsOf, recordOutcomes, type HandledSignal, type Outcome } from './signal-outcomes.js';

/** Receipt (intake's receivedAt) to the saga acting on the signal: queueing plus order placement. */
export const signalProcessingSeconds =
  (register.getSingleMetric('webhook_signal_processing_seconds') as Histogram | undefined) ??
  new Histogram({
    name: 'webhook_signal_processing_seconds',
    help: 'Time from webhook receipt to the auto-trading saga handling the signal',
    labelNames: ['outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  });

/**
 * The same id POST /orders gives an order with this clientOrderId on this account, so the signal
 * and a REST retry by hand are one order, and a redelivered signal finds the order it placed.
 */
export const clientOrderIdFor = (signalId: string): string => `wh-${signalId}`;
export const orderIdFor = (accountId: string, signalId: string): string => uuidFromName(`order:${accountId}:${clientOrderIdFor(signalId)}`);

export const AUTO_TRADING_SAGA = 'auto-trading';
/**
 * Signals are split over this many saga lanes by account, each its own runner and checkpoint.
 * Accounts are served concurrently inside a batch too, but a batch ends with its busiest account's
 * chain of signals: lanes keep one account's burst from holding up three quarters of the others.
 * (1, 4 and 8 lanes drained a 3,000-signal backlog of 50 accounts alike within measurement noise.)
 * Changing the number re-deals accounts to lanes that start from the beginning of the log: safe
 * (every step is idempotent by the derived order id) but slow, and the old lanes' checkpoint rows
 * stay behind for the intake backlog to count from, so drain the backlog and remove them first.
 */
export const AUTO_TRADING_PARTITIONS = 4;
/**
 * Signals of different accounts are acted on at once, so a batch lasts about as long as its
 * busiest account's chain, not its size, and holds no transaction id until its closing insert:
 * a large batch means fewer commits and more accounts' appends combined into each store write.
 * A crash redoes at most this many signals, idempotently.
 */
export const AUTO_TRADING_BATCH = 500;

export function partitionOf(accountId: string, partitions: number): number {
  return createHash('sha1').update(accountId).digest().readUInt32BE(0) % partitions;
}

export const autoTradingSagas = (deps: PlacementDeps, partitions = AUTO_TRADING_PARTITIONS): Projection[] =>
  Array.from({ length: partitions }, (_, partition) => autoTradingSaga(deps, partition, partitions));

type Actionable = { signal: SignalData; intent: OrderIntent; webhookId: string };

const actionable = (event: RecordedEvent, partition: number, partitions: number): Actionable[] => {
  const signal = event.data as SignalData;
  const intent = signal.metadata.order as unknown as OrderIntent | undefined;
  const webhookId = signal.metadata.webhookId;
  if (signal.source !== 'webhook' || !intent || typeof webhookId !== 'string') return [];
  return partitionOf(signal.accountId, partitions) === partition ? [{ signal, intent, webhookId }] : [];
};

/**
 * Webhook signals become orders through the order placement path of POST /orders: PlaceOrder
 * on the order stream, then the account's risk check (completePlacement). One account's signals
 * are handled in log order ("processed in order"), different accounts' at once. Redelivery (a
 * crash before the checkpoint) finds the order already placed under the derived id and only
 * completes it, so it never orders twice nor re-sizes from a position the first run changed.
 */
export function autoTradingSaga(deps: PlacementDeps, partition = 0, partitions = 1): Projection {
  async function applyBatch(events: RecordedEvent[], tx: EntityManager): Promise<void> {
    const signals = events.flatMap((event) => actionable(event, partition, partitions));
    if (!signals.length) return;
    const reads = oneQueryAtATime(tx);
    const handled = await inLanes(signals, ({ signal }) => signal.accountId, async ({ signal, intent, webhookId }): Promise<HandledSignal> => {
      const result = await act(deps, reads, signal, intent);
      return { signal, webhookId, result, processedAt: deps.clock() };
    });
    await recordOutcomes(tx, handled);
    for (const h of handled) signalProcessingSeconds.observe({ outcome: h.result.outcome }, latencyMsOf(h) / 1000);
  }
  return {
    name: partitions === 1 ? AUTO_TRADING_SAGA : `${AUTO_TRADING_SAGA}-${partition}-of-${partitions}`,
    handles: ['SignalRecorded'],
    tables: [],
    batchSize: AUTO_TRADING_BATCH,
    applyBatch,
    apply: (event, tx) => applyBatch([event], tx),
  };
}

async function act(deps: PlacementDeps, tx: Pick<EntityManager, 'query'>, signal: SignalData, intent: OrderIntent): Promise<Outcome> {
  const orderId = orderIdFor(signal.accountId, signal.signalId);
  // A fixed quantity sizes the same on redelivery, and PlaceOrder on an existing order is a no-op
  // that returns it; close and percent sizing read the account, so they look for the order first.
  if (intent.sizing.mode !== 'fixed_quantity') {
    const existing = await deps.commands.load(orderStreamId(orderId), orderDecider);
    if (existing.state.status !== 'none') return outcomeOf(await completePlacement(deps, existing.state.order, latestPriceFrom(tx), existing.state));
  }
  const decision = decideOrder(signal.side, intent, await sizingContext(deps, tx, signal, intent));
  if (decision.kind === 'skip') return { outcome: 'skipped', orderId: null, reason: decision.reason };
  const data = {
    orderId, accountId: signal.accountId, clientOrderId: clientOrderIdFor(signal.signalId), symbol: signal.symbol, side: decision.side,
    type: intent.type, quantity: decision.quantity, limitPrice: intent.limitPrice, stopPrice: null, timeInForce: intent.timeInForce,
    placedAt: deps.clock().toISOString(),
  };
  try {
    const placed = await deps.commands.handle(orderStreamId(orderId), orderDecider, { type: 'PlaceOrder', data }, { commandId: `place:${orderId}` });
    if (placed.state.status === 'none') throw new Error(`order ${orderId} was not placed`);
    return outcomeOf(await completePlacement(deps, placed.state.order, latestPriceFrom(tx), placed.state));
  } catch (error) {
    // A refusal (an invalid order) is an outcome; an outage propagates and the signal is retried.
    if (error instanceof TradingError) return { outcome: 'rejected', orderId: null, reason: error.code };
    throw error;
  }
}

const outcomeOf = (state: OrderState): Outcome =>
  state.status === 'none'
    ? { outcome: 'rejected', orderId: null, reason: 'ORDER_NOT_FOUND' }
    : state.status === 'rejected'
      ? { outcome: 'rejected', orderId: state.order.orderId, reason: state.reason }
      : { outcome: 'ordered', orderId: state.order.orderId, reason: null };

/** Position and equity only matter for close and percent sizing; fixed quantities need no reads. */
async function sizingContext(deps: PlacementDeps, tx: Pick<EntityManager, 'query'>, signal: SignalData, intent: OrderIntent) {
  const context = { positionQuantity: '0', equity: '0', price: intent.limitPrice ?? signal.price };
  if (intent.sizing.mode === 'fixed_quantity') return context;
  const { state } = await deps.commands.load(accountStreamId(signal.accountId), accountDecider);
  if (state.status !== 'open') return context;
  const symbols = [...new Set([signal.symbol, ...Object.keys(state.positions)])];
  const rows: { symbol: string; price: string }[] = await tx.query('select symbol, price::text as price from latest_prices where symbol = any($1)', [symbols]);
  const prices = Object.fromEntries(rows.map((r) => [r.symbol, r.price]));
  return {
    positionQuantity: state.positions[signal.symbol]?.quantity ?? '0',
    equity: portfolioOf(state, prices).equity,
    price: intent.limitPrice ?? prices[signal.symbol] ?? signal.price,
  };
}
