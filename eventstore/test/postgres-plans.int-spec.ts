import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '../src/index.js';
import { readAllQuery, settledAfterQuery } from '../src/postgres/queries.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { runMigrations } from '../../test/support/migrate.js';

interface PlanNode { 'Node Type': string; 'Sort Key'?: string[]; 'Index Name'?: string; Plans?: PlanNode[] }
const nodes = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)];

/**
 * The log order must be xid order, read through the (tx_id, global_position) index. Ordering by
 * the text form of tx_id sorted '100000' before '99999' (wrong order, then duplicates once xids
 * gain a digit) and cost a full sort per batch; no small test reaches such xids, so the plan is checked.
 */
describe('PostgreSQL event store query plans', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  beforeAll(async () => {
    db = await createTestDatabase('es_plans');
    await runMigrations(db.url);
    store = new PostgresEventStore({ connectionString: db.url });
    for (let s = 0; s < 10; s++) {
      await store.appendToStream(`plan${s % 2}-${s}`, Array.from({ length: 1000 }, (_, i) => ({ id: randomUUID(), type: i % 10 ? 'A' : 'B', data: { i } })));
    }
    await store.pool.query('analyze events');
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  const plan = async (query: { text: string; values?: unknown[] }) => {
    const { rows } = await store.pool.query(`explain (format json) ${query.text}`, query.values);
    return nodes(rows[0]['QUERY PLAN'][0].Plan as PlanNode);
  };

  it.each([
    ['subscription batch from the start', settledAfterQuery(null, 1000, undefined)],
    ['subscription batch after a position', settledAfterQuery({ commit: 1n, prepare: 10n }, 1000, undefined)],
    ['subscription batch for one category', settledAfterQuery(null, 1000, { streamCategories: ['plan1'] })],
    ['read-all forwards', readAllQuery({ maxCount: 100 })],
    ['read-all backwards', readAllQuery({ direction: 'backwards', maxCount: 100 })],
  ])('%s comes out of an index in order, without sorting', async (_, query) => {
    const planned = await plan(query);
    expect(planned.filter((n) => n['Node Type'] === 'Sort')).toEqual([]);
    expect(planned.some((n) => /^events_(log|category)_order$/.test(n['Index Name'] ?? ''))).toBe(true);
  });
});
