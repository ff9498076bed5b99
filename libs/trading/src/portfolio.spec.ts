import { fold } from '../test/decider-test.js';
import { reserveFor } from '../test/reservation-order.js';
import { accountDecider } from './account.decider.js';
import type { AccountCommand, AccountEvent, OpenAccountState } from './account.events.js';
import { portfolioOf } from './portfolio.js';

const at = '2024-03-01T14:30:00.000Z';
const accountId = 'a1';

/** Runs commands through the account decider, as the command handler would. */
function run(commands: AccountCommand[]): OpenAccountState {
  const events: AccountEvent[] = [];
  for (const command of commands) events.push(...accountDecider.decide(command, fold(accountDecider, events)));
  return fold(accountDecider, events) as OpenAccountState;
}
const settle = (fillId: string, side: 'buy' | 'sell', quantity: string, price: string, fee: string): AccountCommand =>
  ({ type: 'SettleFill', data: { accountId, orderId: `o-${fillId}`, fillId, symbol: 'AAPL', side, quantity, price, fee, at } });

describe('portfolio math', () => {
  const opening: AccountCommand[] = [
    { type: 'OpenAccount', data: { accountId, name: 'Desk', openingDeposit: '0', settings: { allowShort: true, maxOrderNotional: null, maxPositionQuantity: {} }, apiKeyHash: 'h', at } },
    { type: 'DepositFunds', data: { accountId, transferId: 't1', amount: '10000', at } },
  ];

  it('deposit 10,000; buy 10 @ 100 fee 1; mark at 110; sell 4 @ 110 fee 0.44', () => {
    const afterBuy = run([...opening, settle('f1', 'buy', '10', '100', '1')]);
    // cash 10000 − 1000 − 1; the buy fee is capitalised: basis 1001, average cost 100.1
    expect(portfolioOf(afterBuy, { AAPL: '110' })).toMatchObject({
      cash: '8999', marketValue: '1100', unrealizedPnl: '99', realizedPnl: '0', equity: '10099',
      positions: [{ symbol: 'AAPL', quantity: '10', averageCost: '100.1', costBasis: '1001', marketValue: '1100', unrealizedPnl: '99' }],
    });

    const afterSell = run([...opening, settle('f1', 'buy', '10', '100', '1'), settle('f2', 'sell', '4', '110', '0.44')]);
    // cash 8999 + 440 − 0.44; realized 440 − 0.44 − 4 × 100.1 = 39.16; 6 left at 100.1 marked at 110 → 59.4
    expect(portfolioOf(afterSell, { AAPL: '110' })).toEqual({
      accountId, cash: '9438.56', reservedCash: '0', buyingPower: '9438.56', marketValue: '660', realizedPnl: '39.16', unrealizedPnl: '59.4',
      equity: '10098.56', unpricedSymbols: [],
      positions: [{ symbol: 'AAPL', quantity: '6', averageCost: '100.1', costBasis: '600.6', realizedPnl: '39.16', marketPrice: '110', marketValue: '660', unrealizedPnl: '59.4' }],
    });
  });

  it('marks a short: negative market value, gains when the price falls', () => {
    const state = run([...opening, settle('f1', 'sell', '10', '100', '1')]);
    expect(portfolioOf(state, { AAPL: '90' })).toMatchObject({
      cash: '10999', marketValue: '-900', unrealizedPnl: '99', equity: '10099',
      positions: [{ quantity: '-10', costBasis: '-999', averageCost: '99.9' }],
    });
  });

  it('marks an unpriced position at cost and says so', () => {
    const state = run([...opening, settle('f1', 'buy', '3', '100', '0')]);
    expect(portfolioOf(state, {})).toMatchObject({ marketValue: '300', unrealizedPnl: '0', equity: '10000', unpricedSymbols: ['AAPL'] });
  });

  it('counts reserved cash out of buying power but not out of equity', () => {
    const state = run([...opening, reserveFor({ accountId, orderId: 'o9', symbol: 'AAPL', side: 'buy', quantity: '10', price: '100', estimatedFee: '1', at })]);
    expect(portfolioOf(state, {})).toMatchObject({ cash: '10000', reservedCash: '1001', buyingPower: '8999', equity: '10000' });
  });
});
