import { randomUUID } from 'node:crypto';
import { CommandHandler, commandEventId, handle, PostgresEventStore, type EventStore, type RecordedEvent } from '../src/index.js';
import { useEventStore } from '../../test/support/event-store.js';
import { AccountAlreadyOpen, accountDecider, InsufficientFunds, type AccountEvent } from './support/account.decider.js';

/** The real store, with its reads and appends counted: what a decision cost in round trips. */
function counting(store: PostgresEventStore) {
  const calls = { reads: 0, appends: 0 };
  const readFrom: unknown[] = [];
  const counted: EventStore = new Proxy(store, {
    get(target, key, receiver) {
      if (key === 'readStream') {
        return (...args: Parameters<EventStore['readStream']>) => (calls.reads++, readFrom.push(args[1]?.fromRevision), target.readStream(...args));
      }
      if (key === 'appendToStream') return (...args: Parameters<EventStore['appendToStream']>) => (calls.appends++, target.appendToStream(...args));
      return Reflect.get(target, key, receiver);
    },
  });
  const reset = () => (Object.assign(calls, { reads: 0, appends: 0 }), readFrom.splice(0));
  return { store: counted, calls, readFrom, reset };
}

describe('command handling from a cached state, and in groups (PostgreSQL)', () => {
  const suite = useEventStore('es_commands_cached');

  const account = () => `account-${randomUUID()}`;
  const types = (events: RecordedEvent[]) => events.map((e) => [e.type, e.data]);
  async function opened(balance: number) {
    const stream = account();
    const counter = counting(suite.store);
    const handler = new CommandHandler(counter.store);
    await handler.handle(stream, accountDecider, { type: 'OpenAccount', owner: 'ann' });
    if (balance) await handler.handle(stream, accountDecider, { type: 'Deposit', amount: balance });
    counter.reset();
    return { stream, handler, calls: counter.calls, readFrom: counter.readFrom };
  }

  it('appends a decision taken on a cached state without reading the stream', async () => {
    const { stream, handler, calls } = await opened(10);
    const result = await handler.handle(stream, accountDecider, { type: 'Withdraw', amount: 4 }, { commandId: 'w4' });
    expect(calls).toEqual({ reads: 0, appends: 1 });
    expect(result).toEqual({ events: [{ type: 'Withdrawn', data: { amount: 4 } }], state: { status: 'open', balance: 6 }, revision: 2n });
    expect(types(await suite.store.readStream(stream))).toEqual([['AccountOpened', { owner: 'ann' }], ['Deposited', { amount: 10 }], ['Withdrawn', { amount: 4 }]]);
  });

  it('a stale cache fails its append, is dropped, and the command is decided again on the stream as it is', async () => {
    const { stream, handler, calls, readFrom } = await opened(10);
    await new CommandHandler(suite.store).handle(stream, accountDecider, { type: 'Withdraw', amount: 8 }); // another process
    await expect(handler.handle(stream, accountDecider, { type: 'Withdraw', amount: 5 })).rejects.toBeInstanceOf(InsufficientFunds);
    expect(calls.appends).toBe(1); // the stale attempt, refused by the expected revision
    expect(readFrom).toEqual([2n]); // one read, from after the stale fold: the stream is not replayed from the start
    const after = await handler.handle(stream, accountDecider, { type: 'Withdraw', amount: 2 });
    expect(after).toMatchObject({ state: { status: 'open', balance: 0 }, revision: 3n });
    expect(types(await suite.store.readStream(stream)).slice(2)).toEqual([['Withdrawn', { amount: 8 }], ['Withdrawn', { amount: 2 }]]);
  });

  it('confirms "nothing to do" from a cached state with a read before answering it', async () => {
    const { stream, handler, calls } = await opened(0);
    await new CommandHandler(suite.store).handle(stream, accountDecider, { type: 'Deposit', amount: 7 });
    const noop = await handler.handle(stream, accountDecider, { type: 'Withdraw', amount: 0 });
    expect(calls).toEqual({ reads: 1, appends: 0 });
    expect(noop).toEqual({ events: [], state: { status: 'open', balance: 7 }, revision: 1n });
  });

  it('confirms a replay found in the cache with a read, and answers the stream as it is', async () => {
    const { stream, handler, calls } = await opened(0);
    const first = await handler.handle(stream, accountDecider, { type: 'Deposit', amount: 3 }, { commandId: 'dep-3' });
    await new CommandHandler(suite.store).handle(stream, accountDecider, { type: 'Deposit', amount: 1 });
    calls.reads = 0;
    const again = await handler.handle(stream, accountDecider, { type: 'Deposit', amount: 3 }, { commandId: 'dep-3' });
    expect(calls.reads).toBe(1);
    expect(again).toEqual({ events: first.events, state: { status: 'open', balance: 4 }, revision: 2n });
  });

  it('recognises a re-run hidden from a stale cache even when the append finds the ids further back', async () => {
    const { stream, handler } = await opened(5);
    const other = new CommandHandler(suite.store);
    await other.handle(stream, accountDecider, { type: 'Deposit', amount: 1 });
    await other.handle(stream, accountDecider, { type: 'Deposit', amount: 2 }, { commandId: 'dep-2' });
    const rerun = await handler.handle(stream, accountDecider, { type: 'Deposit', amount: 2 }, { commandId: 'dep-2' });
    expect(rerun).toEqual({ events: [{ type: 'Deposited', data: { amount: 2 } }], state: { status: 'open', balance: 8 }, revision: 3n });
    const next = await handler.handle(stream, accountDecider, { type: 'Withdraw', amount: 8 });
    expect(next).toMatchObject({ state: { status: 'open', balance: 0 }, revision: 4n });
  });

  it('decides a group in order, each command on what the earlier left, a refused one alone, in one append', async () => {
    const { stream, handler, calls } = await opened(5);
    const outcomes = await handler.handleMany(stream, accountDecider, [
      { command: { type: 'Withdraw', amount: 4 }, commandId: 'g-a' },
      { command: { type: 'Withdraw', amount: 4 }, commandId: 'g-b' }, // only 1 left
      { command: { type: 'Deposit', amount: 10 }, commandId: 'g-c' },
      { command: { type: 'Withdraw', amount: 4 }, commandId: 'g-a' }, // the same command twice
      { command: { type: 'Withdraw', amount: 11 }, commandId: 'g-d' },
    ]);
    expect(calls).toEqual({ reads: 0, appends: 1 });
    expect(outcomes.map((o) => (o.ok ? [o.result.events, o.result.state, o.result.revision] : o.error instanceof InsufficientFunds))).toEqual([
      [[{ type: 'Withdrawn', data: { amount: 4 } }], { status: 'open', balance: 1 }, 2n],
      true,
      [[{ type: 'Deposited', data: { amount: 10 } }], { status: 'open', balance: 11 }, 3n],
      [[{ type: 'Withdrawn', data: { amount: 4 } }], { status: 'open', balance: 11 }, 3n],
      [[{ type: 'Withdrawn', data: { amount: 11 } }], { status: 'open', balance: 0 }, 4n],
    ]);
    const stored = (await suite.store.readStream(stream)).slice(2);
    expect(stored.map((e) => [e.id, e.metadata.commandId])).toEqual([
      [commandEventId('g-a', 0), 'g-a'], [commandEventId('g-c', 0), 'g-c'], [commandEventId('g-d', 0), 'g-d'],
    ]);
    // Another process re-running part of the group finds every command already applied.
    const rerun = await new CommandHandler(suite.store).handleMany(stream, accountDecider, [
      { command: { type: 'Deposit', amount: 10 }, commandId: 'g-c' },
      { command: { type: 'Withdraw', amount: 11 }, commandId: 'g-d' },
    ]);
    expect(rerun.map((o) => o.ok && (o.result.events as AccountEvent[]))).toEqual([[{ type: 'Deposited', data: { amount: 10 } }], [{ type: 'Withdrawn', data: { amount: 11 } }]]);
    expect(await suite.store.readStream(stream)).toHaveLength(5);
  });

  it('retries a whole group from a fresh read when another writer wins the revision', async () => {
    const { stream, handler, calls } = await opened(10);
    const rival = new CommandHandler(suite.store);
    await rival.load(stream, accountDecider);
    const [group, [single]] = await Promise.all([
      handler.handleMany(stream, accountDecider, [
        { command: { type: 'Withdraw', amount: 6 }, commandId: 'r-a' },
        { command: { type: 'Withdraw', amount: 3 }, commandId: 'r-b' },
      ], { maxAttempts: 20 }),
      rival.handleMany(stream, accountDecider, [{ command: { type: 'Withdraw', amount: 6 }, commandId: 'r-rival' }], { maxAttempts: 20 }),
    ]);
    const withdrawn = (await suite.store.readStream(stream)).filter((e) => e.type === 'Withdrawn').map((e) => e.metadata.commandId);
    // 10 affords the rival's 6 and r-b's 3, or r-a's 6 and r-b's 3: never both sixes.
    expect(withdrawn).toHaveLength(2);
    expect(withdrawn).toContain('r-b');
    const groupWon = withdrawn.includes('r-a');
    expect([group[0]!.ok, group[1]!.ok, single!.ok]).toEqual(groupWon ? [true, true, false] : [false, true, true]);
    // A lost race costs the group one refused append and one read, then it is decided again whole.
    expect(calls).toEqual(groupWon ? { reads: 0, appends: 1 } : { reads: 1, appends: 2 });
    const final = await handle(suite.store, stream, accountDecider, { type: 'Withdraw', amount: 0 });
    expect(final.state).toEqual({ status: 'open', balance: 1 });
  });
  describe('a stream expected to be new (expectNew)', () => {
    const fresh = () => {
      const counter = counting(suite.store);
      return { stream: account(), handler: new CommandHandler(counter.store), calls: counter.calls };
    };

    it('appends with no_stream and reads nothing when the stream is indeed new', async () => {
      const { stream, handler, calls } = fresh();
      const result = await handler.handle(stream, accountDecider, { type: 'OpenAccount', owner: 'ann' }, { commandId: 'open', expectNew: true });
      expect(calls).toEqual({ reads: 0, appends: 1 });
      expect(result).toEqual({ events: [{ type: 'AccountOpened', data: { owner: 'ann' } }], state: { status: 'open', balance: 0 }, revision: 0n });
      expect(types(await suite.store.readStream(stream))).toEqual([['AccountOpened', { owner: 'ann' }]]);
    });

    it('answers a retried command with what the stream recorded the first time, appending nothing', async () => {
      const { stream } = fresh();
      const first = await new CommandHandler(suite.store).handle(stream, accountDecider, { type: 'OpenAccount', owner: 'ann' }, { commandId: 'open' });
      const { handler } = fresh();
      const retried = await handler.handle(stream, accountDecider, { type: 'OpenAccount', owner: 'bob' }, { commandId: 'open', expectNew: true });
      expect(retried).toEqual({ events: first.events, state: { status: 'open', balance: 0 }, revision: 0n });
      expect(types(await suite.store.readStream(stream))).toEqual([['AccountOpened', { owner: 'ann' }]]);
    });

    it('decides again on the stream as it is when it already exists under other commands', async () => {
      const { stream } = fresh();
      await new CommandHandler(suite.store).handle(stream, accountDecider, { type: 'OpenAccount', owner: 'ann' }, { commandId: 'open-ann' });
      const { handler, calls } = fresh();
      await expect(handler.handle(stream, accountDecider, { type: 'OpenAccount', owner: 'bob' }, { commandId: 'open-bob', expectNew: true })).rejects.toBeInstanceOf(AccountAlreadyOpen);
      expect(calls).toEqual({ reads: 1, appends: 1 }); // the no_stream append refused, then the stream read
      expect(types(await suite.store.readStream(stream))).toEqual([['AccountOpened', { owner: 'ann' }]]);
    });

    it('confirms a refusal on the assumed initial state with a read', async () => {
      const { stream } = fresh();
      await new CommandHandler(suite.store).handle(stream, accountDecider, { type: 'OpenAccount', owner: 'ann' });
      await new CommandHandler(suite.store).handle(stream, accountDecider, { type: 'Deposit', amount: 5 });
      const { handler, calls } = fresh();
      const result = await handler.handle(stream, accountDecider, { type: 'Withdraw', amount: 5 }, { expectNew: true });
      expect(calls).toEqual({ reads: 1, appends: 1 });
      expect(result).toMatchObject({ state: { status: 'open', balance: 0 }, revision: 2n });
    });
  });
});
