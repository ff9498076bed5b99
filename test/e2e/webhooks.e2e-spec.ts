import { api, startTestApp, type TestApp } from '../support/app.js';
import { createWebhook, eventually, openAccount, postBar, postHook, signalEvents, signatureHeaders, sql } from './webhook-helpers.js';

const alert = (secret: string, over: Record<string, unknown> = {}) => ({
  secret, ticker: 'NASDAQ:AAPL', action: 'buy', price: '100', strategy: 'sma-cross', time: new Date().toISOString(), interval: '1', ...over,
});

describe('webhooks', () => {
  let app: TestApp;
  let key: string;
  beforeAll(async () => {
    app = await startTestApp('webhooks', { PAPER_FEE_BPS: '0', PAPER_FIXED_FEE: '0', PAPER_SLIPPAGE_BPS: '0' });
    key = (await openAccount(app)).apiKey;
    await postBar(app, 'AAPL', -60_000, '100');
    await eventually(() => sql(app, "select price::text from latest_prices where symbol = 'AAPL'"), (rows) => rows.length === 1, 'the AAPL price');
  });
  afterAll(async () => app.stop());

  it('creates, lists, rotates and removes webhooks; the secret is shown once and never stored in clear', async () => {
    const created = await api(app, 'POST', '/webhooks', {
      strategy: 'breakout', sizing: { mode: 'percent_of_equity', percent: '5' }, orderDefaults: { type: 'limit' }, ipAllowList: ['52.89.214.238'],
    }, key);
    expect(created).toMatchObject({
      status: 201,
      body: { strategy: 'breakout', sizing: { mode: 'percent_of_equity', percent: '5' }, orderDefaults: { type: 'limit', timeInForce: 'GTC' }, ipAllowList: ['52.89.214.238'] },
    });
    const { webhookId, secret, url } = created.body;
    expect(url).toBe(`/hooks/${webhookId}`);
    expect(secret).toMatch(/^whsec_/);
    const stored = await sql(app, 'select data::text from events where stream_id = $1', [`webhook-${webhookId}`]);
    expect(stored).toHaveLength(1);
    expect(stored[0].data).not.toContain(secret.slice(6));

    const listed = await api(app, 'GET', '/webhooks', undefined, key);
    expect(listed.body.webhooks.find((w: any) => w.webhookId === webhookId)).toEqual({ ...created.body, secret: undefined, createdAt: expect.any(String) });
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    const rotated = await api(app, 'POST', `/webhooks/${webhookId}/secret/rotate`, undefined, key);
    expect(rotated).toMatchObject({ status: 200, body: { webhookId, url } });
    expect(rotated.body.secret).not.toBe(secret);
    const other = await openAccount(app);
    expect(await api(app, 'DELETE', `/webhooks/${webhookId}`, undefined, other.apiKey)).toMatchObject({ status: 404, body: { code: 'WEBHOOK_NOT_FOUND' } });
    expect((await api(app, 'DELETE', `/webhooks/${webhookId}`, undefined, key)).status).toBe(204);
    expect((await api(app, 'GET', '/webhooks', undefined, key)).body.webhooks.map((w: any) => w.webhookId)).not.toContain(webhookId);
    expect((await postHook(app, url, { body: alert(rotated.body.secret) })).status).toBe(401);
  });

  it('refuses a webhook without a valid sizing or with a bad allow-list', async () => {
    expect(await api(app, 'POST', '/webhooks', { strategy: 's', sizing: { mode: 'fixed_quantity' } }, key)).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect(await api(app, 'POST', '/webhooks', { strategy: 's', sizing: { mode: 'close_position' }, ipAllowList: ['example.com'] }, key))
      .toMatchObject({ status: 422, body: { code: 'INVALID_WEBHOOK' } });
    expect((await api(app, 'POST', '/webhooks', { strategy: 's', sizing: { mode: 'close_position' } })).status).toBe(401);
  });

  it('turns a TradingView alert into a signal, an order and a fill the portfolio shows; a duplicate creates nothing', async () => {
    const { url, secret, webhookId } = await createWebhook(app, key);
    const body = JSON.stringify(alert(secret, { alertId: 'tv-alert-1' }));
    const accepted = await postHook(app, url, { body });
    expect(accepted).toMatchObject({ status: 202, body: { signalId: expect.any(String), duplicate: false } });
    const { signalId } = accepted.body;

    const [signal] = await sql(app, 'select type, data from events where stream_id = $1', [`signal-${signalId}`]);
    expect(signal).toMatchObject({ type: 'SignalRecorded', data: { signalId, symbol: 'AAPL', side: 'buy', source: 'webhook', price: '100', strategy: 'sma-cross' } });
    expect(signal.data.metadata).toMatchObject({ webhookId, alertId: 'tv-alert-1', exchange: 'NASDAQ', order: { sizing: { mode: 'fixed_quantity', quantity: '10' }, type: 'market' } });
    expect(JSON.stringify(signal.data)).not.toContain(secret);

    const [handled] = await eventually(() => sql(app, 'select * from webhook_signals where signal_id = $1', [signalId]), (rows) => rows.length === 1, 'the saga handling the signal');
    expect(handled).toMatchObject({ webhook_id: webhookId, outcome: 'ordered', reason: null });
    expect(handled.latency_ms).toBeGreaterThanOrEqual(0);
    const order = await api(app, 'GET', `/orders/${handled.order_id}`, undefined, key);
    expect(order).toMatchObject({ status: 200, body: { clientOrderId: `wh-${signalId}`, symbol: 'AAPL', side: 'buy', type: 'market', quantity: '10' } });

    await postBar(app, 'AAPL', 1_000, '101');
    await eventually(() => api(app, 'GET', `/orders/${handled.order_id}`, undefined, key), (r) => r.body.status === 'filled', 'the fill');
    const portfolio = await eventually(() => api(app, 'GET', '/portfolio', undefined, key), (r) => r.body.positions?.length === 1, 'the position');
    expect(portfolio.body.positions[0]).toMatchObject({ symbol: 'AAPL', quantity: '10' });

    const before = await sql(app, 'select (select count(*)::int from events) as events, (select count(*)::int from orders) as orders');
    const again = await postHook(app, url, { body });
    expect(again).toEqual(expect.objectContaining({ status: 200, body: { signalId, duplicate: true } }));
    const sameAlertIdOtherBody = await postHook(app, url, { body: JSON.stringify(alert(secret, { alertId: 'tv-alert-1', quantity: '99' })) });
    expect(sameAlertIdOtherBody.body).toEqual({ signalId, duplicate: true });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await sql(app, 'select (select count(*)::int from events) as events, (select count(*)::int from orders) as orders')).toEqual(before);
  });

  it('sizes by percent of equity, then closes the position, then skips a close with nothing to close', async () => {
    const trader = await openAccount(app, '10000');
    await postBar(app, 'MSFT', -60_000, '200');
    await eventually(() => sql(app, "select price::text from latest_prices where symbol = 'MSFT'"), (rows) => rows.length === 1, 'the MSFT price');
    const { url, secret } = await createWebhook(app, trader.apiKey, { sizing: { mode: 'percent_of_equity', percent: '10' } });
    const handled = async (body: Record<string, unknown>) => {
      const { signalId } = (await postHook(app, url, { body: { secret, ticker: 'MSFT', ...body } })).body;
      const [row] = await eventually(() => sql(app, 'select outcome, order_id, reason from webhook_signals where signal_id = $1', [signalId]), (rows) => rows.length === 1, 'the saga');
      return row;
    };
    const position = () => api(app, 'GET', '/portfolio', undefined, trader.apiKey).then((r) => r.body.positions?.find((p: any) => p.symbol === 'MSFT')?.quantity ?? '0');

    const buy = await handled({ action: 'buy', alertId: 'pct-1' });
    // 10% of 10,000 equity at the latest price 200 = 5.
    expect(await api(app, 'GET', `/orders/${buy.order_id}`, undefined, trader.apiKey)).toMatchObject({ body: { side: 'buy', quantity: '5', type: 'market' } });
    await postBar(app, 'MSFT', 1_000, '200');
    await eventually(position, (q) => q === '5', 'the MSFT position');

    const close = await handled({ action: 'close', alertId: 'close-1' });
    expect(await api(app, 'GET', `/orders/${close.order_id}`, undefined, trader.apiKey)).toMatchObject({ body: { side: 'sell', quantity: '5' } });
    await postBar(app, 'MSFT', 2_000, '200');
    await eventually(position, (q) => q === '0', 'the flat MSFT position');

    expect(await handled({ action: 'close', alertId: 'close-2' })).toEqual({ outcome: 'skipped', order_id: null, reason: 'NO_POSITION_TO_CLOSE' });
  });

  it('de-duplicates by Idempotency-Key, and by body within the window when neither key is given', async () => {
    const { url, secret } = await createWebhook(app, key);
    const first = await postHook(app, url, { body: alert(secret, { time: '2024-01-01T00:00:00Z' }), headers: { 'idempotency-key': 'order-77' } });
    const second = await postHook(app, url, { body: alert(secret, { time: '2024-01-01T00:00:01Z' }), headers: { 'idempotency-key': 'order-77' } });
    expect([first.status, second.status]).toEqual([202, 200]);
    expect(second.body.signalId).toBe(first.body.signalId);
    const bodyOnly = JSON.stringify(alert(secret, { action: 'sell', time: '2024-01-01T00:00:02Z' }));
    const copies = await Promise.all([1, 2, 3, 4].map(() => postHook(app, url, { body: bodyOnly })));
    expect(copies.map((c) => c.status).sort()).toEqual([200, 200, 200, 202]);
    expect(new Set(copies.map((c) => c.body.signalId)).size).toBe(1);
  });

  it('accepts an HMAC-signed JSON alert without a body secret; refuses bad signatures and stale timestamps, appending nothing', async () => {
    const { url, secret } = await createWebhook(app, key);
    const body = JSON.stringify({ symbol: 'AAPL', action: 'buy', quantity: '1', alertId: 'signed-1' });
    const signed = await postHook(app, url, { body, contentType: 'application/json', headers: signatureHeaders(secret, body) });
    expect(signed).toMatchObject({ status: 202 });

    const count = await signalEvents(app);
    const tampered = JSON.stringify({ symbol: 'AAPL', action: 'buy', quantity: '100', alertId: 'signed-2' });
    expect(await postHook(app, url, { body: tampered, contentType: 'application/json', headers: signatureHeaders(secret, body) }))
      .toMatchObject({ status: 401, body: { code: 'INVALID_SIGNATURE' } });
    expect(await postHook(app, url, { body: tampered, contentType: 'application/json', headers: signatureHeaders('whsec_wrong', tampered) }))
      .toMatchObject({ status: 401, body: { code: 'INVALID_SIGNATURE' } });
    expect(await postHook(app, url, { body: tampered, contentType: 'application/json', headers: signatureHeaders(secret, tampered, Date.now() - 6 * 60_000) }))
      .toMatchObject({ status: 401, body: { code: 'STALE_TIMESTAMP' } });
    expect(await postHook(app, url, { body: tampered, contentType: 'application/json', headers: { 'x-webhook-signature': signatureHeaders(secret, tampered)['x-webhook-signature'] } }))
      .toMatchObject({ status: 401, body: { code: 'STALE_TIMESTAMP' } });
    expect(await signalEvents(app)).toBe(count);
  });

  it('answers a wrong secret and an unknown webhook alike', async () => {
    const { url } = await createWebhook(app, key);
    const count = await signalEvents(app);
    const wrong = await postHook(app, url, { body: alert('whsec_guess') });
    const unknown = await postHook(app, '/hooks/00000000-0000-4000-8000-000000000000', { body: alert('whsec_guess') });
    const garbageId = await postHook(app, '/hooks/not-a-webhook', { body: alert('whsec_guess') });
    expect(wrong).toMatchObject({ status: 401, body: { code: 'INVALID_SECRET' } });
    expect(unknown.body).toEqual(wrong.body);
    expect(garbageId.body).toEqual(wrong.body);
    expect(await postHook(app, url, { body: { symbol: 'AAPL', action: 'buy' } })).toMatchObject({ status: 401, body: { code: 'MISSING_CREDENTIALS' } });
    expect(await signalEvents(app)).toBe(count);
  });

  it('refuses an address off the allow-list, and does not believe X-Forwarded-For from an untrusted peer', async () => {
    const { url, secret } = await createWebhook(app, key, { ipAllowList: ['52.89.214.238'] });
    const count = await signalEvents(app);
    expect(await postHook(app, url, { body: alert(secret) })).toMatchObject({ status: 403, body: { code: 'IP_NOT_ALLOWED' } });
    expect(await postHook(app, url, { body: alert(secret), headers: { 'x-forwarded-for': '52.89.214.238' } })).toMatchObject({ status: 403, body: { code: 'IP_NOT_ALLOWED' } });
    const local = await createWebhook(app, key, { ipAllowList: ['127.0.0.0/8', '::1'] });
    expect((await postHook(app, local.url, { body: alert(local.secret) })).status).toBe(202);
    expect(await signalEvents(app)).toBe(count + 1);
  });

  const MALFORMED: [string, string | Record<string, unknown>, string, number, string][] = [
    ['an empty body', '', 'text/plain', 400, 'MALFORMED_ALERT'],
    ['plain words', 'buy AAPL', 'text/plain', 400, 'MALFORMED_ALERT'],
    ['truncated JSON', '{"action":"buy","symbol":', 'text/plain', 400, 'MALFORMED_ALERT'],
    ['a JSON array', '[1,2]', 'text/plain', 400, 'MALFORMED_ALERT'],
    ['a JSON string', '"buy"', 'text/plain', 400, 'MALFORMED_ALERT'],
    ['broken application/json', '{"action":', 'application/json', 400, 'BAD_REQUEST'],
    ['an XML body', '<alert/>', 'application/xml', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['no action', { ticker: 'AAPL' }, 'text/plain', 422, 'INVALID_ALERT'],
    ['an unknown action', { ticker: 'AAPL', action: 'hodl' }, 'text/plain', 422, 'INVALID_ALERT'],
    ['no symbol', { action: 'buy' }, 'text/plain', 422, 'INVALID_ALERT'],
    ['a symbol with spaces', { symbol: 'AA PL', action: 'buy' }, 'text/plain', 422, 'INVALID_ALERT'],
    ['a zero quantity', { symbol: 'AAPL', action: 'buy', quantity: 0 }, 'text/plain', 422, 'INVALID_ALERT'],
    ['a negative quantity', { symbol: 'AAPL', action: 'buy', quantity: '-5' }, 'text/plain', 422, 'INVALID_ALERT'],
    ['NaN as quantity', { symbol: 'AAPL', action: 'buy', quantity: 'NaN' }, 'text/plain', 422, 'INVALID_ALERT'],
    ['quantity and percent', { symbol: 'AAPL', action: 'buy', quantity: '1', percent: '5' }, 'text/plain', 422, 'INVALID_ALERT'],
    ['a percent over 100', { symbol: 'AAPL', action: 'buy', percent: '101' }, 'text/plain', 422, 'INVALID_ALERT'],
    ['a limit without price', { symbol: 'AAPL', action: 'buy', orderType: 'limit' }, 'text/plain', 422, 'INVALID_ALERT'],
    ['a stop order type', { symbol: 'AAPL', action: 'buy', orderType: 'stop' }, 'text/plain', 422, 'INVALID_ALERT'],
    ['an unfilled placeholder', { symbol: '{{ticker}}', action: 'buy' }, 'text/plain', 422, 'INVALID_ALERT'],
    ['a time placeholder', { symbol: 'AAPL', action: 'buy', time: '{{timenow}}' }, 'text/plain', 422, 'INVALID_ALERT'],
    ['a misspelt field', { symbol: 'AAPL', action: 'buy', quantitty: '1' }, 'text/plain', 422, 'INVALID_ALERT'],
    ['metadata that is a list', { symbol: 'AAPL', action: 'buy', metadata: ['x'] }, 'text/plain', 422, 'INVALID_ALERT'],
    ['a huge comment', { symbol: 'AAPL', action: 'buy', comment: 'x'.repeat(500) }, 'text/plain', 422, 'INVALID_ALERT'],
    ['a body over the size limit', { symbol: 'AAPL', action: 'buy', comment: 'x'.repeat(300 * 1024) }, 'text/plain', 413, 'PAYLOAD_TOO_LARGE'],
  ];

  it(`refuses ${MALFORMED.length} malformed bodies, each with its 4xx and code, appending nothing`, async () => {
    const { url, secret } = await createWebhook(app, key);
    const count = await signalEvents(app);
    const answers = [];
    for (const [name, body, contentType, status, code] of MALFORMED) {
      const withSecret = typeof body === 'string' ? body : JSON.stringify({ secret, ...body });
      const answer = await postHook(app, url, { body: withSecret, contentType });
      answers.push({ name, status: answer.status, code: answer.body?.code });
      expect({ name, status, code }).toEqual({ name, status: answer.status, code: answer.body?.code });
    }
    expect(answers).toHaveLength(MALFORMED.length);
    expect(await signalEvents(app)).toBe(count);
  });

  it('exposes intake and receipt-to-processing latency on /metrics', async () => {
    const response = await fetch(`${app.url}/metrics`);
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(text).toMatch(/webhook_ack_seconds_count\{status="202"\} [1-9]/);
    expect(text).toMatch(/webhook_signal_processing_seconds_count\{outcome="ordered"\} [1-9]/);
  });
});

