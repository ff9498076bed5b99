import { api, startTestApp, type TestApp } from '../support/app.js';
import { openTestAccount } from './accounts-helpers.js';
import { applied, deposit, order, postBar, until } from './trading-helpers.js';

/**
 * A trader's day, checked to the cent by hand. Fees: 10 bps + 1 fixed per fill; market orders slip
 * 5 bps. Opening fees are capitalised into the average cost, closing fees reduce realized PnL.
 */
describe('trading walkthrough', () => {
  let app: TestApp;
  let key: string;
  beforeAll(async () => {
    app = await startTestApp('trading_walkthrough', { PAPER_FEE_BPS: '10', PAPER_FIXED_FEE: '1', PAPER_SLIPPAGE_BPS: '5', PAPER_RESERVE_ALLOWANCE_BPS: '50' });
    key = (await openTestAccount(app, { openingDeposit: '0' })).apiKey;
  });
  afterAll(async () => app.stop());

  it('deposits 10,000', async () => {
    expect(await deposit(app, key, '10000')).toMatchObject({ status: 201, body: { cash: '10000' } });
    expect(await until(app, '/portfolio', key, (p) => p.cash === '10000')).toEqual({
      cash: '10000', reservedCash: '0', buyingPower: '10000', equity: '10000', marketValue: '0', realizedPnl: '0', unrealizedPnl: '0', positions: [],
    });
  });

  it('refuses a market order before any price is known', async () => {
    expect(await order(app, key, { type: 'market', quantity: '10' })).toMatchObject({ status: 422, body: { code: 'NO_MARKET_PRICE' } });
  });

  let buyId: string;
  it('buys 10 at market: reserved at the last price plus the allowance, filled at the next bar open plus slippage', async () => {
    await postBar(app, 'AAPL', -60_000, { open: '99', high: '100.5', low: '98.5', close: '100' });
    await applied(app, 'market-bars', 1); // the reference price is read from latest_prices
    const placed = await order(app, key, { type: 'market', quantity: '10' });
    expect(placed).toMatchObject({ status: 201, body: { status: 'accepted', type: 'market', quantity: '10', filledQuantity: '0' } });
    buyId = placed.body.orderId;
    // 10 × 100 × 1.005 = 1005, fee 1005 × 0.001 + 1 = 2.005.
    expect(await until(app, '/portfolio', key, (p) => p.reservedCash !== '0')).toMatchObject({ cash: '10000', reservedCash: '1007.005', buyingPower: '8992.995' });

    await postBar(app, 'AAPL', 1_000, { open: '101', high: '102', low: '100.5', close: '102' });
    const filled = await until(app, `/orders/${buyId}`, key, (o) => o.status === 'filled');
    // 101 × 1.0005 = 101.0505; notional 1010.505, fee 1.010505 + 1 = 2.010505.
    expect(filled).toMatchObject({ filledQuantity: '10', averageFillPrice: '101.0505', fills: [{ price: '101.0505', quantity: '10', fee: '2.010505', liquidity: 'taker' }] });
    const portfolio = await until(app, '/portfolio', key, (p) => p.positions.length === 1 && p.reservedCash === '0');
    expect(portfolio).toEqual({
      cash: '8987.484495', reservedCash: '0', buyingPower: '8987.484495', equity: '10007.484495',
      marketValue: '1020', realizedPnl: '0', unrealizedPnl: '7.484495',
      positions: [{ symbol: 'AAPL', quantity: '10', averageCost: '101.2515505', realizedPnl: '0', unrealizedPnl: '7.484495', marketValue: '1020', lastPrice: '102' }],
    });
  });

  let sellId: string;
  it('sells 4 with a limit: the closing fee comes off realized PnL, the average cost of the rest is unchanged', async () => {
    const placed = await order(app, key, { side: 'sell', type: 'limit', quantity: '4', limitPrice: '103' });
    expect(placed).toMatchObject({ status: 201, body: { status: 'accepted', side: 'sell', limitPrice: '103' } });
    sellId = placed.body.orderId;
    // Opens above the limit: filled at the open, 103.5, as a maker; fee 414 × 0.001 + 1 = 1.414.
    await postBar(app, 'AAPL', 2_000, { open: '103.5', high: '104', low: '103', close: '103.8' });
    await until(app, `/orders/${sellId}`, key, (o) => o.status === 'filled');
    const portfolio = await until(app, '/portfolio', key, (p) => p.positions[0]?.quantity === '6' && p.positions[0].lastPrice === '103.8');
    // basis removed 1012.515505 × 4/10 = 405.006202; realized 414 − 1.414 − 405.006202 = 7.579798;
    // rest 6 at basis 607.509303 (101.2515505 each), marked 6 × 103.8 = 622.8.
    expect(portfolio).toEqual({
      cash: '9400.070495', reservedCash: '0', buyingPower: '9400.070495', equity: '10022.870495',
      marketValue: '622.8', realizedPnl: '7.579798', unrealizedPnl: '15.290697',
      positions: [{ symbol: 'AAPL', quantity: '6', averageCost: '101.2515505', realizedPnl: '7.579798', unrealizedPnl: '15.290697', marketValue: '622.8', lastPrice: '103.8' }],
    });
  });

  it('lists the orders newest first and the trades with their fees', async () => {
    const orders = await until(app, '/orders', key, (b) => b.orders.length === 3 && b.orders[0].status === 'filled');
    expect(orders.orders.map((o: any) => [o.orderId, o.side, o.type, o.status, o.reason])).toEqual([
      [sellId, 'sell', 'limit', 'filled', null],
      [buyId, 'buy', 'market', 'filled', null],
      [expect.any(String), 'buy', 'market', 'rejected', 'NO_MARKET_PRICE'],
    ]);
    expect(orders.nextCursor).toBeNull();
    const page1 = await api(app, 'GET', '/orders?limit=1&status=filled', undefined, key);
    expect(page1.body.orders.map((o: any) => o.orderId)).toEqual([sellId]);
    const page2 = await api(app, 'GET', `/orders?limit=1&status=filled&cursor=${page1.body.nextCursor}`, undefined, key);
    expect(page2.body).toMatchObject({ orders: [{ orderId: buyId }], nextCursor: null });

    const trades = await api(app, 'GET', '/trades', undefined, key);
    expect(trades.body.trades.map((t: any) => [t.orderId, t.side, t.price, t.quantity, t.fee])).toEqual([
      [sellId, 'sell', '103.5', '4', '1.414'],
      [buyId, 'buy', '101.0505', '10', '2.010505'],
    ]);
    const first = await api(app, 'GET', '/trades?limit=1', undefined, key);
    const second = await api(app, 'GET', `/trades?limit=1&cursor=${first.body.nextCursor}`, undefined, key);
    expect([...first.body.trades, ...second.body.trades]).toEqual(trades.body.trades);
    expect(second.body.nextCursor).toBeNull();
    expect((await api(app, 'GET', '/trades?symbol=MSFT', undefined, key)).body).toEqual({ trades: [], nextCursor: null });
  });

  it('charts equity from the deposit through each fill and price', async () => {
    const history = await until(app, '/portfolio/history?interval=raw', key, (h) => h.points.at(-1)?.equity === '10022.870495');
    const equities = history.points.map((p: { equity: string }) => p.equity);
    expect(equities[0]).toBe('0');
    expect(equities).toEqual(expect.arrayContaining(['10000', '10007.484495', '10022.870495']));
    expect(history.points.map((p: { time: string }) => p.time)).toEqual([...history.points.map((p: { time: string }) => p.time)].sort());

    // Buckets keep their last snapshot; from/to cut the range.
    const weekly = await api(app, 'GET', '/portfolio/history?interval=1w', undefined, key);
    expect(weekly.body.points.at(-1)).toMatchObject({ equity: '10022.870495', cash: '9400.070495', marketValue: '622.8' });
    expect(weekly.body.points.length).toBeLessThanOrEqual(2);
    const last = history.points.at(-1).time;
    expect((await api(app, 'GET', `/portfolio/history?interval=raw&from=${last}`, undefined, key)).body.points).toEqual([history.points.at(-1)]);
    expect((await api(app, 'GET', '/portfolio/history?interval=2h', undefined, key))).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
  });
});
