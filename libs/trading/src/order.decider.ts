import type { Decider } from '#eventstore';
import { InvalidFillError, OrderNotCancellableError, OrderNotFoundError, OrderStateConflictError } from './errors.js';
import { dec, roundPrice, toDecimalString } from './money.js';
import type { FillOrder, OrderCommand, OrderEvent, OrderProgress, OrderState } from './order.events.js';
import { checkPlaceOrder, orderDecimal } from './order.rules.js';

type Placed = Exclude<OrderState, { status: 'none' }>;

const placed = (state: OrderState, orderId: string): Placed => {
  if (state.status === 'none') throw new OrderNotFoundError(orderId);
  return state;
};
const remaining = (s: OrderProgress) => dec(s.order.quantity).minus(s.filledQuantity);
const ids = (s: Placed) => ({ orderId: s.order.orderId, accountId: s.order.accountId });

function decide(command: OrderCommand, state: OrderState): OrderEvent[] {
  switch (command.type) {
    case 'PlaceOrder': {
      // Placing is idempotent on orderId: a retried request must not open a second order.
      if (state.status !== 'none') return [];
      const order = checkPlaceOrder(command);
      const { verdict } = command.data;
      const party = { orderId: order.orderId, accountId: order.accountId };
      return [
        { type: 'OrderPlaced', data: order },
        verdict.outcome === 'accepted'
          ? { type: 'OrderAccepted', data: { ...party, at: verdict.at } }
          : { type: 'OrderRejected', data: { ...party, reason: verdict.reason, message: verdict.message ?? verdict.reason, at: verdict.at } },
      ];
    }
    case 'TriggerOrder': {
      const s = placed(state, command.data.orderId);
      if (s.order.type !== 'stop' && s.order.type !== 'stop_limit') throw new OrderStateConflictError(s.order.orderId, s.status, `trigger a ${s.order.type} order`);
      if (s.triggeredAt !== null) return [];
      if (s.status !== 'accepted') throw new OrderStateConflictError(s.order.orderId, s.status, 'trigger');
      const price = toDecimalString(orderDecimal(command.data.price, 'price'));
      return [{ type: 'OrderTriggered', data: { ...ids(s), price, at: command.data.at } }];
    }
    case 'FillOrder':
      return fill(command, placed(state, command.data.orderId));
    case 'CancelOrder': {
      const s = placed(state, command.data.orderId);
      if (s.status === 'cancelled') return [];
      if (s.status !== 'pending' && s.status !== 'accepted' && s.status !== 'triggered' && s.status !== 'partially_filled') {
        throw new OrderNotCancellableError(s.order.orderId, s.status);
      }
      return [{ type: 'OrderCancelled', data: {
        ...ids(s), reason: command.data.reason, filledQuantity: s.filledQuantity, remainingQuantity: toDecimalString(remaining(s)), at: command.data.at,
      } }];
    }
    case 'ExpireOrder': {
      const s = placed(state, command.data.orderId);
      if (s.status === 'expired') return [];
      if (s.status !== 'pending' && s.status !== 'accepted' && s.status !== 'triggered' && s.status !== 'partially_filled') {
        throw new OrderStateConflictError(s.order.orderId, s.status, 'expire');
      }
      return [{ type: 'OrderExpired', data: { ...ids(s), filledQuantity: s.filledQuantity, remainingQuantity: toDecimalString(remaining(s)), at: command.data.at } }];
    }
    default: {
      const unknown: never = command;
      throw new Error(`unknown order command ${(unknown as { type: string }).type}`);
    }
  }
}

function fill({ data }: FillOrder, s: Placed): OrderEvent[] {
  if (s.fillIds.includes(data.fillId)) return [];
  if (s.status !== 'accepted' && s.status !== 'triggered' && s.status !== 'partially_filled') throw new OrderStateConflictError(s.order.orderId, s.status, 'fill');
  const { order } = s;
  if ((order.type === 'stop' || order.type === 'stop_limit') && s.triggeredAt === null) throw new OrderStateConflictError(order.orderId, s.status, 'fill an untriggered stop');
  const quantity = orderDecimal(data.quantity, 'quantity');
  const price = orderDecimal(data.price, 'price');
  const fee = orderDecimal(data.fee, 'fee', false);
  if (data.liquidity !== 'maker' && data.liquidity !== 'taker') throw new InvalidFillError('liquidity must be maker or taker');
  const left = remaining(s);
  if (quantity.gt(left)) throw new InvalidFillError(`fill ${data.fillId} of ${quantity.toFixed()} exceeds the ${left.toFixed()} still open`);
  if (order.limitPrice !== null && (order.side === 'buy' ? price.gt(order.limitPrice) : price.lt(order.limitPrice))) {
    throw new InvalidFillError(`fill price ${price.toFixed()} is worse than the limit ${order.limitPrice}`);
  }
  const filledQuantity = dec(s.filledQuantity).plus(quantity);
  const filledNotional = dec(s.filledNotional).plus(quantity.times(price));
  const fillData = {
    ...ids(s), symbol: order.symbol, side: order.side, fillId: data.fillId, price: toDecimalString(price), quantity: toDecimalString(quantity),
    fee: toDecimalString(fee), liquidity: data.liquidity, filledQuantity: toDecimalString(filledQuantity),
    remainingQuantity: toDecimalString(left.minus(quantity)), averageFillPrice: toDecimalString(roundPrice(filledNotional.div(filledQuantity))), at: data.at,
  };
  return [{ type: filledQuantity.eq(order.quantity) ? 'OrderFilled' : 'OrderPartiallyFilled', data: fillData }];
}

function evolve(state: OrderState, event: OrderEvent): OrderState {
  if (event.type === 'OrderPlaced') {
    return { status: 'pending', order: event.data, filledQuantity: '0', filledNotional: '0', averageFillPrice: null, fillIds: [], lastFillAt: null, triggeredAt: null, triggerPrice: null };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'OrderAccepted':
      return { ...state, status: 'accepted' };
    case 'OrderRejected':
      return { ...state, status: 'rejected', reason: event.data.reason };
    case 'OrderTriggered':
      return { ...state, status: 'triggered', triggeredAt: event.data.at, triggerPrice: event.data.price };
    case 'OrderPartiallyFilled':
    case 'OrderFilled': {
      const { data } = event;
      return {
        ...state,
        status: event.type === 'OrderFilled' ? 'filled' : 'partially_filled',
        filledQuantity: data.filledQuantity,
        filledNotional: toDecimalString(dec(state.filledNotional).plus(dec(data.quantity).times(data.price))),
        averageFillPrice: data.averageFillPrice,
        fillIds: [...state.fillIds, data.fillId],
        lastFillAt: data.at,
      };
    }
    case 'OrderCancelled':
      return { ...state, status: 'cancelled', reason: event.data.reason };
    case 'OrderExpired':
      return { ...state, status: 'expired' };
    default: {
      const unknown: never = event;
      throw new Error(`unknown order event ${(unknown as { type: string }).type}`);
    }
  }
}

export const orderDecider: Decider<OrderCommand, OrderEvent, OrderState> = { initialState: { status: 'none' }, decide, evolve };
