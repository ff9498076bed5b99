import { CASH_SCALE, Decimal, dec, parseNonNegative, toDecimalString } from './money.js';
import type { Liquidity, OrderCommand, OrderState, WorkingOrderState } from './order.events.js';
import { isWorkingOrder } from './order.events.js';

/**
 * slippageBps moves market fills against the trader; feeBps (takers) / makerFeeBps (resting
 * limit fills, defaults to feeBps) plus fixedFee per fill, rounded half-up to feeScale.
 * maxVolumeFraction caps a fill at that share of the update's volume (null: no cap), which is
 * what makes partial fills happen. Prices round to priceScale against the trader, quantities
 * down to quantityScale. DAY orders expire at the first sessionEndUtc ('HH:MM', UTC) after placement.
 */
export interface PaperBrokerConfig {
  slippageBps: string;
  feeBps: string;
  makerFeeBps?: string;
  fixedFee: string;
  maxVolumeFraction: string | null;
  priceScale: number;
  feeScale: number;
  quantityScale: number;
  sessionEndUtc: string;
}

export const DEFAULT_PAPER_BROKER_CONFIG: PaperBrokerConfig = {
  slippageBps: '5', feeBps: '10', fixedFee: '0', maxVolumeFraction: null, priceScale: 8, feeScale: CASH_SCALE, quantityScale: 8, sessionEndUtc: '00:00',
};

/** A bar (time = bar open, as market data stores it) or a single traded price. */
export type PriceUpdate =
  | { kind: 'bar'; symbol: string; time: string; open: string; high: string; low: string; close: string; volume: string }
  | { kind: 'tick'; symbol: string; time: string; price: string; volume?: string };

export function sessionEnd(placedAt: string, sessionEndUtc: string): string {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(sessionEndUtc);
  if (!match) throw new Error(`sessionEndUtc must be HH:MM, got ${sessionEndUtc}`);
  const placed = new Date(placedAt);
  const end = Date.UTC(placed.getUTCFullYear(), placed.getUTCMonth(), placed.getUTCDate(), Number(match[1]), Number(match[2]));
  return new Date(end > placed.getTime() ? end : end + 86_400_000).toISOString();
}

interface Path { open: Decimal; high: Decimal; low: Decimal; volume: Decimal | null }

const pathOf = (u: PriceUpdate): Path =>
  u.kind === 'bar'
    ? { open: dec(u.open), high: dec(u.high), low: dec(u.low), volume: dec(u.volume) }
    : { open: dec(u.price), high: dec(u.price), low: dec(u.price), volume: u.volume === undefined ? null : dec(u.volume) };

/**
 * What the paper venue does with one working order on one price update, as commands for the
 * order decider. Pure and deterministic: the fill id is `${orderId}:${update.time}`, and updates
 * at or before the last fill (or before placement or the trigger) are ignored, so a redelivered
 * or out-of-order price never fills twice. At most one fill per order per update.
 *
 * Fill rules. Market (and triggered stop) orders fill at the update's open (or tick price) moved
 * by slippage, as takers. Limit orders fill at the limit when the bar trades through it, or at the
 * open when the bar opens beyond it (the gap is the trader's), as makers. A stop triggers when
 * the bar reaches it, at max(open, stop) for buys and min(open, stop) for sells; in the
 * triggering bar the rest of the path is unknown, so a market stop fills at the trigger price
 * with slippage and a stop-limit fills only if the trigger price is within its limit, else it
 * waits as a limit order for later updates.
 */
export function executeOrder(state: OrderState, update: PriceUpdate, config: PaperBrokerConfig): OrderCommand[] {
  if (!isWorkingOrder(state) || state.order.symbol !== update.symbol) return [];
  const { order } = state;
  const t = Date.parse(update.time);
  const at = update.time;
  if (t < Date.parse(order.placedAt)) return [];
  if (state.lastFillAt !== null && t <= Date.parse(state.lastFillAt)) return [];
  if (state.triggeredAt !== null && t < Date.parse(state.triggeredAt)) return [];
  if (order.timeInForce === 'DAY' && t >= Date.parse(sessionEnd(order.placedAt, config.sessionEndUtc))) {
    return [{ type: 'ExpireOrder', data: { orderId: order.orderId, at } }];
  }
  const path = pathOf(update);
  const commands: OrderCommand[] = [];
  let start = path.open;
  let triggeredNow = false;
  if (order.type === 'stop' || order.type === 'stop_limit') {
    if (state.triggeredAt === null) {
      const stop = dec(order.stopPrice!);
      const reached = order.side === 'buy' ? path.high.gte(stop) : path.low.lte(stop);
      if (!reached) return [];
      start = order.side === 'buy' ? Decimal.max(path.open, stop) : Decimal.min(path.open, stop);
      commands.push({ type: 'TriggerOrder', data: { orderId: order.orderId, price: toDecimalString(start), at } });
      triggeredNow = true;
    } else if (Date.parse(state.triggeredAt) === t) {
      start = dec(state.triggerPrice!);
      triggeredNow = true;
    }
  }
  const fill = fillPrice(state, path, start, triggeredNow, config);
  const remaining = dec(order.quantity).minus(state.filledQuantity);
  let quantity = remaining;
  if (config.maxVolumeFraction !== null && path.volume !== null) {
    const cap = path.volume.times(config.maxVolumeFraction).toDecimalPlaces(config.quantityScale, Decimal.ROUND_DOWN);
    quantity = Decimal.min(remaining, cap);
  }
  if (fill && quantity.gt(0)) {
    const bps = parseNonNegative(fill.liquidity === 'maker' ? config.makerFeeBps ?? config.feeBps : config.feeBps, 'feeBps');
    const fee = fill.price.times(quantity).times(bps).div(10_000).plus(config.fixedFee).toDecimalPlaces(config.feeScale, Decimal.ROUND_HALF_UP);
    commands.push({ type: 'FillOrder', data: {
      orderId: order.orderId, fillId: `${order.orderId}:${update.time}`, price: toDecimalString(fill.price), quantity: toDecimalString(quantity),
      fee: toDecimalString(fee), liquidity: fill.liquidity, at,
    } });
  } else {
    quantity = new Decimal(0);
  }
  // IOC: whatever the first executable update could not fill is cancelled, never left resting.
  if (order.timeInForce === 'IOC' && quantity.lt(remaining)) {
    commands.push({ type: 'CancelOrder', data: { orderId: order.orderId, reason: 'ioc_remainder', at } });
  }
  return commands;
}

function fillPrice(state: WorkingOrderState, path: Path, start: Decimal, triggeredNow: boolean, config: PaperBrokerConfig): { price: Decimal; liquidity: Liquidity } | null {
  const { order } = state;
  const buy = order.side === 'buy';
  if (order.limitPrice === null) {
    const slip = dec(config.slippageBps).div(10_000);
    const price = buy
      ? start.times(slip.plus(1)).toDecimalPlaces(config.priceScale, Decimal.ROUND_UP)
      : start.times(new Decimal(1).minus(slip)).toDecimalPlaces(config.priceScale, Decimal.ROUND_DOWN);
    return { price, liquidity: 'taker' };
  }
  const limit = dec(order.limitPrice);
  const through = buy ? start.lte(limit) : start.gte(limit);
  if (through) return { price: start, liquidity: 'maker' };
  if (triggeredNow) return null;
  const touched = buy ? path.low.lte(limit) : path.high.gte(limit);
  return touched ? { price: limit, liquidity: 'maker' } : null;
}
