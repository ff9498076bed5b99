import { settlementCommands } from './settlement.saga.js';
import type { FillData } from './order.events.js';

const fill: FillData = {
  orderId: 'o1', accountId: 'a1', symbol: 'AAPL', side: 'buy', fillId: 'o1:t1', price: '100', quantity: '4', fee: '0.4', liquidity: 'taker',
  filledQuantity: '4', remainingQuantity: '6', averageFillPrice: '100', at: '2024-01-02T10:00:00.000Z',
};

describe('settlementCommands', () => {
  it('settles each fill on the account under its fill id', () => {
    for (const type of ['OrderPartiallyFilled', 'OrderFilled'] as const) {
      expect(settlementCommands({ type, data: fill })).toEqual([{ type: 'SettleFill', data: {
        accountId: 'a1', orderId: 'o1', fillId: 'o1:t1', symbol: 'AAPL', side: 'buy', quantity: '4', price: '100', fee: '0.4', at: fill.at,
      } }]);
    }
  });

  it('releases the reservation of an order that can no longer fill', () => {
    const data = { orderId: 'o1', accountId: 'a1', filledQuantity: '4', remainingQuantity: '6', at: fill.at };
    expect(settlementCommands({ type: 'OrderCancelled', data: { ...data, reason: 'requested' } })).toEqual([
      { type: 'ReleaseReservation', data: { accountId: 'a1', orderId: 'o1', reason: 'cancelled', at: fill.at } },
    ]);
    expect(settlementCommands({ type: 'OrderExpired', data })[0]).toMatchObject({ data: { reason: 'expired' } });
    expect(settlementCommands({ type: 'OrderRejected', data: { orderId: 'o1', accountId: 'a1', reason: 'X', message: 'x', at: fill.at } })[0]).toMatchObject({ data: { reason: 'rejected' } });
  });

  it('asks nothing of the account for placement, acceptance or a trigger', () => {
    expect(settlementCommands({ type: 'OrderAccepted', data: { orderId: 'o1', accountId: 'a1', at: fill.at } })).toEqual([]);
    expect(settlementCommands({ type: 'OrderTriggered', data: { orderId: 'o1', accountId: 'a1', price: '1', at: fill.at } })).toEqual([]);
  });
});
