// npm run bench:eventstore — our PostgreSQL event store against Emmett's, same server, same run.
import { randomBytes } from 'node:crypto';
import { messagesTable } from '@event-driven-io/emmett-postgresql';
import pg from 'pg';
import { dropDatabase, ensureDatabase, runMigrations } from '#libs/platform';
import { table, timed, type Row } from './stats.js';
import type { BenchTarget } from './target.js';
import { EMMETT_PULLING, emmettTarget } from './targets/emmett.js';
import { oursTarget } from './targets/ours.js';
import { batchedAppends, catchUpRate, deliveryLatency, fill, readAllRate, singleAppends } from './workload.js';

const SERVER_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PHASE_MS = Number(process.env.BENCH_PHASE_MS ?? 5000);
const TOTAL_EVENTS = Number(process.env.BENCH_TOTAL_EVENTS ?? 200_000);
const LIVE_PER_SECOND = 200;
// Durable commits are the default and the figure that counts. BENCH_SYNCHRONOUS_COMMIT=off runs
// both stores without waiting for the WAL flush, which shows what each spends besides fsync.
const SYNCHRONOUS_COMMIT = process.env.BENCH_SYNCHRONOUS_COMMIT === 'off' ? 'off' : 'on';

function sessionUrl(url: string): string {
  if (SYNCHRONOUS_COMMIT === 'on') return url;
  const u = new URL(url);
  u.searchParams.set('options', '-c synchronous_commit=off');
  return u.toString();
}

const log = (line: string) => console.log(`[bench] ${line}`);

/** Runs one phase on both stores back to back, so both see the same background load. */
async function both<T>(targets: BenchTarget[], label: string, phase: (t: BenchTarget) => Promise<T>, show: (r: T) => string): Promise<T[]> {
  const results: T[] = [];
  for (const target of targets) {
    const result = await phase(target);
    log(`${label.padEnd(28)} ${target.name.padEnd(7)} ${show(result)}`);
    results.push(result);
  }
  return results;
}

async function main(): Promise<void> {
  const suffix = randomBytes(3).toString('hex');
  const names = { ours: `bench_es_ours_${suffix}`, emmett: `bench_es_emmett_${suffix}` };
  const started = performance.now();
  const oursUrl = sessionUrl(await ensureDatabase(SERVER_URL, names.ours));
  const emmettUrl = sessionUrl(await ensureDatabase(SERVER_URL, names.emmett));
  await runMigrations(oursUrl);
  const targets = [oursTarget(oursUrl), await emmettTarget(emmettUrl)];
  log(`server ${new URL(SERVER_URL).host}, databases ${names.ours} / ${names.emmett}, ${PHASE_MS} ms phases, ${TOTAL_EVENTS} events for reads, synchronous_commit ${SYNCHRONOUS_COMMIT}`);
  const perSec = (n: number) => `${Math.round(n).toLocaleString('en-US')}/s`;
  try {
    const single1 = await both(targets, 'single appends, 1 writer', (t) => singleAppends(t, 1, PHASE_MS, 'one'), perSec);
    const single10 = await both(targets, 'single appends, 10 writers', (t) => singleAppends(t, 10, PHASE_MS, 'ten'), perSec);
    const batched = await both(targets, 'batched appends of 100', (t) => batchedAppends(t, 100, PHASE_MS), (r) => perSec(r.rate));
    // Both logs are topped up to the same size before the read phases.
    const tables = [{ url: oursUrl, table: 'events' }, { url: emmettUrl, table: messagesTable.name }];
    const before = await Promise.all(tables.map((t) => countEvents(t.url, t.table)));
    const total = Math.max(TOTAL_EVENTS, ...before);
    await both(targets, 'top-up to read set', async (t) => {
      const had = before[targets.indexOf(t)]!;
      const { seconds } = await timed(() => fill(t, total - had));
      return { had, seconds };
    }, (r) => `${r.had} → ${total} events in ${r.seconds.toFixed(1)} s`);
    const gap = (missed: number) => (missed > 0 ? `SKIPPED ${missed}` : `DELIVERED ${-missed} EXTRA (duplicates)`);
    const withMissed = (r: { rate: number; missed: number }) => `${perSec(r.rate)}${r.missed ? ` (${gap(r.missed)} of ${total} events)` : ''}`;
    const reads = await both(targets, 'read all (pages of 1000)', (t) => readAllRate(t, total), withMissed);
    const catchUps = await both(targets, 'subscription catch-up', (t) => catchUpRate(t, total), withMissed);
    // The fill left both tables due for autovacuum. An ANALYZE holds a transaction id while it
    // samples, and every subscriber of a settled-log store waits for it; run it now, for both,
    // rather than let it land in the middle of the latency phase (a steady 200/s log rarely triggers it).
    await Promise.all(tables.map((t) => analyze(t.url, t.table)));
    const latency = await both(targets, `delivery @ ${LIVE_PER_SECOND}/s`, (t) => deliveryLatency(t, LIVE_PER_SECOND, PHASE_MS),
      (r) => `p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms (${r.samples} samples, ${r.lost} not delivered)`);

    const rows: Row[] = [
      { metric: 'single appends, 1 writer', unit: 'appends/s', ours: single1[0]!, emmett: single1[1]!, higherIsBetter: true, target: 5_000 },
      { metric: 'single appends, 10 writers', unit: 'appends/s', ours: single10[0]!, emmett: single10[1]!, higherIsBetter: true, target: 15_000 },
      { metric: 'batched appends of 100', unit: 'events/s', ours: batched[0]!.rate, emmett: batched[1]!.rate, higherIsBetter: true, target: 100_000 },
      { metric: 'read all', unit: 'events/s', ours: reads[0]!.rate, emmett: reads[1]!.rate, higherIsBetter: true },
      { metric: 'subscription catch-up', unit: 'events/s', ours: catchUps[0]!.rate, emmett: catchUps[1]!.rate, higherIsBetter: true, target: 50_000 },
      { metric: 'delivery latency p50', unit: 'ms', ours: latency[0]!.p50, emmett: latency[1]!.p50, higherIsBetter: false },
      { metric: 'delivery latency p99', unit: 'ms', ours: latency[0]!.p99, emmett: latency[1]!.p99, higherIsBetter: false, target: 10 },
    ];
    console.log(`\n${table(rows)}\n`);
    for (const [label, results] of [['read all', reads], ['catch-up', catchUps]] as const) {
      results.forEach((r, i) => r.missed && log(`${targets[i]!.name} ${label}: ${gap(r.missed)} of ${total} events`));
    }
    log(`Emmett's catch-up and delivery: message batch puller, batchSize ${EMMETT_PULLING.batchSize}, pullingFrequencyInMs ${EMMETT_PULLING.pullingFrequencyInMs}`);
    log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s on ${new Date().toISOString()}`);
  } finally {
    await Promise.all(targets.map((t) => t.close().catch(() => undefined)));
    await dropDatabase(SERVER_URL, names.ours).catch(() => undefined);
    await dropDatabase(SERVER_URL, names.emmett).catch(() => undefined);
  }
}

async function analyze(url: string, table: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`vacuum analyze ${table}`);
  } finally {
    await client.end();
  }
}

async function countEvents(url: string, table: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(`select count(*)::int as n from ${table}`);
    return rows[0].n as number;
  } finally {
    await client.end();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
