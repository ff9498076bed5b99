import { AppendSizeExceededError, MAX_APPEND_EVENTS, StreamNotFoundError, WrongExpectedVersionError, comparePositions, type RecordedEvent } from '../../src/index.js';
import { collect, collectAfterCaughtUp, delay, event, events, eventsOf, newStream, settled, type ContractTarget } from './fixtures.js';

export type { ContractTarget } from './fixtures.js';

const category = () => newStream('c').replace('-', '');
const revisions = (list: RecordedEvent[]) => list.map((e) => e.revision);

/** The behaviour every EventStore adapter must show; run by each adapter's int-spec. */
export function describeEventStoreContract(name: string, connect: () => Promise<ContractTarget>): void {
  describe(`EventStore contract: ${name}`, () => {
    let target: ContractTarget;
    beforeAll(async () => void (target = await connect()));
    afterAll(async () => target.close());
    const store = () => target.store;

    describe('expected revision', () => {
      it('no_stream succeeds on a new stream and fails on an existing one with the actual revision', async () => {
        const stream = newStream();
        await expect(store().appendToStream(stream, [event()], { expectedRevision: 'no_stream' })).resolves.toMatchObject({ nextExpectedRevision: 0n });
        await expect(store().appendToStream(stream, [event()], { expectedRevision: 'no_stream' })).rejects.toMatchObject({ name: 'WrongExpectedVersionError', actual: 0n });
      });

      it('stream_exists fails on a new stream and succeeds on an existing one', async () => {
        const stream = newStream();
        await expect(store().appendToStream(stream, [event()], { expectedRevision: 'stream_exists' })).rejects.toBeInstanceOf(WrongExpectedVersionError);
        await store().appendToStream(stream, [event()]);
        await expect(store().appendToStream(stream, [event()], { expectedRevision: 'stream_exists' })).resolves.toMatchObject({ nextExpectedRevision: 1n });
      });

      it('an exact revision succeeds when it matches and fails with the actual one otherwise', async () => {
        const stream = newStream();
        await store().appendToStream(stream, events(3));
        await expect(store().appendToStream(stream, [event()], { expectedRevision: 2n })).resolves.toMatchObject({ nextExpectedRevision: 3n });
        const failure = await store().appendToStream(stream, [event()], { expectedRevision: 1n }).catch((e: unknown) => e);
        expect(failure).toBeInstanceOf(WrongExpectedVersionError);
        expect(failure).toMatchObject({ streamId: stream, expected: 1n, actual: 3n });
      });

      it('any always appends', async () => {
        const stream = newStream();
        await store().appendToStream(stream, [event()], { expectedRevision: 'any' });
        await expect(store().appendToStream(stream, [event()], { expectedRevision: 'any' })).resolves.toMatchObject({ nextExpectedRevision: 1n });
      });

      it('of 20 parallel appenders at one revision exactly one wins', async () => {
        const stream = newStream();
        await store().appendToStream(stream, [event()]);
        const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => store().appendToStream(stream, [event()], { expectedRevision: 0n })));
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        const losers = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(losers).toHaveLength(19);
        for (const loser of losers) expect(loser.reason).toMatchObject({ name: 'WrongExpectedVersionError', actual: 1n });
        expect(revisions(await store().readStream(stream))).toEqual([0n, 1n]);
      });
    });

    describe('appending', () => {
      it('appends several events atomically with consecutive revisions, contiguous in read-all', async () => {
        const cat = category();
        const streams = Array.from({ length: 8 }, () => `${cat}-${newStream()}`);
        await Promise.all(streams.map((s) => store().appendToStream(s, events(5))));
        const all = await settled(store(), { streamCategories: [cat] }, 40);
        expect(all).toHaveLength(40);
        for (let i = 0; i < 40; i += 5) {
          const batch = all.slice(i, i + 5);
          expect(new Set(batch.map((e) => e.streamId)).size).toBe(1);
          expect(revisions(batch)).toEqual([0n, 1n, 2n, 3n, 4n]);
        }
      });

      it('re-appending the same event ids at the same revision is an idempotent success', async () => {
        const stream = newStream();
        const batch = events(3);
        const first = await store().appendToStream(stream, batch, { expectedRevision: 'no_stream' });
        const again = await store().appendToStream(stream, batch, { expectedRevision: 'no_stream' });
        expect(again.nextExpectedRevision).toBe(first.nextExpectedRevision);
        expect(again.position).toEqual(first.position);
        expect(await store().readStream(stream)).toHaveLength(3);
      });

      it('re-appending at an exact revision returns the original result, flagged as a duplicate; ids that only partly match are refused', async () => {
        const stream = newStream();
        await store().appendToStream(stream, [event()]);
        const batch = events(2);
        const first = await store().appendToStream(stream, batch, { expectedRevision: 0n });
        // Flagged, because at the expected revision a duplicate is otherwise indistinguishable from a fresh append.
        await expect(store().appendToStream(stream, batch, { expectedRevision: 0n })).resolves.toEqual({ ...first, duplicate: true });
        const mixed = await store().appendToStream(stream, [batch[0], event()], { expectedRevision: 2n }).catch((e: unknown) => e);
        expect(mixed).toMatchObject({ name: 'WrongExpectedVersionError', actual: 2n });
        expect(revisions(await store().readStream(stream))).toEqual([0n, 1n, 2n]);
      });

      it('refuses an append over the size limit and stores nothing', async () => {
        const stream = newStream();
        await expect(store().appendToStream(stream, events(MAX_APPEND_EVENTS + 1))).rejects.toBeInstanceOf(AppendSizeExceededError);
        await expect(store().readStream(stream)).rejects.toBeInstanceOf(StreamNotFoundError);
      });

      it('keeps data and metadata as given', async () => {
        const stream = newStream();
        await store().appendToStream(stream, [{ id: event().id, type: 'OrderPlaced', data: { price: '101.25', tags: ['a'] }, metadata: { correlationId: 'c-1' } }]);
        const [stored] = await store().readStream(stream);
        expect(stored).toMatchObject({ streamId: stream, type: 'OrderPlaced', revision: 0n, data: { price: '101.25', tags: ['a'] }, metadata: { correlationId: 'c-1' } });
        expect(stored.createdAt).toBeInstanceOf(Date);
      });
    });

    describe('reading', () => {
      it('reads a stream forwards and backwards from an inclusive revision with a max count', async () => {
        const stream = newStream();
        await store().appendToStream(stream, events(6));
        expect(revisions(await store().readStream(stream, { fromRevision: 2n, maxCount: 2 }))).toEqual([2n, 3n]);
        expect(revisions(await store().readStream(stream, { direction: 'backwards', fromRevision: 3n, maxCount: 2 }))).toEqual([3n, 2n]);
        expect(revisions(await store().readStream(stream, { direction: 'backwards', maxCount: 1 }))).toEqual([5n]);
      });

      it('raises StreamNotFoundError for a stream without events', async () => {
        await expect(store().readStream(newStream())).rejects.toBeInstanceOf(StreamNotFoundError);
      });

      it('reads all from an inclusive position, forwards and backwards', async () => {
        const cat = category();
        const stream = `${cat}-${newStream()}`;
        await store().appendToStream(stream, events(4));
        const all = await settled(store(), { streamCategories: [cat] }, 4);
        const from = await store().readAll({ fromPosition: all[1].position, maxCount: 2, filter: { streamCategories: [cat] } });
        expect(revisions(from)).toEqual([1n, 2n]);
        const back = await store().readAll({ direction: 'backwards', fromPosition: all[2].position, maxCount: 2, filter: { streamCategories: [cat] } });
        expect(revisions(back)).toEqual([2n, 1n]);
      });
    });

    describe('subscriptions', () => {
      it('deliver history, then caught-up, then live events, in order', async () => {
        const cat = category();
        const stream = `${cat}-${newStream()}`;
        await store().appendToStream(stream, events(3));
        await settled(store(), { streamCategories: [cat] }, 3);
        const subscription = store().subscribeToAll({ filter: { streamCategories: [cat] } });
        const received = collect(subscription, (m) => eventsOf(m).length === 5);
        await delay(100);
        await store().appendToStream(stream, events(2));
        const messages = await received;
        expect(messages.map((m) => m.kind)).toEqual(['event', 'event', 'event', 'caughtUp', 'event', 'event']);
        expect(revisions(eventsOf(messages))).toEqual([0n, 1n, 2n, 3n, 4n]);
      });

      it('start after the given position (all) or revision (stream)', async () => {
        const cat = category();
        const stream = `${cat}-${newStream()}`;
        await store().appendToStream(stream, events(5));
        const all = await settled(store(), { streamCategories: [cat] }, 5);
        const fromAll = await collect(store().subscribeToAll({ fromPosition: all[1].position, filter: { streamCategories: [cat] } }), (m) => m.some((x) => x.kind === 'caughtUp'));
        expect(revisions(eventsOf(fromAll))).toEqual([2n, 3n, 4n]);
        const fromStream = await collect(store().subscribeToStream(stream, { fromRevision: 3n }), (m) => m.some((x) => x.kind === 'caughtUp'));
        expect(revisions(eventsOf(fromStream))).toEqual([4n]);
      });

      it('from the end deliver only what is appended after caught-up (all and stream)', async () => {
        const cat = category();
        const stream = `${cat}-${newStream()}`;
        await store().appendToStream(stream, events(3));
        // 'end' is the settled head: events still held back by another suite's open transaction
        // lie after it and would be delivered, rightly. Start once these three have settled.
        await settled(store(), { streamCategories: [cat] }, 3);
        const all = store().subscribeToAll({ fromPosition: 'end', filter: { streamCategories: [cat] } });
        const one = store().subscribeToStream(stream, { fromRevision: 'end' });
        const fromAll = collectAfterCaughtUp(all, 2);
        const fromStream = collectAfterCaughtUp(one, 2);
        await Promise.all([fromAll.live, fromStream.live]);
        await store().appendToStream(stream, events(2));
        expect(revisions(eventsOf(await fromAll.messages))).toEqual([3n, 4n]);
        expect(revisions(eventsOf(await fromStream.messages))).toEqual([3n, 4n]);
      });

      it('on a stream deliver history, then caught-up, then live events', async () => {
        const stream = newStream();
        await store().appendToStream(stream, events(2));
        const subscription = collectAfterCaughtUp(store().subscribeToStream(stream), 4);
        await subscription.live;
        await store().appendToStream(stream, events(2), { expectedRevision: 1n });
        const messages = await subscription.messages;
        expect(messages.map((m) => m.kind)).toEqual(['event', 'event', 'caughtUp', 'event', 'event']);
        expect(revisions(eventsOf(messages))).toEqual([0n, 1n, 2n, 3n]);
      });

      it('resume from a checkpoint with no loss and no duplicate', async () => {
        const cat = category();
        const stream = `${cat}-${newStream()}`;
        await store().appendToStream(stream, events(10));
        const first = eventsOf(await collect(store().subscribeToAll({ filter: { streamCategories: [cat] } }), (m) => eventsOf(m).length === 4));
        const checkpoint = first[3].position;
        await store().appendToStream(stream, events(5));
        const rest = eventsOf(await collect(store().subscribeToAll({ fromPosition: checkpoint, filter: { streamCategories: [cat] } }), (m) => eventsOf(m).length === 11));
        expect(revisions([...first, ...rest])).toEqual(Array.from({ length: 15 }, (_, i) => BigInt(i)));
      });

      it('a category subscription sees only its category; a type filter only its types', async () => {
        const [mine, other] = [category(), category()];
        await store().appendToStream(`${other}-${newStream()}`, events(2));
        await store().appendToStream(`${mine}-${newStream()}`, [event('OrderPlaced'), event('OrderFilled'), event('OrderPlaced')]);
        await settled(store(), { streamCategories: [mine] }, 3);
        const byCategory = eventsOf(await collect(store().subscribeToAll({ filter: { streamCategories: [mine] } }), (m) => m.some((x) => x.kind === 'caughtUp')));
        expect(byCategory.map((e) => e.streamId.split('-')[0])).toEqual([mine, mine, mine]);
        const byType = eventsOf(await collect(store().subscribeToAll({ filter: { eventTypes: ['OrderFilled'] }, fromPosition: byCategory[0].position }), (m) => m.some((x) => x.kind === 'caughtUp')));
        expect(byType.filter((e) => e.streamId.startsWith(mine)).map((e) => e.type)).toEqual(['OrderFilled']);
        expect(byType.every((e) => e.type === 'OrderFilled')).toBe(true);
      });

      it('never passes an event whose transaction commits late, and delivers it once it commits', async () => {
        if (!target.openTransaction) {
          console.warn(`[contract] ${name}: no client-visible transactions, the late-commit case does not apply`);
          return;
        }
        const cat = category();
        const late = await target.openTransaction();
        await late.append(`${cat}-a`, [event('OrderPlaced', { who: 'A' })]);
        await store().appendToStream(`${cat}-b`, [event('OrderPlaced', { who: 'B' })]);
        const subscription = store().subscribeToAll({ filter: { streamCategories: [cat] } });
        const seen: RecordedEvent[] = [];
        const done = (async () => {
          for await (const m of subscription) if (m.kind === 'event') seen.push(m.event);
        })();
        await delay(400);
        expect(seen).toHaveLength(0);
        await late.commit();
        for (let waited = 0; seen.length < 2 && waited < 5000; waited += 20) await delay(20);
        await delay(400); // long enough for a duplicate, were there one, to show up
        await subscription.unsubscribe();
        await done;
        expect(seen.map((e) => (e.data as { who: string }).who)).toEqual(['A', 'B']);
        expect(comparePositions(seen[0].position, seen[1].position)).toBe(-1);
      });

      it('never deliver an append whose transaction rolls back', async () => {
        if (!target.openTransaction) return void console.warn(`[contract] ${name}: no client-visible transactions, the rollback case does not apply`);
        const cat = category();
        const doomed = await target.openTransaction();
        await doomed.append(`${cat}-a`, [event('OrderPlaced', { who: 'A' })]);
        await doomed.rollback();
        await store().appendToStream(`${cat}-b`, [event('OrderPlaced', { who: 'B' })]);
        await settled(store(), { streamCategories: [cat] }, 1);
        const messages = await collect(store().subscribeToAll({ filter: { streamCategories: [cat] } }), (m) => m.some((x) => x.kind === 'caughtUp'));
        expect(eventsOf(messages).map((e) => (e.data as { who: string }).who)).toEqual(['B']);
        await expect(store().readStream(`${cat}-a`)).rejects.toBeInstanceOf(StreamNotFoundError);
      });
    });
  });
}
