import { randomUUID } from 'node:crypto';
import { CommandHandler, handle, type RecordedEvent } from '../src/index.js';
import { useEventStore } from '../../test/support/event-store.js';
import { accountDecider, AccountAlreadyOpen, InsufficientFunds } from './support/account.decider.js';

describe('command handling on PostgreSQL', () => {
  const suite = useEventStore('es_commands');

  const account = () => `account-${randomUUID()}`;
  const amounts = (events: RecordedEvent[]) => events.filter((e) => e.type === 'Deposited').map((e) => (e.data as { amount: number }).amount);

  it('creates a stream with no_stream, then appends at the exact revision, returning events and revision', async () => {
    const stream = account();
    const opened = await handle(suite.store, stream, accountDecider, { type: 'OpenAccount', owner: 'ann' }, { metadata: { correlationId: 'corr-1' } });
    expect(opened).toEqual({ events: [{ type: 'AccountOpened', data: { owner: 'ann' } }], state: { status: 'open', balance: 0 }, revision: 0n });
    const deposited = await handle(suite.store, stream, accountDecider, { type: 'Deposit', amount: 5 });
    expect(deposited.revision).toBe(1n);
    expect(deposited.state).toEqual({ status: 'open', balance: 5 });
    const stored = await suite.store.readStream(stream);
    expect(stored.map((e) => e.type)).toEqual(['AccountOpened', 'Deposited']);
    expect(stored[0].metadata).toEqual({ correlationId: 'corr-1' });
  });

  it('applies conflicting concurrent commands exactly once each, through retries', async () => {
    const stream = account();
    const handlers = [new CommandHandler(suite.store), new CommandHandler(suite.store), new CommandHandler(suite.store)];
    await handlers[0].handle(stream, accountDecider, { type: 'OpenAccount', owner: 'bob' });
    // Warm every cache at revision 0 so all of them start from the same, soon stale, revision.
    for (const h of handlers) await h.load(stream, accountDecider);
    const deposits = Array.from({ length: 12 }, (_, i) => i + 1);
    const results = await Promise.all(deposits.map((amount, i) => handlers[i % 3].handle(stream, accountDecider, { type: 'Deposit', amount }, { maxAttempts: 50 })));
    const stored = await suite.store.readStream(stream);
    expect(amounts(stored).sort((a, b) => a - b)).toEqual(deposits);
    expect(stored.map((e) => e.revision)).toEqual(Array.from({ length: 13 }, (_, i) => BigInt(i)));
    expect(results.map((r) => r.revision).sort((a, b) => Number(a! - b!))).toEqual(Array.from({ length: 12 }, (_, i) => BigInt(i + 1)));
    const final = await handlers[1].handle(stream, accountDecider, { type: 'Withdraw', amount: 0 });
    expect(final.state).toEqual({ status: 'open', balance: 78 });
  });

  it('appends nothing when the decider raises a domain error', async () => {
    const stream = account();
    await handle(suite.store, stream, accountDecider, { type: 'OpenAccount', owner: 'cy' });
    await expect(handle(suite.store, stream, accountDecider, { type: 'Withdraw', amount: 1 })).rejects.toBeInstanceOf(InsufficientFunds);
    expect((await suite.store.readStream(stream)).map((e) => e.type)).toEqual(['AccountOpened']);
  });

  it('treats a re-run of the same command id as done, from the cache and after a restart', async () => {
    const stream = account();
    const handler = new CommandHandler(suite.store);
    const first = await handler.handle(stream, accountDecider, { type: 'OpenAccount', owner: 'di' }, { commandId: 'open-di' });
    const again = await handler.handle(stream, accountDecider, { type: 'OpenAccount', owner: 'di' }, { commandId: 'open-di' });
    const afterRestart = await new CommandHandler(suite.store).handle(stream, accountDecider, { type: 'OpenAccount', owner: 'di' }, { commandId: 'open-di' });
    expect(again.events).toEqual(first.events);
    expect(afterRestart.events).toEqual(first.events);
    await expect(handler.handle(stream, accountDecider, { type: 'OpenAccount', owner: 'di' }, { commandId: 'open-di-2' })).rejects.toBeInstanceOf(AccountAlreadyOpen);
    const stored = await suite.store.readStream(stream);
    expect(stored.map((e) => [e.type, e.metadata.commandId])).toEqual([['AccountOpened', 'open-di']]);
  });

  it('recognises a command id that another process applied after this cache was filled', async () => {
    const stream = account();
    await handle(suite.store, stream, accountDecider, { type: 'OpenAccount', owner: 'ed' });
    const handler = new CommandHandler(suite.store);
    await handler.load(stream, accountDecider); // cached at revision 0, as a process that then crashed would be
    await handle(suite.store, stream, accountDecider, { type: 'Deposit', amount: 3 }, { commandId: 'dep-ed' });
    const rerun = await handler.handle(stream, accountDecider, { type: 'Deposit', amount: 3 }, { commandId: 'dep-ed' });
    expect(rerun.events).toEqual([{ type: 'Deposited', data: { amount: 3 } }]);
    expect(amounts(await suite.store.readStream(stream))).toEqual([3]);
  });

  it('keeps a cached state correct when another writer appended meanwhile', async () => {
    const stream = account();
    const cached = new CommandHandler(suite.store);
    await cached.handle(stream, accountDecider, { type: 'OpenAccount', owner: 'fi' });
    await handle(suite.store, stream, accountDecider, { type: 'Deposit', amount: 7 });
    await expect(cached.handle(stream, accountDecider, { type: 'Withdraw', amount: 7 })).resolves.toMatchObject({ state: { status: 'open', balance: 0 }, revision: 2n });
  });
});
