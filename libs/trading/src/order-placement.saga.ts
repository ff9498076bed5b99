import type { ReserveForOrder } from './account.events.js';
import { Decimal, dec, toDecimalString } from './money.js';
import type { OrderSpec } from './order.events.js';
import type { PaperBrokerConfig } from './paper-broker.js';

/**
 * The paper broker's settings plus the allowance a market or stop order reserves above the latest
 * price: its fill lands on the next update's open, which may have moved since the reference.
 */
export interface BrokerSettings extends PaperBrokerConfig {
  reserveAllowanceBps: string;
}

export const DEFAULT_RESERVE_ALLOWANCE_BPS = '50';

/** Why an order is refused before the account is asked: a market order with no price to reserve at. */
export interface PlacementRejection {
  reason: 'NO_MARKET_PRICE';
  message: string;
}

/**
 * The reservation an OrderPlaced asks of its account. Limit and stop-limit orders reserve at their
 * limit. Market orders reserve at the latest price × (1 + allowance); stop orders at the worse of
 * the latest price and the stop (a buy stop fills above today's price) × (1 + allowance), or the
 * stop alone while the symbol has no price. The fee estimate uses the higher of the taker and maker
 * rates, rounded up, so the reservation never covers less than the broker will charge at that price.
 */
export function reservationRequest(
  order: OrderSpec,
  latestPrice: string | null,
  settings: BrokerSettings,
  at: string,
): { command: ReserveForOrder } | { rejection: PlacementRejection } {
  let price: Decimal;
  if (order.limitPrice !== null) {
    price = dec(order.limitPrice);
  } else {
    const stop = order.stopPrice === null ? null : dec(order.stopPrice);
    const latest = latestPrice === null ? null : dec(latestPrice);
    const base = stop && latest ? Decimal.max(stop, latest) : stop ?? latest;
    if (base === null) return { rejection: { reason: 'NO_MARKET_PRICE', message: `no price is known yet for ${order.symbol}; a market order needs one to reserve against` } };
    price = base.times(dec(settings.reserveAllowanceBps).div(10_000).plus(1)).toDecimalPlaces(settings.priceScale, Decimal.ROUND_UP);
  }
  const feeBps = Decimal.max(dec(settings.feeBps), dec(settings.makerFeeBps ?? settings.feeBps));
  const estimatedFee = price.times(order.quantity).times(feeBps).div(10_000).plus(settings.fixedFee).toDecimalPlaces(settings.feeScale, Decimal.ROUND_UP);
  return { command: { type: 'ReserveForOrder', data: { accountId: order.accountId, order, price: toDecimalString(price), estimatedFee: toDecimalString(estimatedFee), at } } };
}
