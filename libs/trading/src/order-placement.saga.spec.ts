import { DEFAULT_PAPER_BROKER_CONFIG } from './paper-broker.js';
import { reservationRequest, type BrokerSettings } from './order-placement.saga.js';
import type { OrderSpec } from './order.events.js';

const settings: BrokerSettings = { ...DEFAULT_PAPER_BROKER_CONFIG, feeBps: '10', fixedFee: '1', reserveAllowanceBps: '50' };
const order = (o: Partial<OrderSpec>): OrderSpec => ({
  orderId: 'o1', accountId: 'a1', clientOrderId: 'c1', symbol: 'AAPL', side: 'buy', type: 'market', quantity: '10',
  limitPrice: null, stopPrice: null, timeInForce: 'GTC', placedAt: '2024-01-02T10:00:00.000Z', ...o,
});
const at = '2024-01-02T10:00:00.000Z';

describe('reservationRequest', () => {
  it('reserves a limit order at its limit, fee at the taker rate plus the fixed fee', () => {
    const limit = order({ type: 'limit', limitPrice: '100' });
    expect(reservationRequest(limit, '120', settings, at)).toEqual({ command: { type: 'ReserveForOrder', data: {
      accountId: 'a1', order: limit, price: '100', estimatedFee: '2', at,
    } } });
  });

  it('reserves a market order at the latest price plus the allowance, fee rounded up', () => {
    // 100.01 × 1.005 = 100.51005; fee 10 × 100.51005 × 0.001 + 1 = 2.0051005
    const result = reservationRequest(order({}), '100.01', settings, at);
    expect(result).toMatchObject({ command: { data: { price: '100.51005', estimatedFee: '2.0051005' } } });
  });

  it('reserves a buy stop at the worse of stop and latest price', () => {
    expect(reservationRequest(order({ type: 'stop', stopPrice: '110' }), '100', settings, at)).toMatchObject({ command: { data: { price: '110.55' } } });
    expect(reservationRequest(order({ type: 'stop', stopPrice: '110' }), null, settings, at)).toMatchObject({ command: { data: { price: '110.55' } } });
  });

  it('rejects a market order on a symbol without a price', () => {
    expect(reservationRequest(order({}), null, settings, at)).toMatchObject({ rejection: { reason: 'NO_MARKET_PRICE' } });
  });
});
