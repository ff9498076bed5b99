import { fold } from '../test/decider-test.js';
import { orderDecider } from './order.decider.js';
import type { OrderCommand, OrderEvent, OrderSpec, OrderState } from './order.events.js';
import { executeOrder, sessionEnd, type PaperBrokerConfig, type PriceUpdate } from './paper-broker.js';

const config: PaperBrokerConfig = {
  slippageBps: '5', feeBps: '10', makerFeeBps: '2', fixedFee: '1', maxVolumeFraction: null, priceScale: 2, feeScale: 2, quantityScale: 0, sessionEndUtc: '21:00',
};
const placedAt = '2024-03-01T14:30:00.000Z';
const T1 = '2024-03-01T14:31:00.000Z';
const T2 = '2024-03-01T14:32:00.000Z';

function working(over: Partial<OrderSpec>): OrderState {
  const order: OrderSpec = {
    orderId: 'o1', accountId: 'a1', clientOrderId: 'c1', symbol: 'AAPL', side: 'buy', type: 'market', quantity: '7',
    limitPrice: null, stopPrice: null, timeInForce: 'GTC', placedAt, ...over,
  };
  const events: OrderEvent[] = [{ type: 'OrderPlaced', data: order }, { type: 'OrderAccepted', data: { orderId: 'o1', accountId: 'a1', at: placedAt } }];
  return fold(orderDecider, events);
}
const bar = (time: string, open: string, high: string, low: string, close: string, volume = '1000'): PriceUpdate =>
  ({ kind: 'bar', symbol: 'AAPL', time, open, high, low, close, volume });

/** Applies the broker's commands through the order decider, as the handler will. */
function apply(state: OrderState, commands: OrderCommand[]): OrderState {
  return commands.reduce((s, c) => orderDecider.decide(c, s).reduce(orderDecider.evolve, s), state);
}

