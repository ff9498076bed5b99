import type { Alert } from './alert.js';
import { decideOrder, orderIntentOf, type OrderIntent } from './auto-trading.js';

const alert = (over: Partial<Alert> = {}): Alert => ({
  secret: null, symbol: 'AAPL', action: 'buy', quantity: null, percentOfEquity: null, price: '190', orderType: null,
  strategy: null, alertId: null, time: null, metadata: {}, ...over,
});
const fixedWebhook = { sizing: { mode: 'fixed_quantity', quantity: '10' } as const, orderDefaults: { type: 'market', timeInForce: 'GTC' } as const };
const context = { positionQuantity: '0', equity: '100000', price: '200' };

describe('order intent at intake', () => {
  it("uses the webhook's sizing and defaults when the alert says nothing", () =>
    expect(orderIntentOf(fixedWebhook, alert())).toEqual<OrderIntent>({ sizing: { mode: 'fixed_quantity', quantity: '10' }, type: 'market', timeInForce: 'GTC', limitPrice: null }));
  it("lets the alert's quantity, percent and limit order override", () => {
    expect(orderIntentOf(fixedWebhook, alert({ quantity: '3' })).sizing).toEqual({ mode: 'fixed_quantity', quantity: '3' });
    expect(orderIntentOf(fixedWebhook, alert({ percentOfEquity: '5' })).sizing).toEqual({ mode: 'percent_of_equity', percent: '5' });
    expect(orderIntentOf(fixedWebhook, alert({ orderType: 'limit', price: '189.5' }))).toMatchObject({ type: 'limit', limitPrice: '189.5' });
  });
  it('closes on a close action, and on every alert of a close-position webhook', () => {
    expect(orderIntentOf(fixedWebhook, alert({ action: 'close', quantity: '3' })).sizing).toEqual({ mode: 'close_position' });
    expect(orderIntentOf({ ...fixedWebhook, sizing: { mode: 'close_position' } }, alert({ action: 'buy' })).sizing).toEqual({ mode: 'close_position' });
  });
});

describe('order decision in the saga', () => {
  const intent = (sizing: OrderIntent['sizing']): OrderIntent => ({ sizing, type: 'market', timeInForce: 'GTC', limitPrice: null });
  it('buys or sells the fixed quantity', () => {
    expect(decideOrder('buy', intent({ mode: 'fixed_quantity', quantity: '10' }), context)).toEqual({ kind: 'order', side: 'buy', quantity: '10' });
    expect(decideOrder('sell', intent({ mode: 'fixed_quantity', quantity: '10' }), context)).toEqual({ kind: 'order', side: 'sell', quantity: '10' });
  });
  it('sizes a percent of equity at the price, cut down to 8 decimals', () => {
    expect(decideOrder('buy', intent({ mode: 'percent_of_equity', percent: '10' }), context)).toEqual({ kind: 'order', side: 'buy', quantity: '50' });
    expect(decideOrder('buy', intent({ mode: 'percent_of_equity', percent: '10' }), { ...context, price: '3' })).toEqual({ kind: 'order', side: 'buy', quantity: '3333.33333333' });
  });
  it('skips a percent without price, equity, or a size that rounds to nothing', () => {
    const percent = intent({ mode: 'percent_of_equity', percent: '1' });
    expect(decideOrder('buy', percent, { ...context, price: null })).toEqual({ kind: 'skip', reason: 'NO_PRICE_FOR_SIZING' });
    expect(decideOrder('buy', percent, { ...context, equity: '-5' })).toEqual({ kind: 'skip', reason: 'NO_EQUITY' });
    expect(decideOrder('buy', percent, { ...context, equity: '0.0000001', price: '100000' })).toEqual({ kind: 'skip', reason: 'QUANTITY_ROUNDS_TO_ZERO' });
  });
  it('closes a long by selling it, a short by buying it back, and nothing when flat', () => {
    const close = intent({ mode: 'close_position' });
    expect(decideOrder('close', close, { ...context, positionQuantity: '7.5' })).toEqual({ kind: 'order', side: 'sell', quantity: '7.5' });
    expect(decideOrder('close', close, { ...context, positionQuantity: '-2' })).toEqual({ kind: 'order', side: 'buy', quantity: '2' });
    expect(decideOrder('close', close, context)).toEqual({ kind: 'skip', reason: 'NO_POSITION_TO_CLOSE' });
  });
});
