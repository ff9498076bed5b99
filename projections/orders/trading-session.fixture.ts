import { Decimal } from 'decimal.js';
import type { DataSource, EntityManager } from 'typeorm';
import type { Projection, RecordedEvent } from '#eventstore';
import { checkBars, type Bar } from '#libs/market-data';
import {
  accountDecider, orderDecider, OrderRejectedError, TradingError,
  type AccountCommand, type AccountSettings, type AccountState, type OrderCommand, type OrderSpec, type OrderState, type RiskVerdict, type Side,
} from '#libs/trading';

/** Small, fast, seeded (mulberry32): the same seed gives the same session on every machine. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYMBOLS = ['AAPL', 'MSFT', 'BTCUSD'];
const REASONS = ['NO_MARKET_PRICE', 'MARKET_CLOSED'];

/**
 * A reproducible session of a desk under load, for equivalence tests of the projections: accounts
 * open, deposit, withdraw and change settings while their orders are reserved and placed accepted, or
 * placed rejected, triggered, filled in parts, cancelled or expired, and prices arrive. Every event is decided
 * by the real deciders, so lifecycles are valid, and they interleave as a busy log interleaves them.
 */
export function tradingSession(seed: number, steps: number): RecordedEvent[] {
  const random = seeded(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const amount = (max: number, decimals: number) => new Decimal(random() * max + 1).toDecimalPlaces(decimals).toFixed();
  let clock = Date.parse('2024-03-04T14:00:00.000Z');
  // Ties on purpose: snapshots keyed by (account, time) must upsert the same way in both modes.
  const now = () => new Date((clock += Math.floor(random() * 3) * 1000)).toISOString();
  const marks = new Map(SYMBOLS.map((s) => [s, new Decimal(100)]));

  const log: RecordedEvent[] = [];
  const record = (streamId: string, events: { type: string; data: unknown }[]) => {
    for (const { type, data } of events) {
      const n = BigInt(log.length + 1);
      const id = `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
      log.push({ id, type, data, streamId, revision: n, position: { commit: n, prepare: n }, metadata: {}, createdAt: new Date(clock) });
    }
  };

  const accounts = new Map<string, AccountState>();
  const orders = new Map<string, { state: OrderState }>();
  const unwritten: OrderSpec[] = [];
  const onAccount = (accountId: string, command: AccountCommand): void => {
    const before = accounts.get(accountId) ?? accountDecider.initialState;
    const events = accountDecider.decide(command, before);
    accounts.set(accountId, events.reduce(accountDecider.evolve, before));
    record(`account-${accountId}`, events);
  };
  const onOrder = (orderId: string, command: OrderCommand): void => {
    const before = orders.get(orderId)?.state ?? orderDecider.initialState;
    const events = orderDecider.decide(command, before);
    orders.set(orderId, { state: events.reduce(orderDecider.evolve, before) });
    record(`order-${orderId}`, events);
  };
  /** A command the decider refuses (a withdrawal beyond buying power, say) records nothing, as in production. */
  const refused = (action: () => void) => {
    try {
      action();
    } catch (error) {
      if (!(error instanceof TradingError)) throw error;
    }
  };
  const ordersIn = (...statuses: OrderState['status'][]) =>
    [...orders.entries()].filter(([, o]) => statuses.includes(o.state.status)).map(([id, o]) => ({ id, ...o, spec: specOf(o.state) }));
  const write = (spec: OrderSpec, verdict: RiskVerdict) => onOrder(spec.orderId, { type: 'PlaceOrder', data: { ...spec, verdict } });
  const releaseFor = (spec: OrderSpec, reason: 'cancelled' | 'expired' | 'rejected') =>
    refused(() => onAccount(spec.accountId, { type: 'ReleaseReservation', data: { accountId: spec.accountId, orderId: spec.orderId, reason, at: now() } }));

  const openAccount = () => {
    const accountId = `acc-${accounts.size + 1}`;
    onAccount(accountId, { type: 'OpenAccount', data: { accountId, name: accountId, openingDeposit: amount(50_000, 2), settings: randomSettings(), apiKeyHash: accountId, at: now() } });
  };
  const randomSettings = (): AccountSettings => ({
    allowShort: random() < 0.5, maxOrderNotional: random() < 0.3 ? amount(5_000, 0) : null, maxPositionQuantity: random() < 0.3 ? { '*': '40' } : {},
  });
  const accountIds = () => [...accounts.keys()];

  const actions: [number, () => void][] = [
    [1, () => {
      if (accounts.size < 6) openAccount();
    }],
    [2, () => refused(() => { const a = pick(accountIds()); onAccount(a, { type: 'DepositFunds', data: { accountId: a, transferId: `t${log.length}`, amount: amount(5_000, 2), at: now() } }); })],
    [1, () => refused(() => { const a = pick(accountIds()); onAccount(a, { type: 'WithdrawFunds', data: { accountId: a, transferId: `t${log.length}`, amount: amount(8_000, 2), at: now() } }); })],
    [1, () => refused(() => { const a = pick(accountIds()); onAccount(a, { type: 'ChangeAccountSettings', data: { accountId: a, settings: randomSettings(), at: now() } }); })],
    // The account's reservation first; the order is written with its verdict by a later step, as the
    // request's second append lands while other orders' reservations go ahead of it.
    [8, () => {
      const orderId = `ord-${orders.size + unwritten.length + 1}`;
      const [symbol, type] = [pick(SYMBOLS), pick(['limit', 'limit', 'market', 'stop'] as const)];
      const limitPrice = type === 'limit' ? marks.get(symbol)!.plus(amount(20, 2)).toFixed() : null;
      const spec: OrderSpec = {
        orderId, accountId: random() < 0.05 ? 'acc-unknown' : pick(accountIds()), clientOrderId: `c-${orderId}`, symbol, side: pick<Side>(['buy', 'buy', 'sell']), type,
        quantity: amount(20, random() < 0.3 ? 1 : 0), limitPrice, stopPrice: type === 'stop' ? marks.get(symbol)!.toFixed() : null, timeInForce: pick(['GTC', 'DAY'] as const), placedAt: now(),
      };
      const price = limitPrice ?? marks.get(symbol)!.times(1.05).toDecimalPlaces(2).toFixed();
      try {
        onAccount(spec.accountId, { type: 'ReserveForOrder', data: { accountId: spec.accountId, order: spec, price, estimatedFee: '1', at: now() } });
        unwritten.push(spec);
      } catch (error) {
        if (!(error instanceof OrderRejectedError)) throw error;
        write(spec, { outcome: 'rejected', reason: error.code, message: error.message, at: now() });
      }
    }],
    // Up to three at once: under load the orders reserved together are written together.
    [8, () => unwritten.splice(0, 1 + Math.floor(random() * 3)).forEach((spec) => write(spec, { outcome: 'accepted', at: now() }))],
    // Refused before the account is asked (no price to reserve at).
    [1, () => {
      const orderId = `ord-${orders.size + unwritten.length + 1}`;
      write({
        orderId, accountId: pick(accountIds()), clientOrderId: `c-${orderId}`, symbol: pick(SYMBOLS), side: 'buy', type: 'market', quantity: '1',
        limitPrice: null, stopPrice: null, timeInForce: 'GTC', placedAt: now(),
      }, { outcome: 'rejected', reason: pick(REASONS), at: now() });
    }],
    [2, () => {
      const order = ordersIn('accepted').find((o) => o.spec.type === 'stop');
      if (order) onOrder(order.id, { type: 'TriggerOrder', data: { orderId: order.id, price: marks.get(order.spec.symbol)!.toFixed(), at: now() } });
    }],
    [8, () => {
      const working = ordersIn('accepted', 'triggered', 'partially_filled').filter((o) => o.spec.type !== 'stop' || o.state.status !== 'accepted');
      if (!working.length) return;
      const { id, state, spec } = pick(working);
      const left = new Decimal(spec.quantity).minus((state as { filledQuantity: string }).filledQuantity);
      const quantity = random() < 0.4 ? left : Decimal.max(left.times(random()).toDecimalPlaces(1), Decimal.min(left, 1));
      const price = spec.limitPrice ? (spec.side === 'buy' ? new Decimal(spec.limitPrice).minus(0.5) : new Decimal(spec.limitPrice).plus(0.5)) : marks.get(spec.symbol)!;
      const fill = { fillId: `${id}-f${log.length}`, price: price.toFixed(), quantity: quantity.toFixed(), fee: amount(2, 2), at: now() };
      onOrder(id, { type: 'FillOrder', data: { orderId: id, ...fill, liquidity: pick(['maker', 'taker'] as const) } });
      refused(() => onAccount(spec.accountId, { type: 'SettleFill', data: { accountId: spec.accountId, orderId: id, symbol: spec.symbol, side: spec.side, ...fill } }));
    }],
    [2, () => {
      const open = ordersIn('pending', 'accepted', 'triggered', 'partially_filled');
      if (!open.length) return;
      const { id, spec } = pick(open);
      onOrder(id, { type: 'CancelOrder', data: { orderId: id, reason: 'requested', at: now() } });
      releaseFor(spec, 'cancelled');
    }],
    [1, () => {
      const open = ordersIn('accepted', 'partially_filled');
      if (!open.length) return;
      const { id, spec } = pick(open);
      onOrder(id, { type: 'ExpireOrder', data: { orderId: id, at: now() } });
      releaseFor(spec, 'expired');
    }],
    [2, () => {
      const symbol = pick(SYMBOLS);
      const bars: Bar[] = Array.from({ length: 1 + Math.floor(random() * 3) }, () => {
        const close = marks.get(symbol)!.times(0.98 + random() * 0.04).toDecimalPlaces(2);
        marks.set(symbol, close);
        clock += 1000;
        // Now and then a backfill, older than the latest snapshots: it must mark nothing in history.
        const time = new Date(random() < 0.15 ? clock - 120_000 : clock).toISOString();
        return { time, open: close.toFixed(), high: close.toFixed(), low: close.toFixed(), close: close.toFixed(), volume: '100' };
      });
      checkBars(bars);
      record(`market-${symbol}`, [{ type: 'MarketBarsRecorded', data: { symbol, timeframe: '1m', bars, receivedAt: now() } }]);
    }],
  ];

  const total = actions.reduce((sum, [weight]) => sum + weight, 0);
  openAccount();
  openAccount();
  for (let step = 0; step < steps; step++) {
    let roll = random() * total;
    const [, act] = actions.find(([weight]) => (roll -= weight) < 0) ?? actions[0];
    act();
  }
  return log;
}

const specOf = (state: OrderState): OrderSpec => {
  if (state.status === 'none') throw new Error('no order');
  return state.order;
};

/** Cuts a log into batches of 1 to `max` events, as the runner's batches fall under a varying load. */
export function inRandomBatches<T>(events: readonly T[], seed: number, max = 40): T[][] {
  const random = seeded(seed);
  const batches: T[][] = [];
  for (let i = 0; i < events.length; ) {
    const size = 1 + Math.floor(random() * max);
    batches.push(events.slice(i, i + size));
    i += size;
  }
  return batches;
}

type Queryable = Pick<EntityManager, 'query'>;

/** Every row of each table, ordered by its primary key, as the driver returns them (numeric as exact text). */
export async function rowsOf(db: Queryable, tables: readonly string[]): Promise<Record<string, unknown[]>> {
  const rows: Record<string, unknown[]> = {};
  for (const table of tables) {
    const key: { column: string }[] = await db.query(
      `select a.attname as column from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
        where i.indrelid = $1::regclass and i.indisprimary order by array_position(i.indkey::int2[], a.attnum)`,
      [table],
    );
    if (!key.length) throw new Error(`${table} has no primary key to order its rows by`);
    rows[table] = await db.query(`select * from ${table} order by ${key.map((k) => `"${k.column}"`).join(', ')}`);
  }
  return rows;
}

type Write = (events: RecordedEvent[], tx: EntityManager) => Promise<void>;

/** Applies each batch in a transaction of its own, as the runner does; resolves to the number of statements sent. */
export async function applyInTransactions(db: DataSource, batches: RecordedEvent[][], write: Write): Promise<number> {
  let statements = 0;
  const query = (tx: EntityManager) => (sql: string, parameters?: unknown[]) => {
    statements++;
    return tx.query(sql, parameters);
  };
  for (const events of batches) await db.transaction((tx) => write(events, Object.assign(Object.create(tx) as EntityManager, { query: query(tx) })));
  return statements;
}

/** Empties the tables (sequences too, so seq columns compare), applies the batches and reads every row back. */
export async function replay(db: DataSource, tables: readonly string[], batches: RecordedEvent[][], write: Write) {
  await db.query(`truncate ${tables.join(', ')} restart identity`);
  const statements = await applyInTransactions(db, batches, write);
  return { rows: await rowsOf(db, tables), statements };
}

/**
 * One seeded session of the events `projection` handles, replayed twice into its tables in the same
 * random batches: event by event through `apply`, then through `applyBatch`.
 */
export async function replayBothWays(db: DataSource, projection: Projection, seed: number) {
  const handles = projection.handles as readonly string[];
  const log = tradingSession(seed, 500).filter((e) => handles.includes(e.type));
  const batches = inRandomBatches(log, seed);
  const oneByOne = await replay(db, projection.tables, batches, async (events, tx) => {
    for (const event of events) await projection.apply(event, tx);
  });
  const batched = await replay(db, projection.tables, batches, (events, tx) => projection.applyBatch!(events, tx));
  return { types: new Set(log.map((e) => e.type)), handles: new Set(handles), oneByOne, batched };
}
