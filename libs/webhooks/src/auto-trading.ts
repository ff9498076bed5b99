import { Decimal } from 'decimal.js';
import type { Alert } from './alert.js';
import type { OrderDefaults, Sizing, WebhookSpec } from './webhook.events.js';

/**
 * What the webhook decided at intake, stored on the signal (metadata.order): the saga acts on the
 * signal alone, so a webhook removed or reconfigured later does not change an accepted alert.
 */
export type OrderIntent = { sizing: Sizing; type: OrderDefaults['type']; timeInForce: OrderDefaults['timeInForce']; limitPrice: string | null };

export function orderIntentOf(webhook: Pick<WebhookSpec, 'sizing' | 'orderDefaults'>, alert: Alert): OrderIntent {
  const type = alert.orderType ?? webhook.orderDefaults.type;
  const closes = alert.action === 'close' || webhook.sizing.mode === 'close_position';
  const sizing: Sizing = closes
    ? { mode: 'close_position' }
    : alert.quantity !== null
      ? { mode: 'fixed_quantity', quantity: alert.quantity }
      : alert.percentOfEquity !== null
        ? { mode: 'percent_of_equity', percent: alert.percentOfEquity }
        : webhook.sizing;
  return { sizing, type, timeInForce: webhook.orderDefaults.timeInForce, limitPrice: type === 'limit' ? alert.price : null };
}

/** What the account looks like when the signal is handled: signed position, equity, the price to size at. */
export interface SizingContext {
  positionQuantity: string;
  equity: string;
  /** The limit price, else the latest market price, else the alert's price; null when none is known. */
  price: string | null;
}

export type OrderDecision =
  | { kind: 'order'; side: 'buy' | 'sell'; quantity: string }
  | { kind: 'skip'; reason: 'NO_POSITION_TO_CLOSE' | 'NO_PRICE_FOR_SIZING' | 'QUANTITY_ROUNDS_TO_ZERO' | 'NO_EQUITY' };

/** Quantities from a percentage are cut down (never up) to this many decimals: sizing must not exceed the budget. */
export const SIZED_QUANTITY_SCALE = 8;

/** Pure: one signal, one account snapshot, one decision. */
export function decideOrder(action: Alert['action'], intent: OrderIntent, context: SizingContext): OrderDecision {
  const sizing = intent.sizing;
  switch (sizing.mode) {
    case 'close_position': {
      const position = new Decimal(context.positionQuantity);
      if (position.isZero()) return { kind: 'skip', reason: 'NO_POSITION_TO_CLOSE' };
      return { kind: 'order', side: position.isPositive() ? 'sell' : 'buy', quantity: position.abs().toFixed() };
    }
    case 'fixed_quantity':
      return { kind: 'order', side: sideOf(action), quantity: sizing.quantity };
    case 'percent_of_equity': {
      if (context.price === null) return { kind: 'skip', reason: 'NO_PRICE_FOR_SIZING' };
      const equity = new Decimal(context.equity);
      if (equity.lte(0)) return { kind: 'skip', reason: 'NO_EQUITY' };
      const quantity = equity.times(sizing.percent).div(100).div(context.price).toDecimalPlaces(SIZED_QUANTITY_SCALE, Decimal.ROUND_DOWN);
      if (quantity.isZero()) return { kind: 'skip', reason: 'QUANTITY_ROUNDS_TO_ZERO' };
      return { kind: 'order', side: sideOf(action), quantity: quantity.toFixed() };
    }
    default: {
      const unknown: never = sizing;
      throw new Error(`unknown sizing ${String(unknown)}`);
    }
  }
}

function sideOf(action: Alert['action']): 'buy' | 'sell' {
  // close always maps to close_position in orderIntentOf; this guards a hand-made intent.
  if (action === 'close') throw new Error('a close signal must be sized as close_position');
  return action;
}
