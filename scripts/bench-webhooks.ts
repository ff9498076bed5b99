import 'reflect-metadata';
import pg from 'pg';
import { load, percentile, type Outcome } from './bench-api-load.js';
import { ADMIN_TOKEN, call, freshDatabase, startProduct, type Product } from './bench-api-support.js';
import { cpuMeter, sequentialScans, type CpuSpent } from './bench-webhooks-cpu.js';

/**
 * `npm run bench:webhooks`: the built product as a real process on a fresh database. Phases:
 * 5 s at 1,000 alerts/s right after start-up (cold start, its own row), then 60 s more on the same connections, 10 s at 5,000 alerts/s (each a unique TradingView-shaped alert spread
 * over 50 accounts' webhooks), then a 10,000-alert backlog taken in by an api-only process and
 * drained by a fresh worker. Prints ack and receipt-to-processing percentiles, 429s and lost
 * alerts (acknowledged 202 but never processed), and the CPU the product and its PostgreSQL
 * backends spent per alert. Env: DATABASE_URL (a server; a database is created and dropped),
 * BENCH_SCALE (e.g. 0.1 for a quick run), BENCH_WORKER=1 (an api process and a worker process instead of one), BENCH_APP_ARGS (node flags for the product process,
 * e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
 */
const SCALE = Number(process.env.BENCH_SCALE ?? '1');
const WEBHOOKS = 50;

/** The product: one process, or (BENCH_WORKER=1) an api process serving HTTP beside a worker running projections and sagas. */
interface Running { url: string; pids: number[]; exited: Promise<unknown>; processes: Product[] }

const SPLIT = process.env.BENCH_WORKER === '1';

/** `api`: intake alone, nothing processed (the backlog phase's intake). */
async function start(databaseUrl: string, role: 'all' | 'api'): Promise<Running> {
  const startAs = (ROLE: string) => startProduct(databaseUrl, { env: { ROLE } });
  const processes = role === 'all' && SPLIT ? await Promise.all([startAs('api'), startAs('worker')]) : [await startAs(role)];
  return { url: processes[0].url, pids: processes.map((p) => p.child.pid!), exited: Promise.race(processes.map((p) => p.exited)), processes };
}

const stop = (app: Running) => Promise.all(app.processes.map((p) => p.stop()));

interface PhaseResult { label: string; answered: number; accepted: number; tooMany: number; other: number; ack: Float64Array; prefix: string }
interface PhaseSpec { label: string; rate: number; seconds: number; prefix: string; first?: { label: string; seconds: number; prefix: string } }

/**
 * Open loop at `rate` (the API bench's loader: 100 staggered autocannon instances, every connection
 * one alert a second), so a slow answer delays no later alert, as with TradingView, which sends
 * each alert on its own. Each alert unique, spread over the webhooks; ack percentiles over the 202s.
 * `first`: seconds at the same rate on the same connections right before, reported as their own
 * phase (the cold start): a thousand producers connecting at once is a start-up burst, which used
 * to open the measured phase too.
 */
async function phase(app: Running, hooks: { url: string; secret: string }[], run: PhaseSpec): Promise<PhaseResult[]> {
  let counter = 0;
  const target = { url: app.url, pid: app.pids[0], pgPids: async () => [] };
  const scaled = (seconds: number) => Math.max(1, Math.round(seconds * SCALE));
  const outcome = await load(target, run.label, { rate: run.rate, seconds: scaled(run.seconds), warmupSeconds: run.first ? scaled(run.first.seconds) : 0 }, (opensAt) => {
    const i = counter++;
    const hook = hooks[i % hooks.length];
    const prefix = run.first && performance.now() < opensAt ? run.first.prefix : run.prefix;
    const text = JSON.stringify({ secret: hook.secret, ticker: 'BENCH', action: 'buy', price: '100', strategy: 'bench', alertId: `${prefix}-${i}`, time: new Date().toISOString() });
    return { method: 'POST', path: hook.url, text };
  });
  const result = (o: Omit<Outcome, 'cpu'>, label: string, prefix: string): PhaseResult => {
    const accepted = o.statuses[202] ?? 0;
    const tooMany = o.statuses[429] ?? 0;
    return { label, answered: o.completed, accepted, tooMany, other: o.completed - accepted - tooMany + o.errors, ack: o.okLatencies, prefix };
  };
  const measured = result(outcome, run.label, run.prefix);
  return run.first && outcome.warmup ? [result(outcome.warmup, run.first.label, run.first.prefix), measured] : [measured];
}

/**
 * Until every recorded signal has been processed. Recorded is counted again on each look:
 * requests still in flight when autocannon stopped counting append after the phase ends.
 */
