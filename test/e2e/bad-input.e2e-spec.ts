import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../support/app.js';
import { openTestAccount } from './accounts-helpers.js';

type Auth = 'key' | 'revoked' | 'admin' | 'none' | { header: string };
interface Case {
  name: string;
  method?: string;
  path: string;
  /** Objects are sent as JSON; strings are sent as raw body text, byte for byte. */
  body?: unknown;
  contentType?: string;
  auth: Auth;
  status: number | number[];
}

const signal = { symbol: 'BTCUSD', side: 'buy', strategy: 'sma', strength: '0.5', time: '2024-03-01T14:30:00Z' };
const bar = { time: '2024-01-02T00:00:00Z', open: '100', high: '101', low: '99', close: '100.5', volume: '1000' };
const bars = (over: Record<string, unknown>) => ({ symbol: 'AAPL', timeframe: '1d', bars: [{ ...bar, ...over }] });
const transfer = (over: Record<string, unknown>) => ({ amount: '10', transferId: randomUUID(), ...over });
const opening = (over: Record<string, unknown>) => ({ name: 'desk', openingDeposit: '100', ...over });
const huge = 'x'.repeat(300 * 1024);
const FOREIGN_SIGNAL_ID = randomUUID();

const cases: Case[] = [
  // POST /accounts (operator)
  { name: 'account: negative opening deposit', path: '/accounts', body: opening({ openingDeposit: '-100' }), auth: 'admin', status: 400 },
  { name: 'account: opening deposit "abc"', path: '/accounts', body: opening({ openingDeposit: 'abc' }), auth: 'admin', status: 400 },
  { name: 'account: opening deposit 1e400 as a raw JSON number', path: '/accounts', body: '{"name":"desk","openingDeposit":1e400}', auth: 'admin', status: 400 },
  { name: 'account: opening deposit NaN (not JSON)', path: '/accounts', body: '{"name":"desk","openingDeposit":NaN}', auth: 'admin', status: 400 },
  { name: 'account: opening deposit "NaN"', path: '/accounts', body: opening({ openingDeposit: 'NaN' }), auth: 'admin', status: 400 },
  { name: 'account: missing name', path: '/accounts', body: { openingDeposit: '100' }, auth: 'admin', status: 400 },
  { name: 'account: blank name', path: '/accounts', body: opening({ name: '   ' }), auth: 'admin', status: 400 },
  { name: 'account: unknown field', path: '/accounts', body: opening({ isAdmin: true }), auth: 'admin', status: 400 },
  { name: 'account: unknown settings field', path: '/accounts', body: opening({ settings: { allowShort: true, leverage: 10 } }), auth: 'admin', status: 400 },
  { name: 'account: negative position limit', path: '/accounts', body: opening({ settings: { maxPositionQuantity: { AAPL: '-5' } } }), auth: 'admin', status: 400 },
  { name: 'account: settings as an array', path: '/accounts', body: opening({ settings: [] }), auth: 'admin', status: 400 },
  { name: 'account: array instead of object', path: '/accounts', body: [opening({})], auth: 'admin', status: 400 },
  { name: 'account: no admin token', path: '/accounts', body: opening({}), auth: 'none', status: 401 },
  { name: 'account: an account key instead of the admin token', path: '/accounts', body: opening({}), auth: 'key', status: 401 },
  // deposits and withdrawals
  { name: 'deposit: zero amount', path: '/accounts/me/deposits', body: transfer({ amount: '0' }), auth: 'key', status: 400 },
  { name: 'deposit: negative amount', path: '/accounts/me/deposits', body: transfer({ amount: -5 }), auth: 'key', status: 400 },
  { name: 'deposit: amount "abc"', path: '/accounts/me/deposits', body: transfer({ amount: 'abc' }), auth: 'key', status: 400 },
  { name: 'deposit: amount 1e400 as a raw JSON number', path: '/accounts/me/deposits', body: `{"amount":1e400,"transferId":"${randomUUID()}"}`, auth: 'key', status: 400 },
  { name: 'deposit: amount in exponent form', path: '/accounts/me/deposits', body: transfer({ amount: '1e3' }), auth: 'key', status: 400 },
  { name: 'deposit: amount with 25 digits', path: '/accounts/me/deposits', body: transfer({ amount: '1234567890123456789012345' }), auth: 'key', status: 400 },
  { name: 'deposit: amount as boolean', path: '/accounts/me/deposits', body: transfer({ amount: true }), auth: 'key', status: 400 },
  { name: 'deposit: transferId not a UUID', path: '/accounts/me/deposits', body: transfer({ transferId: 'abc' }), auth: 'key', status: 400 },
  { name: 'deposit: missing transferId', path: '/accounts/me/deposits', body: { amount: '10' }, auth: 'key', status: 400 },
  { name: 'deposit: unknown field', path: '/accounts/me/deposits', body: transfer({ accountId: randomUUID() }), auth: 'key', status: 400 },
  { name: 'deposit: empty body', path: '/accounts/me/deposits', body: '', auth: 'key', status: 400 },
  { name: 'deposit: null body', path: '/accounts/me/deposits', body: 'null', auth: 'key', status: 400 },
  { name: 'deposit: no key', path: '/accounts/me/deposits', body: transfer({}), auth: 'none', status: 401 },
  { name: 'deposit: garbage key', path: '/accounts/me/deposits', body: transfer({}), auth: { header: 'Bearer garbage' }, status: 401 },
  { name: 'deposit: well-formed unknown key', path: '/accounts/me/deposits', body: transfer({}), auth: { header: `Bearer tk_${randomBytes(32).toString('base64url')}` }, status: 401 },
  { name: 'deposit: key without the Bearer scheme', path: '/accounts/me/deposits', body: transfer({}), auth: { header: 'Token abc' }, status: 401 },
  { name: 'deposit: SQL in the key', path: '/accounts/me/deposits', body: transfer({}), auth: { header: "Bearer tk_'or'1'='1" }, status: 401 },
  { name: 'withdrawal: more than the cash', path: '/accounts/me/withdrawals', body: transfer({ amount: '1000000' }), auth: 'key', status: 422 },
  { name: 'withdrawal: negative amount', path: '/accounts/me/withdrawals', body: transfer({ amount: '-1' }), auth: 'key', status: 400 },
  { name: 'rotate: no key', path: '/accounts/me/api-key/rotate', auth: 'none', status: 401 },
  // signals
  { name: 'signal: strength "abc"', path: '/signals', body: { ...signal, strength: 'abc' }, auth: 'key', status: 400 },
  { name: 'signal: strength above 1', path: '/signals', body: { ...signal, strength: 1.5 }, auth: 'key', status: 422 },
  { name: 'signal: strength NaN as a string', path: '/signals', body: { ...signal, strength: 'NaN' }, auth: 'key', status: 400 },
  { name: 'signal: price 1e400 as a raw JSON number', path: '/signals', body: JSON.stringify(signal).replace('}', ',"price":1e400}'), auth: 'key', status: 400 },
  { name: 'signal: zero price', path: '/signals', body: { ...signal, price: 0 }, auth: 'key', status: 400 },
  { name: 'signal: unknown side', path: '/signals', body: { ...signal, side: 'hold' }, auth: 'key', status: 400 },
  { name: 'signal: time "yesterday"', path: '/signals', body: { ...signal, time: 'yesterday' }, auth: 'key', status: 400 },
  { name: 'signal: time without a zone', path: '/signals', body: { ...signal, time: '2024-03-01T14:30:00' }, auth: 'key', status: 400 },
  { name: 'signal: lower-case symbol', path: '/signals', body: { ...signal, symbol: 'btc usd' }, auth: 'key', status: 400 },
  { name: 'signal: missing strategy', path: '/signals', body: { ...signal, strategy: undefined }, auth: 'key', status: 400 },
  { name: 'signal: signalId not a UUID', path: '/signals', body: { ...signal, signalId: '../../etc' }, auth: 'key', status: 400 },
  { name: 'signal: unknown field', path: '/signals', body: { ...signal, accountId: randomUUID() }, auth: 'key', status: 400 },
  { name: 'signal: metadata as an array', path: '/signals', body: { ...signal, metadata: [1, 2] }, auth: 'key', status: 400 },
  { name: 'signal: huge metadata under the body limit', path: '/signals', body: { ...signal, metadata: { blob: 'x'.repeat(200 * 1024) } }, auth: 'key', status: 422 },
  { name: 'signal: metadata nested too deep', path: '/signals', body: { ...signal, metadata: { a: { b: { c: { d: { e: { f: 1 } } } } } } }, auth: 'key', status: 422 },
  { name: 'signal: body over 256 KiB', path: '/signals', body: { ...signal, metadata: { blob: huge } }, auth: 'key', status: 413 },
  { name: 'signal: text/plain', path: '/signals', body: JSON.stringify(signal), contentType: 'text/plain', auth: 'key', status: 415 },
  { name: 'signal: form-urlencoded', path: '/signals', body: new URLSearchParams(signal).toString(), contentType: 'application/x-www-form-urlencoded', auth: 'key', status: 415 },
  { name: 'deposit: form-urlencoded', path: '/accounts/me/deposits', body: new URLSearchParams({ amount: '10', transferId: randomUUID() }).toString(), contentType: 'application/x-www-form-urlencoded', auth: 'key', status: 415 },
  { name: 'account: form-urlencoded', path: '/accounts', body: 'name=desk&openingDeposit=100', contentType: 'application/x-www-form-urlencoded', auth: 'admin', status: 415 },
  { name: 'signal: invalid JSON', path: '/signals', body: '{"symbol": "BTCUSD",', auth: 'key', status: 400 },
  { name: 'signal: array instead of object', path: '/signals', body: [signal, signal], auth: 'key', status: 400 },
  { name: 'signal: a string instead of object', path: '/signals', body: '"buy BTCUSD"', auth: 'key', status: 400 },
  { name: 'signal: a key revoked by rotation', path: '/signals', body: signal, auth: 'revoked', status: 401 },
  { name: "signal: another account's signalId", path: '/signals', body: { ...signal, signalId: FOREIGN_SIGNAL_ID }, auth: 'key', status: 409 },
  { name: "signals: another account's signal", method: 'GET', path: `/signals/${FOREIGN_SIGNAL_ID}`, auth: 'key', status: 404 },
  { name: 'signals: an id that is no UUID', method: 'GET', path: '/signals/%27%20or%201=1--', auth: 'key', status: 404 },
  { name: 'signals: limit "abc"', method: 'GET', path: '/signals?limit=abc', auth: 'key', status: 400 },
  { name: 'signals: limit 1e400', method: 'GET', path: '/signals?limit=1e400', auth: 'key', status: 400 },
  { name: 'signals: forged cursor', method: 'GET', path: `/signals?cursor=${Buffer.from('2024|x|y').toString('base64url')}`, auth: 'key', status: 400 },
  { name: 'signals: no key', method: 'GET', path: '/signals', auth: 'none', status: 401 },
  // POST /market-data/bars (operator)
  { name: 'bars: negative volume', path: '/market-data/bars', body: bars({ volume: '-1' }), auth: 'admin', status: [400, 422] },
  { name: 'bars: zero open', path: '/market-data/bars', body: bars({ open: 0 }), auth: 'admin', status: 400 },
  { name: 'bars: high "abc"', path: '/market-data/bars', body: bars({ high: 'abc' }), auth: 'admin', status: 400 },
  { name: 'bars: close 1e400 as a raw JSON number', path: '/market-data/bars', body: JSON.stringify(bars({})).replace('"close":"100.5"', '"close":1e400'), auth: 'admin', status: 400 },
  { name: 'bars: high below low', path: '/market-data/bars', body: bars({ high: '98' }), auth: 'admin', status: 422 },
  { name: 'bars: missing bars', path: '/market-data/bars', body: { symbol: 'AAPL', timeframe: '1d' }, auth: 'admin', status: 400 },
  { name: 'bars: empty bars', path: '/market-data/bars', body: { symbol: 'AAPL', timeframe: '1d', bars: [] }, auth: 'admin', status: 400 },
  { name: 'bars: bars as an object', path: '/market-data/bars', body: { symbol: 'AAPL', timeframe: '1d', bars: bar }, auth: 'admin', status: 400 },
  { name: 'bars: unknown timeframe', path: '/market-data/bars', body: { ...bars({}), timeframe: '7m' }, auth: 'admin', status: 400 },
  { name: 'bars: unknown field in a bar', path: '/market-data/bars', body: bars({ vwap: '100' }), auth: 'admin', status: 400 },
  { name: 'bars: body over 256 KiB', path: '/market-data/bars', body: { ...bars({}), note: huge }, auth: 'admin', status: 413 },
  { name: 'bars: no admin token', path: '/market-data/bars', body: bars({}), auth: 'none', status: 401 },
  { name: 'bars: an account key instead of the admin token', path: '/market-data/bars', body: bars({}), auth: 'key', status: 401 },
];

