import { deciderSpec } from '../test/decider-test.js';
import { InvalidFillError, InvalidOrderError, OrderNotCancellableError, OrderNotFoundError, OrderStateConflictError } from './errors.js';
import { orderDecider } from './order.decider.js';
import type { FillData, OrderEvent, OrderSpec, PlaceOrder } from './order.events.js';

const spec = deciderSpec(orderDecider);
const T0 = '2024-03-01T14:30:00.000Z';
const T1 = '2024-03-01T14:31:00.000Z';
const ids = { orderId: 'o1', accountId: 'a1' };

const limitBuy: OrderSpec = {
  orderId: 'o1', accountId: 'a1', clientOrderId: 'c1', symbol: 'AAPL', side: 'buy', type: 'limit',
  quantity: '10', limitPrice: '100', stopPrice: null, timeInForce: 'GTC', placedAt: T0,
};
const ACCEPT = { outcome: 'accepted', at: T0 } as const;
const place = (over: Partial<PlaceOrder['data']> = {}): PlaceOrder => ({ type: 'PlaceOrder', data: { ...limitBuy, verdict: ACCEPT, ...over } });
const placed = (over: Partial<OrderSpec> = {}): OrderEvent => ({ type: 'OrderPlaced', data: { ...limitBuy, ...over } });
const accepted: OrderEvent = { type: 'OrderAccepted', data: { ...ids, at: T0 } };
const fillData = (over: Partial<FillData>): FillData => ({
  ...ids, symbol: 'AAPL', side: 'buy', fillId: 'f1', price: '99.5', quantity: '4', fee: '0.4', liquidity: 'maker',
  filledQuantity: '4', remainingQuantity: '6', averageFillPrice: '99.5', at: T1, ...over,
});
const fillCmd = (over: Record<string, string> = {}) => ({
  type: 'FillOrder' as const, data: { orderId: 'o1', fillId: 'f1', price: '99.5', quantity: '4', fee: '0.4', liquidity: 'maker' as const, at: T1, ...over },
});

