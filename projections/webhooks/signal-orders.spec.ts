import type { SignalData } from '#libs/signals';
import type { OrderIntent } from '#libs/webhooks';
import { runsOf, type Actionable } from './signal-orders.js';

const signal = (accountId: string, n: number) => ({ accountId, signalId: `s${n}` }) as SignalData;
const fixed = (accountId: string, n: number, limitPrice: string | null = null): Actionable => ({
  signal: signal(accountId, n), webhookId: 'w', intent: { sizing: { mode: 'fixed_quantity', quantity: '1' }, type: limitPrice ? 'limit' : 'market', timeInForce: 'GTC', limitPrice } as OrderIntent,
});
const percent = (accountId: string, n: number): Actionable => ({
  signal: signal(accountId, n), webhookId: 'w', intent: { sizing: { mode: 'percent_of_equity', percent: '10' }, type: 'market', timeInForce: 'GTC', limitPrice: null } as OrderIntent,
});
const ids = (runs: Actionable[][]) => runs.map((run) => run.map((a) => a.signal.signalId));

describe('runsOf', () => {
  it("puts one account's consecutive fixed-quantity signals of one kind in a run, and other accounts' in theirs", () => {
    expect(ids(runsOf([fixed('a', 1), fixed('b', 2), fixed('a', 3), fixed('b', 4)]))).toEqual([['s1', 's3'], ['s2', 's4']]);
  });

  it('starts a new run where market and limit orders alternate, so no limit order reserves ahead of an earlier market order', () => {
    expect(ids(runsOf([fixed('a', 1), fixed('a', 2), fixed('a', 3, '100'), fixed('a', 4, '101'), fixed('a', 5)]))).toEqual([['s1', 's2'], ['s3', 's4'], ['s5']]);
  });

  it('gives a signal sized from the account a run of its own', () => {
    expect(ids(runsOf([fixed('a', 1), percent('a', 2), fixed('a', 3)]))).toEqual([['s1'], ['s2'], ['s3']]);
  });
});
