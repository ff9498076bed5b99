import { accountDecider, AccountNotOpen, InsufficientFunds, type AccountEvent } from './support/account.decider.js';

const fold = (events: AccountEvent[]) => events.reduce(accountDecider.evolve, accountDecider.initialState);

describe('the test decider', () => {
  it('given an open account with 10, when withdrawing 4, then Withdrawn 4', () => {
    const state = fold([{ type: 'AccountOpened', data: { owner: 'ann' } }, { type: 'Deposited', data: { amount: 10 } }]);
    expect(accountDecider.decide({ type: 'Withdraw', amount: 4 }, state)).toEqual([{ type: 'Withdrawn', data: { amount: 4 } }]);
  });

  it('refuses overdrafts and commands on an account that is not open', () => {
    const state = fold([{ type: 'AccountOpened', data: { owner: 'ann' } }]);
    expect(() => accountDecider.decide({ type: 'Withdraw', amount: 1 }, state)).toThrow(InsufficientFunds);
    expect(() => accountDecider.decide({ type: 'Deposit', amount: 1 }, accountDecider.initialState)).toThrow(AccountNotOpen);
  });
});
