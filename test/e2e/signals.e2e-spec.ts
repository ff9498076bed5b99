import { randomUUID } from 'node:crypto';
import { api, startTestApp, type TestApp } from '../support/app.js';
import { eventCount, eventually, openTestAccount } from './accounts-helpers.js';

const signal = (over: Record<string, unknown> = {}) => ({ symbol: 'BTCUSD', side: 'buy', strategy: 'sma-cross', strength: '0.75', time: '2024-03-01T14:30:00Z', ...over });
const at = (minute: number) => new Date(Date.UTC(2024, 2, 1, 0, minute)).toISOString();

describe('signals', () => {
  let app: TestApp;
  let alice: { accountId: string; apiKey: string };
  let bob: { accountId: string; apiKey: string };
  beforeAll(async () => {
    app = await startTestApp('signals');
    [alice, bob] = await Promise.all([openTestAccount(app, { name: 'alice' }), openTestAccount(app, { name: 'bob' })]);
  });
  afterAll(async () => app.stop());

  const listAll = (key: string, query = '') => api(app, 'GET', `/signals?limit=500${query}`, undefined, key);

  describe('recording', () => {
    it('records a signal with canonical values and a generated id', async () => {
      const before = await eventCount(app);
      const response = await api(app, 'POST', '/signals', signal({ strength: 0.5, price: '64000.50', time: '2024-03-01T15:30:00+01:00', metadata: { tf: '1h' } }), alice.apiKey);
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        signalId: expect.stringMatching(/^[0-9a-f-]{36}$/), symbol: 'BTCUSD', side: 'buy', strategy: 'sma-cross', strength: '0.5', price: '64000.5',
        time: '2024-03-01T14:30:00.000Z', metadata: { tf: '1h' }, source: 'api', receivedAt: expect.stringMatching(/Z$/),
      });
      expect(await eventCount(app)).toBe(before + 1);
    });

    it('records a retried signal once, answering with the first recording', async () => {
      const signalId = randomUUID();
      const before = await eventCount(app);
      const first = await api(app, 'POST', '/signals', signal({ signalId, side: 'close' }), alice.apiKey);
      expect(first).toMatchObject({ status: 201, body: { signalId, side: 'close', price: null, metadata: {} } });
      const retried = await api(app, 'POST', '/signals', signal({ signalId, side: 'sell', strength: '0.1' }), alice.apiKey);
      expect([200, 201]).toContain(retried.status);
      expect(retried.body).toEqual(first.body);
      expect(await eventCount(app)).toBe(before + 1);
    });

    it("refuses another account's signalId without revealing the signal", async () => {
      const signalId = randomUUID();
      await api(app, 'POST', '/signals', signal({ signalId }), alice.apiKey);
      const before = await eventCount(app);
      const response = await api(app, 'POST', '/signals', signal({ signalId }), bob.apiKey);
      expect(response).toMatchObject({ status: 409, body: { code: 'SIGNAL_ID_TAKEN' } });
      expect(JSON.stringify(response.body)).not.toContain('sma-cross');
      expect(await eventCount(app)).toBe(before);
    });

    it('maps the decider refusing a signal to 422 with its code', async () => {
      const before = await eventCount(app);
      expect(await api(app, 'POST', '/signals', signal({ strength: '1.5' }), alice.apiKey)).toMatchObject({ status: 422, body: { code: 'INVALID_SIGNAL' } });
      expect(await api(app, 'POST', '/signals', signal({ metadata: { blob: 'x'.repeat(5000) } }), alice.apiKey)).toMatchObject({ status: 422, body: { code: 'INVALID_SIGNAL' } });
      expect(await eventCount(app)).toBe(before);
    });

    it('needs a key', async () => {
      expect(await api(app, 'POST', '/signals', signal())).toMatchObject({ status: 401, body: { code: 'UNAUTHORIZED' } });
      expect(await api(app, 'GET', '/signals')).toMatchObject({ status: 401, body: { code: 'UNAUTHORIZED' } });
    });
  });

  describe('reading', () => {
    let carol: { accountId: string; apiKey: string };
    const recorded: Record<string, unknown>[] = [];

    beforeAll(async () => {
      carol = await openTestAccount(app, { name: 'carol' });
      const plan = [
        ...Array.from({ length: 9 }, (_, i) => signal({ symbol: i % 3 === 0 ? 'ETHUSD' : 'BTCUSD', strategy: i % 2 ? 'rsi' : 'macd', side: ['buy', 'sell', 'close'][i % 3], time: at(i) })),
        // Three at one instant: the page boundary must fall between them without losing or repeating any.
        ...Array.from({ length: 3 }, () => signal({ symbol: 'AAPL', strategy: 'rsi', time: at(20) })),
      ];
      for (const body of plan) recorded.push((await api(app, 'POST', '/signals', body, carol.apiKey)).body);
      await api(app, 'POST', '/signals', signal({ time: at(5) }), bob.apiKey);
      await eventually(() => listAll(carol.apiKey), (r) => r.body.items?.length === plan.length);
    });

    const newestFirst = (rows: Record<string, unknown>[]) =>
      [...rows].sort((a, b) => (a.time === b.time ? String(b.signalId).localeCompare(String(a.signalId)) : String(b.time).localeCompare(String(a.time))));

    it("lists only the caller's signals, newest first", async () => {
      const { status, body } = await listAll(carol.apiKey);
      expect(status).toBe(200);
      expect(body).toEqual({ items: newestFirst(recorded), nextCursor: null });
    });

    it('filters by symbol, strategy, side and time', async () => {
      const ids = async (query: string) => (await listAll(carol.apiKey, query)).body.items.map((s: { signalId: string }) => s.signalId).sort();
      const expectIds = (pick: (s: Record<string, unknown>) => boolean) => recorded.filter(pick).map((s) => s.signalId).sort();
      expect(await ids('&symbol=ETHUSD')).toEqual(expectIds((s) => s.symbol === 'ETHUSD'));
      expect(await ids('&strategy=rsi&side=buy')).toEqual(expectIds((s) => s.strategy === 'rsi' && s.side === 'buy'));
      expect(await ids(`&from=${at(3)}&to=${at(6)}`)).toEqual(expectIds((s) => s.time! >= at(3) && s.time! < at(6)));
      expect(await ids('&symbol=NOPE')).toEqual([]);
      expect((await ids(`&from=${at(3)}`)).length).toBe(9);
    });

    it('pages with an opaque cursor without gaps or repeats', async () => {
      const seen: Record<string, unknown>[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: { status: number; body: any } = await api(app, 'GET', `/signals?limit=5${cursor ? `&cursor=${cursor}` : ''}`, undefined, carol.apiKey);
        expect(page.status).toBe(200);
        seen.push(...page.body.items);
        cursor = page.body.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual(newestFirst(recorded));
      const filtered = await api(app, 'GET', '/signals?limit=2&symbol=AAPL', undefined, carol.apiKey);
      const rest = await api(app, 'GET', `/signals?limit=2&symbol=AAPL&cursor=${filtered.body.nextCursor}`, undefined, carol.apiKey);
      expect([...filtered.body.items, ...rest.body.items].map((s) => s.symbol)).toEqual(['AAPL', 'AAPL', 'AAPL']);
      expect(rest.body.nextCursor).toBeNull();
    });

    it('gets one signal, and 404 for ids of other accounts or none', async () => {
      const mine = recorded[0];
      expect(await api(app, 'GET', `/signals/${String(mine.signalId)}`, undefined, carol.apiKey)).toEqual({ status: 200, body: mine });
      expect(await api(app, 'GET', `/signals/${String(mine.signalId)}`, undefined, bob.apiKey)).toMatchObject({ status: 404, body: { code: 'SIGNAL_NOT_FOUND' } });
      expect(await api(app, 'GET', `/signals/${randomUUID()}`, undefined, carol.apiKey)).toMatchObject({ status: 404, body: { code: 'SIGNAL_NOT_FOUND' } });
    });

    it.each([
      ['a limit above 500', '?limit=501', 'VALIDATION_FAILED'],
      ['a limit of 0', '?limit=0', 'VALIDATION_FAILED'],
      ['a limit that is not a number', '?limit=abc', 'VALIDATION_FAILED'],
      ['an unknown side', '?side=hold', 'VALIDATION_FAILED'],
      ['a time without zone', '?from=2024-03-01T00:00:00', 'VALIDATION_FAILED'],
      ['an unknown parameter', '?sort=asc', 'VALIDATION_FAILED'],
      ['a forged cursor', `?cursor=${Buffer.from('yesterday').toString('base64url')}`, 'INVALID_CURSOR'],
    ])('refuses %s with 400', async (_name, query, code) => {
      expect(await api(app, 'GET', `/signals${query}`, undefined, carol.apiKey)).toMatchObject({ status: 400, body: { code } });
    });
  });
});