describe('order decider', () => {
  describe('PlaceOrder', () => {
    it('places a valid limit order with its accepted verdict, canonicalising decimals', () =>
      spec.given([]).when(place({ quantity: '10.0', limitPrice: '100.00' })).then([placed(), accepted]));

    it('places stop and stop-limit orders with their prices', () => {
      spec.given([]).when(place({ type: 'stop', limitPrice: null, stopPrice: '105' })).then([placed({ type: 'stop', limitPrice: null, stopPrice: '105' }), accepted]);
      spec.given([]).when(place({ type: 'stop_limit', stopPrice: '105', limitPrice: '106' })).then([placed({ type: 'stop_limit', stopPrice: '105', limitPrice: '106' }), accepted]);
    });

    it('places a refused order rejected, with its reason code and message', () =>
      spec.given([]).when(place({ verdict: { outcome: 'rejected', reason: 'INSUFFICIENT_BUYING_POWER', message: 'needs 1000, has 10', at: T1 } }))
        .then([placed(), { type: 'OrderRejected', data: { ...ids, reason: 'INSUFFICIENT_BUYING_POWER', message: 'needs 1000, has 10', at: T1 } }]));

    it('a rejection without a message repeats its reason code', () =>
      spec.given([]).when(place({ verdict: { outcome: 'rejected', reason: 'NO_MARKET_PRICE', at: T0 } }))
        .then([placed(), { type: 'OrderRejected', data: { ...ids, reason: 'NO_MARKET_PRICE', message: 'NO_MARKET_PRICE', at: T0 } }]));

    it('is idempotent on orderId, whatever the second verdict', () => {
      spec.given([placed(), accepted]).when(place()).then([]);
      spec.given([placed(), accepted]).when(place({ verdict: { outcome: 'rejected', reason: 'X', at: T1 } })).then([]);
      spec.given([placed(), { type: 'OrderRejected', data: { ...ids, reason: 'X', message: 'X', at: T0 } }]).when(place()).then([]);
    });

    it.each([
      ['limit without limitPrice', { limitPrice: null }],
      ['market with a limitPrice', { type: 'market' as const }],
      ['stop without stopPrice', { type: 'stop' as const, limitPrice: null }],
      ['stop_limit without limitPrice', { type: 'stop_limit' as const, limitPrice: null, stopPrice: '105' }],
      ['zero quantity', { quantity: '0' }],
      ['float-ish quantity', { quantity: '1e3' }],
      ['negative limit price', { limitPrice: '-1' }],
      ['unknown side', { side: 'hold' as never }],
      ['unknown type', { type: 'trailing' as never }],
      ['unknown time in force', { timeInForce: 'FOK' as never }],
      ['empty symbol', { symbol: '' }],
    ])('refuses %s', (_name, over) => spec.given([]).when(place(over)).thenThrows(InvalidOrderError, 'INVALID_ORDER'));
  });

  describe('TriggerOrder', () => {
    const stop = placed({ type: 'stop', limitPrice: null, stopPrice: '105' });
    const trigger = { type: 'TriggerOrder' as const, data: { orderId: 'o1', price: '105.2', at: T1 } };
    it('triggers an accepted stop', () =>
      spec.given([stop, accepted]).when(trigger).then([{ type: 'OrderTriggered', data: { ...ids, price: '105.2', at: T1 } }]));
    it('triggering twice emits nothing', () =>
      spec.given([stop, accepted, { type: 'OrderTriggered', data: { ...ids, price: '105.2', at: T1 } }]).when(trigger).then([]));
    it('refuses to trigger a limit order', () => spec.given([placed(), accepted]).when(trigger).thenThrows(OrderStateConflictError));
    it('refuses to trigger a pending stop', () => spec.given([stop]).when(trigger).thenThrows(OrderStateConflictError));
  });

  describe('FillOrder', () => {
    it('partially fills with running totals', () =>
      spec.given([placed(), accepted]).when(fillCmd()).then([{ type: 'OrderPartiallyFilled', data: fillData({}) }]));

    it('fills the remainder with the quantity-weighted average price', () =>
      spec.given([placed(), accepted, { type: 'OrderPartiallyFilled', data: fillData({}) }])
        .when(fillCmd({ fillId: 'f2', price: '100', quantity: '6', fee: '0.6' }))
        .then([{ type: 'OrderFilled', data: fillData({ fillId: 'f2', price: '100', quantity: '6', fee: '0.6', filledQuantity: '10', remainingQuantity: '0', averageFillPrice: '99.8' }) }]));

    it('is idempotent on fillId', () =>
      spec.given([placed(), accepted, { type: 'OrderPartiallyFilled', data: fillData({}) }]).when(fillCmd()).then([]));

    it('refuses more than the remaining quantity', () =>
      spec.given([placed(), accepted]).when(fillCmd({ quantity: '10.5' })).thenThrows(InvalidFillError, 'INVALID_FILL'));
    it('refuses a price worse than the limit', () =>
      spec.given([placed(), accepted]).when(fillCmd({ price: '100.01' })).thenThrows(InvalidFillError, 'INVALID_FILL'));
    it('refuses to fill a pending order', () => spec.given([placed()]).when(fillCmd()).thenThrows(OrderStateConflictError));
    it('refuses to fill an untriggered stop', () =>
      spec.given([placed({ type: 'stop', limitPrice: null, stopPrice: '105' }), accepted]).when(fillCmd()).thenThrows(OrderStateConflictError));
    it('refuses to fill a cancelled order', () =>
      spec.given([placed(), accepted, { type: 'OrderCancelled', data: { ...ids, reason: 'user', filledQuantity: '0', remainingQuantity: '10', at: T0 } }])
        .when(fillCmd()).thenThrows(OrderStateConflictError));
    it('refuses a malformed fee', () => spec.given([placed(), accepted]).when(fillCmd({ fee: '-1' })).thenThrows(InvalidOrderError));
  });

  describe('CancelOrder / ExpireOrder', () => {
    const cancel = { type: 'CancelOrder' as const, data: { orderId: 'o1', reason: 'user', at: T1 } };
    it('cancels a partially filled order, reporting what was left', () =>
      spec.given([placed(), accepted, { type: 'OrderPartiallyFilled', data: fillData({}) }]).when(cancel)
        .then([{ type: 'OrderCancelled', data: { ...ids, reason: 'user', filledQuantity: '4', remainingQuantity: '6', at: T1 } }]));
    it('cancelling twice emits nothing', () =>
      spec.given([placed(), { type: 'OrderCancelled', data: { ...ids, reason: 'user', filledQuantity: '0', remainingQuantity: '10', at: T1 } }]).when(cancel).then([]));
    it('refuses to cancel a filled order', () =>
      spec.given([placed(), accepted, { type: 'OrderFilled', data: fillData({ quantity: '10', filledQuantity: '10', remainingQuantity: '0' }) }])
        .when(cancel).thenThrows(OrderNotCancellableError, 'ORDER_NOT_CANCELLABLE'));
    it('refuses to cancel an unknown order', () => spec.given([]).when(cancel).thenThrows(OrderNotFoundError, 'ORDER_NOT_FOUND'));

    const expire = { type: 'ExpireOrder' as const, data: { orderId: 'o1', at: T1 } };
    it('expires a working order', () =>
      spec.given([placed({ timeInForce: 'DAY' }), accepted]).when(expire)
        .then([{ type: 'OrderExpired', data: { ...ids, filledQuantity: '0', remainingQuantity: '10', at: T1 } }]));
    it('expiring twice emits nothing', () =>
      spec.given([placed(), accepted, { type: 'OrderExpired', data: { ...ids, filledQuantity: '0', remainingQuantity: '10', at: T1 } }]).when(expire).then([]));
    it('refuses to expire a rejected order', () =>
      spec.given([placed(), { type: 'OrderRejected', data: { ...ids, reason: 'X', message: 'X', at: T0 } }]).when(expire).thenThrows(OrderStateConflictError));
  });
});
