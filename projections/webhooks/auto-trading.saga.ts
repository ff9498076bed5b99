import { createHash } from 'node:crypto';
import { uuidFromName, type Projection, type RecordedEvent } from '#eventstore';
import type { SignalData } from '#libs/signals';
import {
  accountDecider, accountStreamId, orderDecider, orderStreamId, portfolioOf, TradingError, type OrderState,
} from '#libs/trading';
import { decideOrder, type OrderIntent } from '#libs/webhooks';
import { Histogram, register } from 'prom-client';
import type { EntityManager } from 'typeorm';
import { completePlacement, latestPriceFrom, type PlacementDeps } from '#projections/sagas';

/** Receipt (intake's receivedAt) to the saga acting on the signal: queueing plus order placement. */
export const signalProcessingSeconds =
  (register.getSingleMetric('webhook_signal_processing_seconds') as Histogram | undefined) ??
  new Histogram({
    name: 'webhook_signal_processing_seconds',
    help: 'Time from webhook receipt to the auto-trading saga handling the signal',
    labelNames: ['outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  });

type Outcome = { outcome: 'ordered' | 'rejected' | 'skipped'; orderId: string | null; reason: string | null };

/**
 * The same id POST /orders gives an order with this clientOrderId on this account, so the signal
 * and a REST retry by hand are one order, and a redelivered signal finds the order it placed.
 */
export const clientOrderIdFor = (signalId: string): string => `wh-${signalId}`;
export const orderIdFor = (accountId: string, signalId: string): string => uuidFromName(`order:${accountId}:${clientOrderIdFor(signalId)}`);

export const AUTO_TRADING_SAGA = 'auto-trading';
/**
 * Signals are split over this many saga lanes by account, each its own runner and checkpoint, so
 * accounts are served in parallel while one account's signals stay in order. Changing the number
 * re-deals accounts to lanes that start from the beginning of the log: safe (every step is
 * idempotent by the derived order id) but slow, so drain the backlog first.
 */
export const AUTO_TRADING_PARTITIONS = 4;

export function partitionOf(accountId: string, partitions: number): number {
  return createHash('sha1').update(accountId).digest().readUInt32BE(0) % partitions;
}

export const autoTradingSagas = (deps: PlacementDeps, partitions = AUTO_TRADING_PARTITIONS): Projection[] =>
  Array.from({ length: partitions }, (_, partition) => autoTradingSaga(deps, partition, partitions));

/**
 * Webhook signals become orders through the order placement path of POST /orders: PlaceOrder
 * on the order stream, then the account's risk check (completePlacement). Redelivery (a crash
 * before the checkpoint) finds the order already placed under the derived id and only completes
 * it, so it never orders twice nor re-sizes from a position that the first run already changed.
 */
export function autoTradingSaga(deps: PlacementDeps, partition = 0, partitions = 1): Projection {
  return {
    name: partitions === 1 ? AUTO_TRADING_SAGA : `${AUTO_TRADING_SAGA}-${partition}-of-${partitions}`,
    handles: ['SignalRecorded'],
    tables: [],
    async apply(event: RecordedEvent, tx: EntityManager): Promise<void> {
      const signal = event.data as SignalData;
      const intent = signal.metadata.order as unknown as OrderIntent | undefined;
      const webhookId = signal.metadata.webhookId;
      if (signal.source !== 'webhook' || !intent || typeof webhookId !== 'string') return;
      if (partitionOf(signal.accountId, partitions) !== partition) return;
      const result = await act(deps, tx, signal, intent);
      const processedAt = deps.clock();
      const latencyMs = Math.max(0, processedAt.getTime() - Date.parse(signal.receivedAt));
      await tx.query(
        `insert into webhook_signals (signal_id, webhook_id, account_id, symbol, action, received_at, processed_at, latency_ms, outcome, order_id, reason)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) on conflict (signal_id) do nothing`,
        [signal.signalId, webhookId, signal.accountId, signal.symbol, signal.side, signal.receivedAt, processedAt, latencyMs, result.outcome, result.orderId, result.reason],
      );
      signalProcessingSeconds.observe({ outcome: result.outcome }, latencyMs / 1000);
    },
  };
}

async function act(deps: PlacementDeps, tx: EntityManager, signal: SignalData, intent: OrderIntent): Promise<Outcome> {
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
async function sizingContext(deps: PlacementDeps, tx: EntityManager, signal: SignalData, intent: OrderIntent) {
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
