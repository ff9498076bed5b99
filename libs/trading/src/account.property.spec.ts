import { int, pick, prng } from '../test/prng.js';
import { accountDecider } from './account.decider.js';
import type { AccountCommand, AccountState, OpenAccountState } from './account.events.js';
import { buyingPower } from './account.rules.js';
import { InsufficientFundsError, OrderRejectedError } from './errors.js';
import { dec } from './money.js';

const at = '2024-03-01T14:30:00.000Z';
const accountId = 'a1';
const symbols = ['AAPL', 'MSFT'] as const;

/**
 * Random interleavings of reservations, fills, releases, withdrawals and deposits, each decided
 * against the state the previous one left, which is what appending at the expected revision
 * guarantees under concurrency. Fills respect their reservation (price no worse, fee within the
 * estimate), as the paper broker's limit fills do. Buying power must never go below zero.
 */
describe('buying power under any sequence of reservations (seeded)', () => {
  it.each([[1], [7], [42], [20240301], [987654321]])('seed %i', (seed) => {
    const random = prng(seed);
    const decide = (command: AccountCommand, state: AccountState) => accountDecider.decide(command, state).reduce(accountDecider.evolve, state);
    let state = decide({ type: 'OpenAccount', data: {
      accountId, name: 'Prop', openingDeposit: '5000', apiKeyHash: 'h', at,
      settings: { allowShort: random() < 0.5, maxOrderNotional: '4000', maxPositionQuantity: { '*': '80' } },
    } }, accountDecider.initialState);
    let rejected = 0;
    for (let step = 0; step < 600; step++) {
      const account = state as OpenAccountState;
      const open = Object.values(account.reservations);
      const roll = random();
      let command: AccountCommand;
      if (roll < 0.45 || open.length === 0) {
        const quantity = int(random, 1, 40);
        const price = `${int(random, 5, 150)}.${String(int(random, 0, 99)).padStart(2, '0')}`;
        command = { type: 'ReserveForOrder', data: {
          accountId, orderId: `o${step}`, symbol: pick(random, symbols), side: pick(random, ['buy', 'sell'] as const),
          quantity: String(quantity), price, estimatedFee: `${int(random, 0, 5)}.${int(random, 0, 9)}`, at,
        } };
      } else if (roll < 0.8) {
        const r = pick(random, open);
        const quantity = Math.max(1, Math.floor(Number(r.quantity) * random()));
        const improvement = dec(String(int(random, 0, 300))).div(100);
        const price = r.side === 'buy' ? dec(r.price).minus(improvement) : dec(r.price).plus(improvement);
        command = { type: 'SettleFill', data: {
          accountId, orderId: r.orderId, fillId: `${r.orderId}:${step}`, symbol: r.symbol, side: r.side,
          quantity: String(quantity), price: price.gt(0) ? price.toFixed() : r.price, fee: '0', at,
        } };
      } else if (roll < 0.9) {
        command = { type: 'ReleaseReservation', data: { accountId, orderId: pick(random, open).orderId, reason: 'cancelled', at } };
      } else if (roll < 0.97) {
        command = { type: 'WithdrawFunds', data: { accountId, transferId: `w${step}`, amount: String(int(random, 1, 3000)), at } };
      } else {
        command = { type: 'DepositFunds', data: { accountId, transferId: `d${step}`, amount: String(int(random, 1, 500)), at } };
      }
      try {
        state = decide(command, state);
      } catch (error) {
        if (!(error instanceof OrderRejectedError || error instanceof InsufficientFundsError)) throw error;
        rejected++;
      }
      const power = buyingPower(state as OpenAccountState);
      if (power.isNegative()) throw new Error(`seed ${seed} step ${step}: buying power ${power.toFixed()} after ${JSON.stringify(command)}`);
    }
    // the run must have exercised the limits, or it proves nothing
    expect(rejected).toBeGreaterThan(20);
  });
});