describe('webhook backpressure and proxies', () => {
  let app: TestApp;
  beforeAll(async () => {
    // No worker: nothing drains the backlog, so it only grows.
    app = await startTestApp('webhooks_backlog', { ROLE: 'api', WEBHOOK_MAX_BACKLOG: '3', TRUSTED_PROXIES: '127.0.0.1,::1' });
  });
  afterAll(async () => app.stop());

  it('answers 429 with Retry-After past WEBHOOK_MAX_BACKLOG; everything accepted stays recorded', async () => {
    const { apiKey } = await openAccount(app);
    const { url, secret } = await createWebhook(app, apiKey, { ipAllowList: ['52.89.214.238'] });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 6; i++) {
      const answer = await postHook(app, url, { body: alert(secret, { alertId: `bp-${i}` }), headers: { 'x-forwarded-for': '52.89.214.238' } });
      statuses.push(answer.status);
      if (answer.status === 429) retryAfter = answer.headers.get('retry-after');
      if (answer.status === 429) expect(answer.body.code).toBe('BACKLOG_FULL');
    }
    expect(statuses).toEqual([202, 202, 202, 429, 429, 429]);
    expect(retryAfter).toBe('1');
    expect(await signalEvents(app)).toBe(3);
    // A trusted proxy's X-Forwarded-For is believed: another address is refused.
    expect((await postHook(app, url, { body: alert(secret), headers: { 'x-forwarded-for': '198.51.100.1' } })).status).toBe(403);
  });
});