async function waitForProcessed(db: pg.Client, app: Running, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void app.exited.then(() => (exited = true));
  for (;;) {
    const { rows: [counts] } = await db.query(
      `select (select count(*) from webhook_signals)::int as processed, (select count(*) from events where type = 'SignalRecorded')::int as recorded`,
    );
    if (counts.processed >= counts.recorded || Date.now() > deadline) return counts.processed;
    if (exited) throw new Error(`the product exited (${JSON.stringify(await app.exited)}) with ${counts.recorded - counts.processed} signals unprocessed`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * lost = acknowledged but never recorded (202s beyond the recorded signals) plus recorded but never
 * processed. Requests still unanswered when the loader gives up (10 s past the phase) can be
 * recorded without their 202 being counted: recorded may exceed the 202 column.
 */
async function report(db: pg.Client, r: PhaseResult): Promise<string> {
  const { rows } = await db.query(
    `select count(*)::int as recorded, count(w.signal_id)::int as processed,
            percentile_disc(array[0.5, 0.95, 0.99]) within group (order by w.latency_ms) as p
       from events e left join webhook_signals w on e.stream_id = 'signal-' || w.signal_id
      where e.type = 'SignalRecorded' and e.data->'metadata'->>'alertId' like $1`,
    [`${r.prefix}-%`],
  );
  const [p50, p95, p99] = rows[0].p ?? [NaN, NaN, NaN];
  const lost = Math.max(0, r.accepted - rows[0].recorded) + (rows[0].recorded - rows[0].processed);
  const ms = (n: number) => n.toFixed(1);
  const ack = (p: number) => ms(percentile(r.ack, p));
  return `| ${r.label} | ${r.answered} | ${r.accepted} | ${rows[0].recorded} | ${r.tooMany} | ${r.other} | ${ack(50)} / ${ack(95)} / ${ack(99)} | ${p50} / ${p95} / ${p99} | ${lost} |`;
}

const cpuLine = (label: string, cpu: CpuSpent, alerts: number) =>
  `CPU ${label}: ${alerts} alerts processed; product ${((cpu.app * 1000) / alerts).toFixed(2)} ms/alert, PostgreSQL ${((cpu.pg * 1000) / alerts).toFixed(2)} ms/alert`;

async function main(): Promise<void> {
  const database = await freshDatabase('bench_webhooks');
  const databaseUrl = database.url;
  const db = new pg.Client({ connectionString: databaseUrl });
  let app = await start(databaseUrl, 'all');
  try {
    await db.connect();
    const hooks: { url: string; secret: string }[] = [];
    for (let i = 0; i < WEBHOOKS; i++) {
      const { apiKey } = await call(app.url, 'POST', '/accounts', { name: `bench ${i}`, openingDeposit: '1000000000' }, ADMIN_TOKEN);
      hooks.push(await call(app.url, 'POST', '/webhooks', { strategy: 'bench', sizing: { mode: 'fixed_quantity', quantity: '1' }, orderDefaults: { type: 'limit' } }, apiKey));
    }
    const lines = ['| phase | answered | 202 | recorded | 429 | other | ack p50 / p95 / p99 (ms) | receipt→processing p50 / p95 / p99 (ms) | lost |', '|---|---|---|---|---|---|---|---|---|'];
    const cpuLines: string[] = [];
    // The first seconds after start-up run cold code (V8 has not compiled intake and the sagas yet) while a thousand producers
    // connect: their tail is a start-up cost, reported on its own row, and the 60 s go on from there on the same connections.
    const phases: PhaseSpec[] = [
      { label: '1,000/s for 60 s', rate: 1000, seconds: 60, prefix: 'p1', first: { label: 'cold start: the first 5 s at 1,000/s', seconds: 5, prefix: 'p0' } },
      { label: '5,000/s for 10 s', rate: 5000, seconds: 10, prefix: 'p2' },
    ];
    for (const run of phases) {
      const processedBefore = (await db.query('select count(*)::int as n from webhook_signals')).rows[0].n;
      const spent = await cpuMeter(app.pids, db);
      const results = await phase(app, hooks, run);
      const drainStarted = Date.now();
      const processed = await waitForProcessed(db, app, 600_000);
      const label = results.map((r) => r.label).join(' + ');
      console.log(`${label}: processed everything ${((Date.now() - drainStarted) / 1000).toFixed(1)} s after the load ended`);
      cpuLines.push(cpuLine(label, await spent(), processed - processedBefore));
      for (const result of results) lines.push(await report(db, result));
    }

    // Backlog drain: an api-only process takes in 10,000 alerts, a fresh full process drains them.
    await stop(app);
    app = await start(databaseUrl, 'api');
    const before = (await db.query('select count(*)::int as n from webhook_signals')).rows[0].n;
    const [intake] = await phase(app, hooks, { label: 'backlog intake', rate: 2000, seconds: 5, prefix: 'p3' }); // 10,000 alerts (× BENCH_SCALE)
    await stop(app);
    const drainStart = Date.now();
    app = await start(databaseUrl, 'all');
    const listeningMs = Date.now() - drainStart;
    const drainSpent = await cpuMeter(app.pids, db);
    const backlogged = (await db.query(`select count(*)::int as n from events where type = 'SignalRecorded'`)).rows[0].n - before;
    const processed = await waitForProcessed(db, app, 600_000);
    const drainMs = Date.now() - drainStart;
    cpuLines.push(cpuLine('backlog drain (worker start-up included)', await drainSpent(), processed - before));
    lines.push(await report(db, intake));
    const { rows: [span] } = await db.query(
      `select extract(epoch from max(w.processed_at) - min(w.processed_at))::float as seconds, extract(epoch from min(w.processed_at))::float * 1000 as first
         from webhook_signals w
         join events e on e.stream_id = 'signal-' || w.signal_id where e.data->'metadata'->>'alertId' like 'p3-%'`,
    );
    console.log(lines.join('\n'));
    console.log(cpuLines.join('\n'));
    console.log(`sequential scans: ${await sequentialScans(db)}`);
    console.log(`drain: ${processed - before} of ${backlogged} backlogged alerts processed ${(drainMs / 1000).toFixed(1)} s after the worker process was started (${Math.round(((processed - before) * 1000) / drainMs)}/s incl. start-up; listening after ${(listeningMs / 1000).toFixed(1)} s, first processed after ${((span.first - drainStart) / 1000).toFixed(1)} s); first to last processed ${span.seconds.toFixed(1)} s (${Math.round((processed - before) / span.seconds)}/s)`);
  } finally {
    await stop(app).catch(() => undefined);
    await db.end().catch(() => undefined);
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : String(error));
  process.exit(1);
});
