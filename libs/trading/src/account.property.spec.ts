import { int, pick, prng } from '../test/prng.js';
import { reserveFor } from '../test/reservation-order.js';
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
const open = (random: () => number): AccountState => decide({ type: 'OpenAccount', data: {
  accountId, name: 'Prop', openingDeposit: '5000', apiKeyHash: 'h', at,
  settings: { allowShort: random() < 0.5, maxOrderNotional: '4000', maxPositionQuantity: { '*': '80' } },
} }, accountDecider.initialState);

function decide(command: AccountCommand, state: AccountState): AccountState {
  return accountDecider.decide(command, state).reduce(accountDecider.evolve, state);
}

/**
 * Reservations, fills, releases, withdrawals and deposits at random. Fills respect their
 * reservation (price no worse, fee within the estimate), as the paper broker's limit fills do.
 */
function randomCommand(random: () => number, account: OpenAccountState, step: number): AccountCommand {
  const open = [...account.reservations.values()];
  const roll = random();
  if (roll < 0.45 || open.length === 0) {
    const quantity = int(random, 1, 40);
    const price = `${int(random, 5, 150)}.${String(int(random, 0, 99)).padStart(2, '0')}`;
    return reserveFor({
      accountId, orderId: `o${step}`, symbol: pick(random, symbols), side: pick(random, ['buy', 'sell'] as const),
      quantity: String(quantity), price, estimatedFee: `${int(random, 0, 5)}.${int(random, 0, 9)}`, at,
    });
  }
  if (roll < 0.8) {
    const r = pick(random, open);
    const quantity = Math.max(1, Math.floor(Number(r.quantity) * random()));
    const improvement = dec(String(int(random, 0, 300))).div(100);
    const price = r.side === 'buy' ? dec(r.price).minus(improvement) : dec(r.price).plus(improvement);
    return { type: 'SettleFill', data: {
      accountId, orderId: r.orderId, fillId: `${r.orderId}:${step}`, symbol: r.symbol, side: r.side,
      quantity: String(quantity), price: price.gt(0) ? price.toFixed() : r.price, fee: '0', at,
    } };
  }
  if (roll < 0.9) return { type: 'ReleaseReservation', data: { accountId, orderId: pick(random, open).orderId, reason: 'cancelled', at } };
  if (roll < 0.97) return { type: 'WithdrawFunds', data: { accountId, transferId: `w${step}`, amount: String(int(random, 1, 3000)), at } };
  return { type: 'DepositFunds', data: { accountId, transferId: `d${step}`, amount: String(int(random, 1, 500)), at } };
}

/** One step; a refused command leaves the state as it was. */
function step(random: () => number, state: AccountState, n: number): { state: AccountState; refused: boolean } {
  try {
    return { state: decide(randomCommand(random, state as OpenAccountState, n), state), refused: false };
  } catch (error) {
    if (!(error instanceof OrderRejectedError || error instanceof InsufficientFundsError)) throw error;
    return { state, refused: true };
  }
}

/**
 * Each command is decided against the state the previous one left, which is what appending at
 * the expected revision guarantees under concurrency. Buying power must never go below zero.
 */
describe('buying power under any sequence of reservations (seeded)', () => {
  it.each([[1], [7], [42], [20240301], [987654321]])('seed %i', (seed) => {
    const random = prng(seed);
    let state = open(random);
    let rejected = 0;
    for (let n = 0; n < 600; n++) {
      const next = step(random, state, n);
      state = next.state;
      if (next.refused) rejected++;
      const power = buyingPower(state as OpenAccountState);
      if (power.isNegative()) throw new Error(`seed ${seed} step ${n}: buying power ${power.toFixed()}`);
    }
    // the run must have exercised the limits, or it proves nothing
    expect(rejected).toBeGreaterThan(20);
  });
});

const totals = (account: OpenAccountState) => {
  const open: Record<string, { buy: string; sell: string }> = {};
  let cash = dec('0');
  for (const r of [...account.reservations.values()]) {
    cash = cash.plus(r.cash);
    const symbol = (open[r.symbol] ??= { buy: '0', sell: '0' });
    symbol[r.side] = dec(symbol[r.side]).plus(r.quantity).toFixed();
  }
  return { reservedCash: cash.toFixed(), openQuantity: open };
};
const book = (account: OpenAccountState) => JSON.stringify([account.reservations, account.reservedCash, account.openQuantity, account.cash]);

describe('running reservation totals (seeded)', () => {
  it.each([[3], [11], [4242]])('seed %i: equal the sums over reservations at every step, and older states never change', (seed) => {
    const random = prng(seed);
    let state = open(random);
    const kept: { state: OpenAccountState; was: string }[] = [];
    let reservedAtSomePoint = false;
    for (let n = 0; n < 500; n++) {
      state = step(random, state, n).state;
      const account = state as OpenAccountState;
      const open = Object.fromEntries(Object.entries(account.openQuantity).filter(([, q]) => q.buy !== '0' || q.sell !== '0'));
      expect({ reservedCash: dec(account.reservedCash).toFixed(), openQuantity: open }).toEqual(totals(account));
      if (account.reservations.size > 3) reservedAtSomePoint = true;
      if (n % 50 === 0) kept.push({ state: account, was: book(account) });
    }
    expect(reservedAtSomePoint).toBe(true);
    for (const { state: old, was } of kept) expect(book(old)).toBe(was);
  });
});