describe('bad input', () => {
  let app: TestApp;
  let db: pg.Client;
  let key: string;
  let revoked: string;
  beforeAll(async () => {
    app = await startTestApp('bad_input');
    db = new pg.Client({ connectionString: app.db.url });
    await db.connect();
    ({ apiKey: key } = await openTestAccount(app, { openingDeposit: '1000' }));
    ({ apiKey: revoked } = await openTestAccount(app));
    await fetch(`${app.url}/accounts/me/api-key/rotate`, { method: 'POST', headers: { authorization: `Bearer ${revoked}` } });
    const foreign = await openTestAccount(app);
    const recorded = await fetch(`${app.url}/signals`, {
      method: 'POST', headers: { authorization: `Bearer ${foreign.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ ...signal, signalId: FOREIGN_SIGNAL_ID }),
    });
    expect(recorded.status).toBe(201);
  });
  afterAll(async () => {
    await db.end();
    await app.stop();
  });

  const eventCount = async () => (await db.query('select count(*)::int as n from events')).rows[0].n as number;
  const authorization = (auth: Auth): Record<string, string> => {
    if (auth === 'none') return {};
    if (typeof auth === 'object') return { authorization: auth.header };
    return { authorization: `Bearer ${{ key, revoked, admin: TEST_ADMIN_TOKEN }[auth]}` };
  };

  it(`answers ${cases.length} malformed requests with a 4xx and a code, appending nothing`, async () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    const before = await eventCount();
    const outcomes = [];
    for (const c of cases) {
      const countBefore = await eventCount();
      const body = c.body === undefined ? undefined : typeof c.body === 'string' ? c.body : JSON.stringify(c.body);
      const headers = { ...authorization(c.auth), ...(body === undefined ? {} : { 'content-type': c.contentType ?? 'application/json' }) };
      const response = await fetch(`${app.url}${c.path}`, { method: c.method ?? 'POST', headers, body });
      const text = await response.text();
      let code: unknown;
      try {
        code = JSON.parse(text).code;
      } catch {
        code = `not JSON: ${text.slice(0, 80)}`;
      }
      const expected = Array.isArray(c.status) ? c.status : [c.status];
      const appended = (await eventCount()) - countBefore;
      outcomes.push({ name: c.name, status: response.status, statusAsExpected: expected.includes(response.status), code, eventsAppended: appended });
    }
    const wrong = outcomes.filter((o) => !o.statusAsExpected || typeof o.code !== 'string' || !/^[A-Z][A-Z_]+$/.test(o.code) || o.eventsAppended !== 0);
    expect(wrong).toEqual([]);
    expect(outcomes.filter((o) => o.status >= 500)).toEqual([]);
    expect(await eventCount()).toBe(before);
  });
});
