import { randomUUID } from 'node:crypto';
import { api, startTestApp, type TestApp } from '../support/app.js';
import { accountDecider, buyingPower, type AccountEvent } from '#libs/trading';
import { openTestAccount, query } from './accounts-helpers.js';
import { order, postBar, until } from './trading-helpers.js';

/** Limit buys of 1 at 100 reserve 100 + 10 bps fee = 100.1 each; 1001 affords exactly ten. */
describe('orders under concurrency, cancel, IOC, limit fills and retries', () => {
  let app: TestApp;
  let tight: string;
  let tightId: string;
  let rich: string;
  beforeAll(async () => {
    app = await startTestApp('order_concurrency', { PAPER_FEE_BPS: '10', PAPER_FIXED_FEE: '0' });
    ({ apiKey: tight, accountId: tightId } = await openTestAccount(app, { openingDeposit: '1001' }));
    rich = (await openTestAccount(app, { openingDeposit: '100000' })).apiKey;
  });
  afterAll(async () => app.stop());

  let accepted: string[] = [];
  it('accepts exactly the 10 of 50 simultaneous orders the account can afford', async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, () => order(app, tight, { limitPrice: '100' })));
    accepted = answers.filter((a) => a.status === 201).map((a) => a.body.orderId);
    const rejected = answers.filter((a) => a.status === 422);
    expect(accepted).toHaveLength(10);
    expect(answers.filter((a) => a.status === 201).every((a) => a.body.status === 'accepted')).toBe(true);
    expect(rejected).toHaveLength(40);
    expect(new Set(rejected.map((a) => a.body.code))).toEqual(new Set(['INSUFFICIENT_BUYING_POWER']));

    const portfolio = await until(app, '/portfolio', tight, (p) => p.reservedCash === '1001');
    expect(portfolio).toMatchObject({ cash: '1001', reservedCash: '1001', buyingPower: '0' });
    const listed = await until(app, '/orders?limit=200', tight, (b) => b.orders.length === 50 && b.orders.every((o: { status: string }) => o.status !== 'pending'));
    expect(listed.orders.filter((o: { status: string }) => o.status === 'accepted').map((o: { orderId: string }) => o.orderId).sort()).toEqual([...accepted].sort());
    expect(listed.orders.filter((o: { status: string }) => o.status === 'rejected')).toHaveLength(40);
    // Replaying the account's stream: cash and buying power never went below zero at any revision.
    const events = await query<AccountEvent>(app, 'select type, data from events where stream_id = $1 order by revision', [`account-${tightId}`]);
    let state = accountDecider.initialState;
    for (const event of events) {
      state = accountDecider.evolve(state, event);
      if (state.status !== 'open') throw new Error('account not open');
      expect(Number(state.cash)).toBeGreaterThanOrEqual(0);
      expect(buyingPower(state).isNegative()).toBe(false);
    }
    expect(events.filter((e) => e.type === 'OrderFundsReserved')).toHaveLength(10);
  });

  it('cancels an accepted order once, gives its reservation back, and hides other accounts\' orders', async () => {
    const [first] = accepted;
    expect(await api(app, 'DELETE', `/orders/${first}`, undefined, tight)).toMatchObject({ status: 200, body: { orderId: first, status: 'cancelled', reason: 'requested' } });
    expect(await api(app, 'DELETE', `/orders/${first}`, undefined, tight)).toMatchObject({ status: 200, body: { status: 'cancelled' } });
    expect(await until(app, '/portfolio', tight, (p) => p.buyingPower === '100.1')).toMatchObject({ cash: '1001', reservedCash: '900.9' });

    expect(await api(app, 'DELETE', `/orders/${accepted[1]}`, undefined, rich)).toMatchObject({ status: 404, body: { code: 'ORDER_NOT_FOUND' } });
    expect(await api(app, 'GET', `/orders/${accepted[1]}`, undefined, rich)).toMatchObject({ status: 404, body: { code: 'ORDER_NOT_FOUND' } });
    expect(await api(app, 'DELETE', `/orders/${randomUUID()}`, undefined, tight)).toMatchObject({ status: 404, body: { code: 'ORDER_NOT_FOUND' } });
    expect(await api(app, 'DELETE', '/orders/not-an-id', undefined, tight)).toMatchObject({ status: 404 });
    expect(await api(app, 'GET', '/orders', undefined)).toMatchObject({ status: 401 });
  });

  it('answers a retried clientOrderId with the original order, simultaneous retries included', async () => {
    const clientOrderId = `retry-${randomUUID()}`;
    const answers = await Promise.all(Array.from({ length: 5 }, () => order(app, rich, { clientOrderId, symbol: 'MSFT', limitPrice: '10', quantity: '3' })));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.body.orderId)).size).toBe(1);
    const again = await order(app, rich, { clientOrderId, symbol: 'MSFT', limitPrice: '10', quantity: '3' });
    expect(again.body).toEqual(answers[0].body);
    // The first submission stands: a retry that changed its mind under the same id changes nothing.
    const changed = await order(app, rich, { clientOrderId, symbol: 'MSFT', limitPrice: '10', quantity: '7' });
    expect(changed.body).toEqual(answers[0].body);
    const listed = await until(app, '/orders?symbol=MSFT', rich, (b) => b.orders.length > 0);
    expect(listed.orders.map((o: { clientOrderId: string }) => o.clientOrderId)).toEqual([clientOrderId]);
    // Reserved once: 3 × 10 + 0.03 fee.
    expect(await until(app, '/portfolio', rich, (p) => p.reservedCash !== '0')).toMatchObject({ reservedCash: '30.03' });
  });

  it('refuses malformed orders before anything is placed', async () => {
    expect(await order(app, rich, { type: 'limit' })).toMatchObject({ status: 422, body: { code: 'INVALID_ORDER' } });
    expect(await order(app, rich, { type: 'market', limitPrice: '5' })).toMatchObject({ status: 422, body: { code: 'INVALID_ORDER' } });
    expect(await order(app, rich, { limitPrice: '1', quantity: '-1' })).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect(await order(app, rich, { limitPrice: '1', leverage: 10 })).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect(await order(app, rich, { limitPrice: '1', timeInForce: 'FOK' })).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
  });

  it('fills a limit order at its limit when the bar trades through it, and refuses to cancel it afterwards', async () => {
    const placed = await order(app, rich, { symbol: 'NVDA', limitPrice: '100', quantity: '2' });
    expect(placed).toMatchObject({ status: 201, body: { status: 'accepted' } });
    await postBar(app, 'NVDA', 1_000, { open: '100.5', high: '101', low: '99.5', close: '100.2' });
    const filled = await until(app, `/orders/${placed.body.orderId}`, rich, (o) => o.status === 'filled');
    expect(filled).toMatchObject({ averageFillPrice: '100', fills: [{ price: '100', quantity: '2', fee: '0.2', liquidity: 'maker' }] });
    expect(await api(app, 'DELETE', `/orders/${placed.body.orderId}`, undefined, rich)).toMatchObject({ status: 409, body: { code: 'ORDER_NOT_CANCELLABLE' } });
    const position = await until(app, '/portfolio', rich, (p) => p.positions.some((x: { symbol: string }) => x.symbol === 'NVDA'));
    expect(position.positions.find((x: { symbol: string }) => x.symbol === 'NVDA')).toMatchObject({ quantity: '2', averageCost: '100.1', lastPrice: '100.2' });
  });

  it('cancels what an IOC order could not fill on the first update, and releases its cash', async () => {
    const placed = await order(app, rich, { symbol: 'AMD', limitPrice: '90', quantity: '5', timeInForce: 'IOC' });
    expect(placed).toMatchObject({ status: 201, body: { status: 'accepted' } });
    await postBar(app, 'AMD', 1_000, { open: '96', high: '97', low: '95', close: '96.5' });
    expect(await until(app, `/orders/${placed.body.orderId}`, rich, (o) => o.status === 'cancelled')).toMatchObject({ reason: 'ioc_remainder', filledQuantity: '0', fills: [] });
    const portfolio = await until(app, '/portfolio', rich, (p) => p.reservedCash === '30.03');
    expect(portfolio.reservedCash).toBe('30.03');
  });
});
