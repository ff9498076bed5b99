import { inLanes, oneQueryAtATime, type CommandHandler, type Projection, type RecordedEvent } from '#eventstore';
import {
  orderDecider, OrderRejectedError, OrderStateConflictError, orderStreamId, reservationRequest,
  type BrokerSettings, type OrderCommand, type OrderSpec, type OrderState, type ReleaseReason,
} from '#libs/trading';
import type { EntityManager } from 'typeorm';
import { onAccount } from './account-lane.js';
import { stderrLog, unlessRefused } from './tolerate.js';

export interface PlacementDeps {
  commands: CommandHandler;
  clock: () => Date;
  broker: BrokerSettings;
}

export type LatestPrice = (symbol: string) => Promise<string | null>;

export const latestPriceFrom = (db: Pick<EntityManager, 'query'>): LatestPrice => async (symbol) => {
  const rows: { price: string }[] = await db.query('select price::text as price from latest_prices where symbol = $1', [symbol]);
  return rows[0]?.price ?? null;
};

const onOrder = (deps: PlacementDeps, command: OrderCommand, commandId: string) =>
  deps.commands.handle(orderStreamId(command.data.orderId), orderDecider, command, { commandId });

const inFlight = new WeakMap<CommandHandler, Map<string, Promise<OrderState>>>();

/**
 * Takes a placed order through the account's risk check to accepted or rejected. The HTTP request
 * runs it so the trader hears the outcome; the saga on OrderPlaced runs it again for orders whose
 * process died half-way. Every step is idempotent (reservation by orderId, accept/reject by
 * status), so the two may even run at once; an order that died while its cash was being reserved
 * gets the reservation back. The saga usually hears of an order while the request is still
 * reserving: in the same process it then waits for that run rather than race it into conflicts.
 */
export function completePlacement(deps: PlacementDeps, order: OrderSpec, latestPrice: LatestPrice, known?: OrderState): Promise<OrderState> {
  const running = inFlight.get(deps.commands) ?? new Map<string, Promise<OrderState>>();
  inFlight.set(deps.commands, running);
  const current = running.get(order.orderId);
  if (current) return current.catch(() => place(deps, order, latestPrice));
  const run = place(deps, order, latestPrice, known).finally(() => running.delete(order.orderId));
  running.set(order.orderId, run);
  return run;
}

async function place(deps: PlacementDeps, order: OrderSpec, latestPrice: LatestPrice, known?: OrderState): Promise<OrderState> {
  // An order this process has already seen past pending (the request that placed it, usually)
  // needs no read: placement only moves forward, so a cached outcome is final.
  const cached = known ?? deps.commands.peek<OrderState>(orderStreamId(order.orderId));
  const state = cached && cached.status !== 'pending' ? cached : known ?? (await deps.commands.load(orderStreamId(order.orderId), orderDecider)).state;
  if (state.status !== 'pending') return state;
  const at = deps.clock().toISOString();
  // Limit orders reserve at their limit: the price lookup is spent only on market and stop orders.
  const reference = order.limitPrice === null ? await latestPrice(order.symbol) : null;
  const request = reservationRequest(order, reference, deps.broker, at);
  if ('rejection' in request) return reject(deps, order, request.rejection.reason, request.rejection.message, at);
  try {
    await onAccount(deps.commands, request.command, `reserve:${order.orderId}`);
  } catch (error) {
    if (error instanceof OrderRejectedError) return reject(deps, order, error.code, error.message, at);
    throw error;
  }
  try {
    return (await onOrder(deps, { type: 'AcceptOrder', data: { orderId: order.orderId, at } }, `accept:${order.orderId}`)).state;
  } catch (error) {
    if (!(error instanceof OrderStateConflictError)) throw error;
    const reason = error.status as ReleaseReason;
    await onAccount(deps.commands, { type: 'ReleaseReservation', data: { accountId: order.accountId, orderId: order.orderId, reason, at } }, `release-orphan:${order.orderId}`);
    return (await deps.commands.load(orderStreamId(order.orderId), orderDecider)).state;
  }
}

async function reject(deps: PlacementDeps, order: OrderSpec, reason: string, message: string, at: string): Promise<OrderState> {
  try {
    return (await onOrder(deps, { type: 'RejectOrder', data: { orderId: order.orderId, reason, message, at } }, `reject:${order.orderId}`)).state;
  } catch (error) {
    // A concurrent run accepted (or the trader cancelled) it first: that outcome stands.
    if (!(error instanceof OrderStateConflictError)) throw error;
    return (await deps.commands.load(orderStreamId(order.orderId), orderDecider)).state;
  }
}

/**
 * The durable half of placement: an order left pending by a crash is still accepted or rejected.
 * A batch completes different accounts' orders at once and one account's in log order, so orders
 * reserve buying power in the order they were placed.
 */
export function orderPlacementSaga(deps: PlacementDeps): Projection {
  async function applyBatch(events: RecordedEvent[], tx: EntityManager): Promise<void> {
    const latestPrice = latestPriceFrom(oneQueryAtATime(tx));
    const orders = events.map((event) => event.data as OrderSpec);
    await inLanes(orders, (order) => order.accountId, (order) =>
      unlessRefused(stderrLog, `placement of ${order.orderId}`, () => completePlacement(deps, order, latestPrice)));
  }
  return {
    name: 'order-placement',
    handles: ['OrderPlaced'],
    tables: [],
    applyBatch,
    apply: (event, tx) => applyBatch([event], tx),
  };
}