describe('paper broker', () => {
  it('fills a market buy at the next open plus slippage, fee to the cent', () => {
    expect(executeOrder(working({}), bar(T1, '123.45', '124', '123', '123.8'), config)).toEqual([
      // 123.45 × 1.0005 = 123.511725 → 123.52 (rounded against the buyer); fee 864.64 × 0.001 + 1 = 1.86464 → 1.86
      { type: 'FillOrder', data: { orderId: 'o1', fillId: 'o1:' + T1, price: '123.52', quantity: '7', fee: '1.86', liquidity: 'taker', at: T1 } },
    ]);
  });

  it('fills a market sell below the open', () => {
    const [fill] = executeOrder(working({ side: 'sell' }), bar(T1, '123.45', '124', '123', '123.8'), config);
    // 123.45 × 0.9995 = 123.388275 → 123.38 (rounded against the seller)
    expect(fill.data).toMatchObject({ price: '123.38', fee: '1.86' });
  });

  it('ignores prices from before the order was placed', () =>
    expect(executeOrder(working({}), bar('2024-03-01T14:29:00.000Z', '100', '100', '100', '100'), config)).toEqual([]));

  it('fills a buy limit at the limit when the bar trades through it, as maker', () => {
    const state = working({ type: 'limit', limitPrice: '99.5' });
    expect(executeOrder(state, bar(T1, '100', '100.5', '99.8', '100'), config)).toEqual([]);
    expect(executeOrder(state, bar(T2, '100', '100.5', '99.2', '99.9'), config)).toEqual([
      // maker fee: 696.5 × 0.0002 + 1 = 1.1393 → 1.14
      { type: 'FillOrder', data: { orderId: 'o1', fillId: 'o1:' + T2, price: '99.5', quantity: '7', fee: '1.14', liquidity: 'maker', at: T2 } },
    ]);
  });

  it('gives the trader the open when a bar gaps through the limit', () => {
    const [fill] = executeOrder(working({ type: 'limit', side: 'sell', limitPrice: '101' }), bar(T1, '102', '103', '101.5', '102'), config);
    expect(fill.data).toMatchObject({ price: '102', liquidity: 'maker' });
  });

  it('triggers a buy stop, then fills as market at the stop plus slippage', () => {
    const state = working({ type: 'stop', stopPrice: '105' });
    expect(executeOrder(state, bar(T1, '103', '104.9', '102', '104'), config)).toEqual([]);
    expect(executeOrder(state, bar(T2, '104', '106', '103.5', '105.5'), config)).toEqual([
      { type: 'TriggerOrder', data: { orderId: 'o1', price: '105', at: T2 } },
      // 105 × 1.0005 = 105.0525 → 105.06; fee 735.42 × 0.001 + 1 = 1.73542 → 1.74
      { type: 'FillOrder', data: { orderId: 'o1', fillId: 'o1:' + T2, price: '105.06', quantity: '7', fee: '1.74', liquidity: 'taker', at: T2 } },
    ]);
  });

  it('triggers a sell stop at the open when the bar gaps below it', () => {
    const commands = executeOrder(working({ type: 'stop', side: 'sell', stopPrice: '95' }), bar(T1, '94', '94.5', '93', '94'), config);
    expect(commands.map((c) => [c.type, (c.data as { price?: string }).price])).toEqual([['TriggerOrder', '94'], ['FillOrder', '93.95']]);
  });

  it('triggers a stop-limit, waits while the trigger price is beyond the limit, then fills as a limit', () => {
    let state = working({ type: 'stop_limit', stopPrice: '105', limitPrice: '105.5' });
    const gap = executeOrder(state, bar(T1, '106', '107', '105.8', '106'), config);
    expect(gap).toEqual([{ type: 'TriggerOrder', data: { orderId: 'o1', price: '106', at: T1 } }]);
    state = apply(state, gap);
    expect(state.status).toBe('triggered');
    expect(executeOrder(state, bar(T1, '106', '107', '105.8', '106'), config)).toEqual([]);
    const [fill] = executeOrder(state, bar(T2, '106', '106', '105', '105.2'), config);
    expect(fill.data).toMatchObject({ price: '105.5', liquidity: 'maker' });
  });

  it('fills at most a fraction of the bar volume, then the IOC remainder is cancelled', () => {
    const state = working({ type: 'limit', limitPrice: '100', quantity: '500', timeInForce: 'IOC' });
    expect(executeOrder(state, bar(T1, '99', '100', '98', '99', '1999'), { ...config, maxVolumeFraction: '0.1' })).toEqual([
      // 1999 × 0.1 = 199.9 → 199 shares; fee 19701 × 0.0002 + 1 = 4.9402 → 4.94
      { type: 'FillOrder', data: { orderId: 'o1', fillId: 'o1:' + T1, price: '99', quantity: '199', fee: '4.94', liquidity: 'maker', at: T1 } },
      { type: 'CancelOrder', data: { orderId: 'o1', reason: 'ioc_remainder', at: T1 } },
    ]);
  });

  it('cancels an IOC limit that the first update cannot fill', () =>
    expect(executeOrder(working({ type: 'limit', limitPrice: '90', timeInForce: 'IOC' }), bar(T1, '99', '100', '98', '99'), config))
      .toEqual([{ type: 'CancelOrder', data: { orderId: 'o1', reason: 'ioc_remainder', at: T1 } }]));

  it('works a GTC order over several bars in partial fills', () => {
    let state = working({ type: 'limit', limitPrice: '100', quantity: '300' });
    const cfg = { ...config, maxVolumeFraction: '0.1' };
    state = apply(state, executeOrder(state, bar(T1, '99', '100', '98', '99', '2000'), cfg));
    expect(state).toMatchObject({ status: 'partially_filled', filledQuantity: '200' });
    state = apply(state, executeOrder(state, bar(T2, '101', '102', '99.5', '100', '2000'), cfg));
    expect(state).toMatchObject({ status: 'filled', filledQuantity: '300', averageFillPrice: '99.33333333' });
  });

  it('expires a DAY order at the session end and never fills it afterwards', () => {
    expect(sessionEnd(placedAt, '21:00')).toBe('2024-03-01T21:00:00.000Z');
    expect(sessionEnd('2024-03-01T21:30:00.000Z', '21:00')).toBe('2024-03-02T21:00:00.000Z');
    const state = working({ type: 'limit', limitPrice: '90', timeInForce: 'DAY' });
    expect(executeOrder(state, bar('2024-03-01T20:59:00.000Z', '99', '100', '98', '99'), config)).toEqual([]);
    expect(executeOrder(state, bar('2024-03-01T21:00:00.000Z', '89', '90', '88', '89'), config))
      .toEqual([{ type: 'ExpireOrder', data: { orderId: 'o1', at: '2024-03-01T21:00:00.000Z' } }]);
  });

  it('never fills twice when a price update is redelivered, even out of order', () => {
    const cfg = { ...config, maxVolumeFraction: '0.1' };
    let state = working({ type: 'limit', limitPrice: '100', quantity: '500' });
    const first = bar(T1, '99', '100', '98', '99', '1000');
    state = apply(state, executeOrder(state, first, cfg));
    state = apply(state, executeOrder(state, bar(T2, '99', '100', '98', '99', '1000'), cfg));
    expect(state).toMatchObject({ filledQuantity: '200' });
    expect(executeOrder(state, first, cfg)).toEqual([]);
    // and the order decider would drop the same fill id even if the broker were asked with stale state
    const stale = working({ type: 'limit', limitPrice: '100', quantity: '500' });
    expect(apply(state, executeOrder(stale, first, cfg))).toEqual(state);
  });

  it('does nothing for pending, terminal or other-symbol orders', () => {
    const pending = fold(orderDecider, [{ type: 'OrderPlaced', data: (working({}) as { order: OrderSpec }).order }]);
    expect(executeOrder(pending, bar(T1, '100', '100', '100', '100'), config)).toEqual([]);
    expect(executeOrder(working({ symbol: 'MSFT' }), bar(T1, '100', '100', '100', '100'), config)).toEqual([]);
  });
});
