import type { CommandHandler, Projection, RecordedEvent } from '#eventstore';
import {
  orderDecider, OrderRejectedError, orderStreamId, reservationRequest,
  type AccountEvent, type AccountState, type BrokerSettings, type OrderFundsReserved, type OrderSpec, type OrderState, type RiskVerdict,
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

/**
 * Places an order: the account's risk check first, then the order written once with its verdict
 * (OrderPlaced and OrderAccepted or OrderRejected in one append). That is two durable appends on
 * the request path where placing, reserving and accepting one after another took three, and no
 * order is ever seen pending. A crash between the two appends leaves cash reserved for an order
 * that was never written: the saga on OrderFundsReserved writes it from the reservation, which
 * carries the order. Every step is idempotent (reservation by orderId, the order stream written
 * once), so a retry, the saga and a concurrent duplicate may even run at once.
 */
export function placeOrder(deps: PlacementDeps, order: OrderSpec, latestPrice: LatestPrice): Promise<OrderState> {
  return once(deps, order.orderId, () => reserveThenWrite(deps, order, latestPrice));
}

async function reserveThenWrite(deps: PlacementDeps, order: OrderSpec, latestPrice: LatestPrice): Promise<OrderState> {
  // A retry this process has already answered: the order stands as written.
  const known = deps.commands.peek<OrderState>(orderStreamId(order.orderId));
  if (known && known.status !== 'none') return known;
  const at = deps.clock().toISOString();
  // Limit orders reserve at their limit: the price lookup is spent only on market and stop orders.
  const reference = order.limitPrice === null ? await latestPrice(order.symbol) : null;
  const request = reservationRequest(order, reference, deps.broker, at);
  if ('rejection' in request) return write(deps, order, { outcome: 'rejected', ...request.rejection, at });
  let reserved: { events: AccountEvent[]; state: AccountState };
  try {
    reserved = await onAccount(deps.commands, request.command, `reserve:${order.orderId}`);
  } catch (error) {
    if (error instanceof OrderRejectedError) return write(deps, order, { outcome: 'rejected', reason: error.code, message: error.message, at });
    throw error;
  }
  const held = reservedOrder(reserved, order.orderId);
  // Reserved and released long ago: the order it was for was written and has finished.
  if (!held) return (await deps.commands.load(orderStreamId(order.orderId), orderDecider)).state;
  return write(deps, held, { outcome: 'accepted', at });
}

/**
 * The order the cash is held for: this run's, or where an earlier run reserved first (a
 * concurrent duplicate under the same clientOrderId, perhaps with other terms), that run's. An
 * order is only ever written with the terms its reservation covers.
 */
function reservedOrder({ events, state }: { events: AccountEvent[]; state: AccountState }, orderId: string): OrderSpec | null {
  const made = events.find((e): e is OrderFundsReserved => e.type === 'OrderFundsReserved');
  if (made) return made.data.order;
  return state.status === 'open' ? state.reservations.get(orderId)?.order ?? null : null;
}

/**
 * Writes the order with its verdict, once: an order already written (by a retry, the saga, an
 * earlier refusal) stands. Where it stands rejected while this run holds cash for it, the cash is
 * released: a rejected order is the one finished order that never had a reservation of its own.
 */
async function write(deps: PlacementDeps, order: OrderSpec, verdict: RiskVerdict): Promise<OrderState> {
  const place = { type: 'PlaceOrder' as const, data: { ...order, verdict } };
  const { state } = await deps.commands.handle(orderStreamId(order.orderId), orderDecider, place, { commandId: `place:${order.orderId}`, expectNew: true });
  if (verdict.outcome === 'accepted' && state.status === 'rejected') await releaseOrphan(deps, order, verdict.at);
  return state;
}

const releaseOrphan = (deps: PlacementDeps, order: OrderSpec, at: string) =>
  onAccount(deps.commands, { type: 'ReleaseReservation', data: { accountId: order.accountId, orderId: order.orderId, reason: 'rejected', at } }, `release-orphan:${order.orderId}`);

const inFlight = new WeakMap<CommandHandler, Map<string, Promise<OrderState>>>();

/**
 * One run per order at a time in this process. The saga usually hears of a reservation while the
 * request that made it is still writing the order: it then waits for that run rather than race
 * it into conflicts, and runs itself only if that one failed.
 */
function once(deps: PlacementDeps, orderId: string, run: () => Promise<OrderState>): Promise<OrderState> {
  const running = inFlight.get(deps.commands) ?? new Map<string, Promise<OrderState>>();
  inFlight.set(deps.commands, running);
  const current = running.get(orderId);
  if (current) return current.catch(run);
  const started = run().finally(() => running.delete(orderId));
  running.set(orderId, started);
  return started;
}

/** A reservation's order, written accepted if no run wrote it; the cash back if it was written rejected meanwhile. */
function completeReservation(deps: PlacementDeps, order: OrderSpec): Promise<OrderState> {
  return once(deps, order.orderId, async () => {
    const known = deps.commands.peek<OrderState>(orderStreamId(order.orderId));
    const state = known && known.status !== 'none' ? known : (await deps.commands.load(orderStreamId(order.orderId), orderDecider)).state;
    const at = deps.clock().toISOString();
    if (state.status === 'none') return write(deps, order, { outcome: 'accepted', at });
    if (state.status === 'rejected') await releaseOrphan(deps, order, at);
    return state;
  });
}

/**
 * The durable half of placement: every reservation ends with its order written, even when the
 * process that made it died before writing it. Reservations are independent of each other here
 * (their cash is already held), so a batch completes them all at once.
 */
export function orderPlacementSaga(deps: PlacementDeps): Projection {
  async function applyBatch(events: RecordedEvent[]): Promise<void> {
    await Promise.all(events.map((event) => {
      // Reservations recorded before they carried their order belong to orders placed first: nothing to write.
      const { order } = event.data as Partial<OrderFundsReserved['data']>;
      return order && unlessRefused(stderrLog, `placement of ${order.orderId}`, () => completeReservation(deps, order));
    }));
  }
  return {
    name: 'order-placement',
    handles: ['OrderFundsReserved'],
    tables: [],
    // It completes what a crash interrupted; a live request writes its own order well before.
    spaced: true,
    applyBatch,
    apply: (event) => applyBatch([event]),
  };
}
