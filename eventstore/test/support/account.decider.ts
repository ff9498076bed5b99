import type { Decider } from '../../src/decider.js';

/** A tiny decider for the command-handler tests: an account that must exist and never go negative. */
export type AccountCommand =
  | { type: 'OpenAccount'; owner: string }
  | { type: 'Deposit'; amount: number }
  | { type: 'Withdraw'; amount: number };

export type AccountEvent =
  | { type: 'AccountOpened'; data: { owner: string } }
  | { type: 'Deposited'; data: { amount: number } }
  | { type: 'Withdrawn'; data: { amount: number } };

export type AccountState = { status: 'none' } | { status: 'open'; balance: number };

export class AccountAlreadyOpen extends Error {}
export class AccountNotOpen extends Error {}
export class InsufficientFunds extends Error {}

export const accountDecider: Decider<AccountCommand, AccountEvent, AccountState> = {
  initialState: { status: 'none' },
  decide(command, state) {
    switch (command.type) {
      case 'OpenAccount':
        if (state.status === 'open') throw new AccountAlreadyOpen();
        return [{ type: 'AccountOpened', data: { owner: command.owner } }];
      case 'Deposit':
        if (state.status !== 'open') throw new AccountNotOpen();
        return [{ type: 'Deposited', data: { amount: command.amount } }];
      case 'Withdraw':
        if (state.status !== 'open') throw new AccountNotOpen();
        if (state.balance < command.amount) throw new InsufficientFunds();
        return command.amount === 0 ? [] : [{ type: 'Withdrawn', data: { amount: command.amount } }];
      default: {
        const never: never = command;
        throw new Error(`unknown command ${JSON.stringify(never)}`);
      }
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'AccountOpened':
        return { status: 'open', balance: 0 };
      case 'Deposited':
        return state.status === 'open' ? { status: 'open', balance: state.balance + event.data.amount } : state;
      case 'Withdrawn':
        return state.status === 'open' ? { status: 'open', balance: state.balance - event.data.amount } : state;
      default: {
        const never: never = event;
        throw new Error(`unknown event ${JSON.stringify(never)}`);
      }
    }
  },
};
