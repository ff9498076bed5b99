import type { PositionSnapshot, Side } from './account.events.js';
import { Decimal, dec, roundCash, roundPrice, toDecimalString } from './money.js';

export const FLAT_POSITION: PositionSnapshot = { quantity: '0', costBasis: '0', averageCost: '0', realizedPnl: '0' };

export interface FillAccounting {
  position: PositionSnapshot;
  /** Signed change of cash: − (notional + fee) for a buy, notional − fee for a sell. */
  cashDelta: string;
  /** PnL realised by this fill alone. */
  realizedPnl: string;
}

/**
 * Average-cost accounting with signed quantities (shorts are negative).
 * Fees on the part of a fill that opens or extends a position are capitalised into its cost
 * basis (so average cost is the break-even price, as brokers show it); fees on the part that
 * reduces or closes it are deducted from realized PnL. A fill that crosses zero is split: the
 * closing part realises against the old basis, the rest opens a new position at the fill price,
 * and its fee is split pro rata. Every amount is rounded to cash once, and the opening part takes
 * the remainder, so cash + Σ costBasis − Σ realizedPnl stays exactly equal to net deposits.
 */
export function applyFill(before: PositionSnapshot, side: Side, quantity: Decimal, price: Decimal, fee: Decimal): FillAccounting {
  const q0 = dec(before.quantity);
  const b0 = dec(before.costBasis);
  const signed = side === 'buy' ? quantity : quantity.neg();
  const cashFlow = (notional: Decimal, feePart: Decimal) => (side === 'buy' ? notional.neg() : notional).minus(feePart);
  const totalFlow = cashFlow(roundCash(quantity.times(price)), roundCash(fee));

  const reduces = !q0.isZero() && q0.isNegative() !== signed.isNegative();
  const closeQty = reduces ? Decimal.min(quantity, q0.abs()) : new Decimal(0);
  let closeFlow = new Decimal(0);
  let removedBasis = new Decimal(0);
  if (closeQty.gt(0)) {
    const whole = closeQty.eq(quantity);
    closeFlow = whole ? totalFlow : cashFlow(roundCash(closeQty.times(price)), roundCash(fee.times(closeQty).div(quantity)));
    removedBasis = closeQty.eq(q0.abs()) ? b0 : roundCash(b0.times(closeQty).div(q0.abs()));
  }
  const realized = closeFlow.minus(removedBasis);
  const openFlow = totalFlow.minus(closeFlow);
  const q1 = q0.plus(signed);
  const b1 = b0.minus(removedBasis).minus(openFlow);
  return {
    position: {
      quantity: toDecimalString(q1),
      costBasis: toDecimalString(b1),
      averageCost: toDecimalString(q1.isZero() ? new Decimal(0) : roundPrice(b1.abs().div(q1.abs()))),
      realizedPnl: toDecimalString(dec(before.realizedPnl).plus(realized)),
    },
    cashDelta: toDecimalString(totalFlow),
    realizedPnl: toDecimalString(realized),
  };
}
