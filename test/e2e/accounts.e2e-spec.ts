import { execFile } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { api, startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../support/app.js';
import { eventCount, eventually, openTestAccount, query } from './accounts-helpers.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('accounts', () => {
  let app: TestApp;
  beforeAll(async () => void (app = await startTestApp('accounts')));
  afterAll(async () => app.stop());

  describe('opening', () => {
    it('needs the admin token', async () => {
      const body = { name: 'desk', openingDeposit: '100' };
      const { apiKey } = await openTestAccount(app);
      for (const token of [undefined, 'wrong-admin-token-0123456789', apiKey]) {
        expect(await api(app, 'POST', '/accounts', body, token)).toMatchObject({ status: 401, body: { code: 'UNAUTHORIZED' } });
      }
    });

    it('returns a key once and keeps only its hash', async () => {
      const before = await eventCount(app);
      const created = await api(app, 'POST', '/accounts', { name: 'Momentum desk', openingDeposit: 2500.5 }, TEST_ADMIN_TOKEN);
      expect(created.status).toBe(201);
      expect(Object.keys(created.body).sort()).toEqual(['accountId', 'apiKey']);
      const { accountId, apiKey } = created.body;
      expect(apiKey).toMatch(/^tk_[A-Za-z0-9_-]{43}$/);
      expect(await eventCount(app)).toBe(before + 1);
      const [event] = await query<{ type: string; data: Record<string, unknown> }>(app, 'select type, data from events where stream_id = $1', [`account-${accountId}`]);
      expect(event.type).toBe('AccountOpened');
      expect(event.data).toMatchObject({ accountId, name: 'Momentum desk', openingDeposit: '2500.5', apiKeyHash: sha256(apiKey) });
      expect(await query(app, `select 1 from events where data::text like $1 or metadata::text like $1`, [`%${apiKey}%`])).toEqual([]);
      expect(await query(app, 'select account_id, revoked_at from api_keys where key_hash = $1', [sha256(apiKey)])).toEqual([{ account_id: accountId, revoked_at: null }]);
    });

    it('lets the new key read its account on the very next request', async () => {
      const { accountId, apiKey } = await openTestAccount(app, {
        name: 'Shorts', openingDeposit: '10000.25', settings: { allowShort: true, maxOrderNotional: '5000', maxPositionQuantity: { AAPL: '100', '*': '10' } },
      });
      expect(await api(app, 'GET', '/accounts/me', undefined, apiKey)).toEqual({
        status: 200,
        body: {
          accountId, name: 'Shorts', cash: '10000.25', reserved: '0', openedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          settings: { allowShort: true, maxOrderNotional: '5000', maxPositionQuantity: { AAPL: '100', '*': '10' } },
        },
      });
    });

    it('opens an account from the CLI, whose key works over HTTP', async () => {
      const { stdout } = await promisify(execFile)(process.execPath, [path.resolve('dist/scripts/accounts-create.js'), '--name', 'CLI desk', '--deposit', '10000'], {
        env: { PATH: process.env.PATH ?? '', DATABASE_URL: app.db.url },
      });
      const apiKey = /API key \(shown once, store it now\): (tk_\S+)/.exec(stdout)?.[1];
      expect(apiKey).toMatch(/^tk_[A-Za-z0-9_-]{43}$/);
      expect(await api(app, 'GET', '/accounts/me', undefined, apiKey)).toMatchObject({ status: 200, body: { name: 'CLI desk', cash: '10000', reserved: '0' } });
    });

    it('defaults the risk settings', async () => {
      const { apiKey } = await openTestAccount(app);
      const me = await api(app, 'GET', '/accounts/me', undefined, apiKey);
      expect(me.body.settings).toEqual({ allowShort: false, maxOrderNotional: null, maxPositionQuantity: {} });
    });
  });

  describe('keys', () => {
    it.each([
      ['no header', undefined],
      ['garbage', 'garbage'],
      ['a well-formed key nobody was issued', `tk_${randomBytes(32).toString('base64url')}`],
      ['the admin token', TEST_ADMIN_TOKEN],
    ])('refuses %s with 401', async (_name, token) => {
      expect(await api(app, 'GET', '/accounts/me', undefined, token)).toMatchObject({ status: 401, body: { statusCode: 401, code: 'UNAUTHORIZED' } });
    });

    it('refuses a key sent other than as a Bearer token', async () => {
      const { apiKey } = await openTestAccount(app);
      const response = await fetch(`${app.url}/accounts/me`, { headers: { authorization: `Basic ${apiKey}` } });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ code: 'UNAUTHORIZED' });
    });

    it('rotation issues a working key and revokes the old one at once', async () => {
      const { accountId, apiKey: first } = await openTestAccount(app);
      expect((await api(app, 'GET', '/accounts/me', undefined, first)).status).toBe(200); // cached now
      const rotated = await api(app, 'POST', '/accounts/me/api-key/rotate', undefined, first);
      expect(rotated.status).toBe(200);
      const second = rotated.body.apiKey as string;
      expect(second).toMatch(/^tk_[A-Za-z0-9_-]{43}$/);
      expect(second).not.toBe(first);
      expect(await api(app, 'GET', '/accounts/me', undefined, first)).toMatchObject({ status: 401, body: { code: 'UNAUTHORIZED' } });
      expect(await api(app, 'GET', '/accounts/me', undefined, second)).toMatchObject({ status: 200, body: { accountId } });
      expect(await api(app, 'POST', '/accounts/me/api-key/rotate', undefined, first)).toMatchObject({ status: 401 });
      const [{ type, data }] = await query<{ type: string; data: { apiKeyHash: string } }>(
        app, `select type, data from events where stream_id = $1 order by revision desc limit 1`, [`account-${accountId}`]);
      expect({ type, hash: data.apiKeyHash }).toEqual({ type: 'ApiKeyRotated', hash: sha256(second) });
      // The projection writes the same rows again; the old key stays revoked.
      const keys = await eventually(
        () => query<{ key_hash: string; active: boolean }>(app, 'select key_hash, revoked_at is null as active from api_keys where account_id = $1 order by revision', [accountId]),
        (rows) => rows.length === 2,
      );
      expect(keys).toEqual([{ key_hash: sha256(first), active: false }, { key_hash: sha256(second), active: true }]);
    });
  });

  describe('API docs', () => {
    it('serves the OpenAPI document with bearer auth and validated schemas', async () => {
      const { status, body } = await api(app, 'GET', '/docs-json');
      expect(status).toBe(200);
      expect(body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
      expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/accounts', '/accounts/me', '/accounts/me/api-key/rotate', '/accounts/me/deposits', '/signals', '/signals/{signalId}']));
      expect(body.paths['/signals'].post.security).toEqual([{ bearer: [] }]);
      expect(body.components.schemas.OpenAccountDto.required).toEqual(['name', 'openingDeposit']);
      expect(body.paths['/signals'].get.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['symbol', 'cursor', 'limit']));
    });

    it('serves the Swagger UI page and every asset it loads', async () => {
      const page = await fetch(`${app.url}/docs`);
      expect(page.status).toBe(200);
      const html = await page.text();
      const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
      expect(assets).toEqual(expect.arrayContaining(['/docs/swagger-ui-bundle.js', '/docs/swagger-ui.css', '/docs/swagger-ui-init.js']));
      for (const asset of assets) {
        const response = await fetch(`${app.url}${asset}`);
        expect({ asset, status: response.status }).toEqual({ asset, status: 200 });
        expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(100);
      }
      expect(await (await fetch(`${app.url}/docs/swagger-ui-init.js`)).text()).toContain("url: '/docs-json'");
    });
  });

  describe('transfers', () => {
    it('records a deposit once per transferId', async () => {
      const { accountId, apiKey } = await openTestAccount(app, { openingDeposit: '1000' });
      const transferId = randomUUID();
      const before = await eventCount(app);
      const first = await api(app, 'POST', '/accounts/me/deposits', { amount: '250.50', transferId }, apiKey);
      expect(first).toEqual({ status: 201, body: { transferId, amount: '250.5', cash: '1250.5' } });
      const retried = await api(app, 'POST', '/accounts/me/deposits', { amount: '250.50', transferId }, apiKey);
      expect(retried).toEqual(first);
      expect(await eventCount(app)).toBe(before + 1);
      const me = await eventually(() => api(app, 'GET', '/accounts/me', undefined, apiKey), (r) => r.body.cash === '1250.5');
      expect(me.body).toMatchObject({ accountId, cash: '1250.5', reserved: '0' });
    });

    it('records a withdrawal once per transferId and refuses one beyond the cash', async () => {
      const { apiKey } = await openTestAccount(app, { openingDeposit: '1000' });
      const before = await eventCount(app);
      const tooMuch = await api(app, 'POST', '/accounts/me/withdrawals', { amount: '1000.01', transferId: randomUUID() }, apiKey);
      expect(tooMuch).toMatchObject({ status: 422, body: { statusCode: 422, code: 'INSUFFICIENT_FUNDS' } });
      expect(await eventCount(app)).toBe(before);
      const transferId = randomUUID();
      const first = await api(app, 'POST', '/accounts/me/withdrawals', { amount: 400, transferId }, apiKey);
      expect(first).toEqual({ status: 201, body: { transferId, amount: '400', cash: '600' } });
      expect(await api(app, 'POST', '/accounts/me/withdrawals', { amount: 400, transferId }, apiKey)).toEqual(first);
      expect(await eventCount(app)).toBe(before + 1);
      const all = await api(app, 'POST', '/accounts/me/withdrawals', { amount: '600', transferId: randomUUID() }, apiKey);
      expect(all.body.cash).toBe('0');
    });

    it('keeps each account to its own money', async () => {
      const alice = await openTestAccount(app, { name: 'alice', openingDeposit: '100' });
      const bob = await openTestAccount(app, { name: 'bob', openingDeposit: '200' });
      const transferId = randomUUID();
      await api(app, 'POST', '/accounts/me/deposits', { amount: '5', transferId }, alice.apiKey);
      // The same client transferId on another account is another transfer.
      expect((await api(app, 'POST', '/accounts/me/deposits', { amount: '7', transferId }, bob.apiKey)).body.cash).toBe('207');
      const [a, b] = await Promise.all([
        eventually(() => api(app, 'GET', '/accounts/me', undefined, alice.apiKey), (r) => r.body.cash === '105'),
        eventually(() => api(app, 'GET', '/accounts/me', undefined, bob.apiKey), (r) => r.body.cash === '207'),
      ]);
      expect([a.body.name, a.body.cash, b.body.name, b.body.cash]).toEqual(['alice', '105', 'bob', '207']);
    });
  });
});
