import { readFileSync } from 'node:fs';
import os from 'node:os';
// @ts-expect-error -- autocannon ships no type declarations
import autocannon from 'autocannon';

/** One request: `body` goes as JSON; `text` as text/plain (webhook producers); `token` as a bearer key. */
export interface Shot { method: 'GET' | 'POST'; path: string; token?: string; body?: unknown; text?: string }

export interface Outcome {
  label: string;
  seconds: number;
  /** Requests written; those still unanswered when the run's time was up are neither completed nor errors. */
  sent: number;
  completed: number;
  ok: number;
  statuses: Record<string, number>;
  /** Connection errors and timeouts (autocannon reports a timeout as an error). */
  errors: number;
  /** Sorted response times of every completed request, 2xx or not (ms). */
  latencies: Float64Array;
  /** Sorted response times of the 2xx answers alone (ms). */
  okLatencies: Float64Array;
  cpu: CpuShares;
  /** The warm-up's requests (sent before the measured window opened), counted alike; no CPU shares. */
  warmup?: Omit<Outcome, 'cpu' | 'warmup'>;
}

export interface CpuShares {
  /** Percent of one core used by the product process, its PostgreSQL backends, this load generator; the whole machine in % of all cores. */
  app: number;
  pg: number;
  bench: number;
  machine: number;
  load: number;
}

function procTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function machineTicks(): { busy: number; total: number } {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
  const idle = cpu[3] + cpu[4];
  const total = cpu.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** utime + stime in clock ticks (100/s on Linux) of these processes; one that has exited counts 0. */
export const ticksOf = (pids: number[]) => pids.reduce((sum, pid) => {
  try {
    return sum + procTicks(pid);
  } catch {
    return sum; // a backend that exited meanwhile
  }
}, 0);

/** CPU used between now and the returned function's call, from /proc (Linux; zeros elsewhere). `pgPids`: the product's PostgreSQL backends. */
async function cpuMeter(appPid: number, pgPids: () => Promise<number[]>): Promise<() => Promise<CpuShares>> {
  try {
    const pids = await pgPids();
    const started = { at: process.hrtime.bigint(), app: procTicks(appPid), pg: new Map(pids.map((pid) => [pid, ticksOf([pid])])), self: process.cpuUsage(), machine: machineTicks() };
    return async () => {
      const seconds = Number(process.hrtime.bigint() - started.at) / 1e9;
      const self = process.cpuUsage(started.self);
      const machine = machineTicks();
      const pgNow = await pgPids();
      const pg = pgNow.reduce((sum, pid) => sum + ticksOf([pid]) - (started.pg.get(pid) ?? 0), 0);
      return {
        app: (100 * (procTicks(appPid) - started.app)) / 100 / seconds,
        pg: (100 * pg) / 100 / seconds,
        bench: (100 * (self.user + self.system)) / 1e6 / seconds,
        machine: (100 * (machine.busy - started.machine.busy)) / (machine.total - started.machine.total),
        load: os.loadavg()[0],
      };
    };
  } catch {
    return async () => ({ app: 0, pg: 0, bench: 0, machine: 0, load: os.loadavg()[0] });
  }
}

interface Tally {
  latencies: number[]; okLatencies: number[]; statuses: Record<string, number>; errors: number; sent: number; firstSent: number; lastAnswered: number;
  /** BENCH_TIMELINE=1: [second of sending, latency] per answer, to tell a steady tail from a few stalled seconds. */
  timeline?: [number, number][];
}

const newTally = (): Tally => ({
  latencies: [], okLatencies: [], statuses: {}, errors: 0, sent: 0, firstSent: 0, lastAnswered: 0, ...(process.env.BENCH_TIMELINE === '1' && { timeline: [] }),
});

/** `tallyAt(t)`: the tally of a request sent at `t` (performance.now()): the warm-up's or the measured window's. */
function instance(url: string, options: { connections: number; rate?: number; seconds: number }, next: () => Shot, tallyAt: (sentAt: number) => Tally): Promise<unknown> {
  const setupRequest = (request: Record<string, unknown>) => {
    const shot = next();
    return {
      ...request,
      method: shot.method,
      path: shot.path,
      headers: {
        ...(shot.token === undefined ? {} : { authorization: `Bearer ${shot.token}` }),
        ...(shot.text !== undefined ? { 'content-type': 'text/plain; charset=utf-8' } : shot.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: shot.text ?? (shot.body === undefined ? undefined : JSON.stringify(shot.body)),
    };
  };
  const run = autocannon({
    url,
    connections: options.connections,
    overallRate: options.rate,
    // At a fixed rate each connection sends one request a second, `seconds` in all, and the run ends once
    // every one is answered (or timed out): a time limit alone ends on autocannon's next one-second tick
    // and drops the requests just sent. The duration is then only a cap for a server that fell far behind.
    ...(options.rate ? { maxConnectionRequests: Math.round((options.rate / options.connections) * options.seconds), duration: options.seconds + 10 } : { duration: options.seconds }),
    timeout: 10,
    // Our own samples below are the raw response times; autocannon's correction assumes a 1 ms interval.
    ...(options.rate ? { ignoreCoordinatedOmission: true } : {}),
    // autocannon shares one request object between its clients and builds a client's first request
    // before any is sent: without a request list per client, the first requests would all be the last one built.
    setupClient: (client: { setRequests(requests: unknown[]): void; on(event: 'request', listener: () => void): void }) => {
      client.setRequests([{ setupRequest }]);
      // autocannon's own `sent` adds each client's rate up front; this counts the writes.
      client.on('request', () => {
        const now = performance.now();
        const tally = tallyAt(now);
        if (!tally.sent++) tally.firstSent = now;
      });
    },
    requests: [{ setupRequest }],
  });
  run.on('response', (_client: unknown, status: number, _bytes: number, responseTime: number) => {
    const now = performance.now();
    const tally = tallyAt(now - responseTime);
    tally.latencies.push(responseTime);
    tally.timeline?.push([now - responseTime, responseTime]);
    if (status >= 200 && status < 300) tally.okLatencies.push(responseTime);
    tally.lastAnswered = now;
    tally.statuses[status] = (tally.statuses[status] ?? 0) + 1;
  });
  run.on('reqError', () => tallyAt(performance.now()).errors++);
  return run;
}

export interface Target { url: string; pid: number; pgPids: () => Promise<number[]> }

/**
 * `rate`: a fixed arrival rate. autocannon's overallRate lets each connection send its share of a
 * second as fast as it can from the start of that second, so one instance turns 1,000 req/s into a
 * burst of up to `connections` concurrent requests each second. The load is therefore split over
 * 100 instances started 10 ms apart, each connection sending one request per second: 10 requests
 * arrive every 10 ms, and a slow response delays nothing else (open loop while responses take < 1 s).
 * Without `rate`: closed loop at full speed over `connections` (the peak run).
 * `warmupSeconds`: load before the measured window, on the same connections; the outcome counts only
 * requests sent after it (its CPU shares too), and `warmup` the warm-up's own.
 * `opensAt` (performance.now()) is when the measured window opens, for a `next` that labels its shots by window.
 */
export async function load(
  target: Target, label: string, options: { rate?: number; connections?: number; seconds: number; warmupSeconds?: number }, next: (opensAt: number) => Shot,
): Promise<Outcome> {
  const { url } = target;
  // The warm-up runs on the same connections right before the measured window: opening a thousand
  // connections and a hundred load instances at once costs the load generator most of a core for a
  // second, a burst no steady client population makes, and it used to open every measured window.
  const warmupMs = (options.warmupSeconds ?? 0) * 1000;
  const warmup = newTally();
  const tally = newTally();
  const opensAt = performance.now() + warmupMs;
  const tallyAt = (sentAt: number) => (sentAt < opensAt ? warmup : tally);
  const meter = new Promise<Awaited<ReturnType<typeof cpuMeter>>>((resolve) => setTimeout(() => resolve(cpuMeter(target.pid, target.pgPids)), warmupMs));
  const started = process.hrtime.bigint();
  const seconds = options.seconds + warmupMs / 1000;
  const shot = () => next(opensAt);
  if (options.rate) {
    const slots = Math.min(100, options.rate);
    if (options.rate % slots !== 0) throw new Error(`rate ${options.rate} must be a multiple of ${slots}`);
    const perSlot = options.rate / slots;
    await Promise.all(Array.from({ length: slots }, (_, k) => new Promise((resolve) => setTimeout(resolve, (k * 1000) / slots))
      .then(() => instance(url, { connections: perSlot, rate: perSlot, seconds }, shot, tallyAt))));
  } else {
    await instance(url, { connections: options.connections ?? 32, seconds }, shot, tallyAt);
  }
  const cpu = await (await meter)();
  if (tally.timeline) console.log(`  ${label}, per second sent (n / p50 / p99 ms) from ${new Date(performance.timeOrigin + opensAt).toISOString()}: ${perSecond(tally.timeline, opensAt)}\n  slowest (sent at, ms): ${slowest(tally.timeline)}`);
  return { ...counted(label, tally, started, warmupMs), cpu, ...(warmupMs > 0 && { warmup: counted(`${label} warm-up`, warmup, started, 0) }) };
}

/** The ten slowest answers with the wall-clock time they were sent, to line a stall up with other logs. */
function slowest(timeline: [number, number][]): string {
  return [...timeline].sort(([, a], [, b]) => b - a).slice(0, 10)
    .map(([sentAt, latency]) => `${new Date(performance.timeOrigin + sentAt).toISOString().slice(11, 23)} ${latency.toFixed(0)}`).join(' · ');
}

function perSecond(timeline: [number, number][], from: number): string {
  const seconds = new Map<number, number[]>();
  for (const [sentAt, latency] of timeline) {
    const second = Math.floor((sentAt - from) / 1000);
    const latencies = seconds.get(second);
    if (latencies) latencies.push(latency);
    else seconds.set(second, [latency]);
  }
  return [...seconds].sort(([a], [b]) => a - b).map(([second, latencies]) => {
    const sorted = Float64Array.from(latencies).sort();
    return `${second}: ${sorted.length} / ${percentile(sorted, 50).toFixed(0)} / ${percentile(sorted, 99).toFixed(0)}`;
  }).join(' · ');
}

/** From the first request sent to the last answer: a fixed-rate run that kept up lasts its seconds, one that fell behind longer. */
function counted(label: string, tally: Tally, started: bigint, skippedMs: number): Omit<Outcome, 'cpu' | 'warmup'> {
  const seconds = tally.lastAnswered > tally.firstSent ? (tally.lastAnswered - tally.firstSent) / 1000 : Number(process.hrtime.bigint() - started) / 1e9 - skippedMs / 1000;
  const latencies = Float64Array.from(tally.latencies).sort();
  const okLatencies = Float64Array.from(tally.okLatencies).sort();
  const ok = Object.entries(tally.statuses).filter(([s]) => s.startsWith('2')).reduce((n, [, c]) => n + c, 0);
  return { label, seconds, sent: tally.sent, completed: latencies.length, ok, statuses: tally.statuses, errors: tally.errors, latencies, okLatencies };
}

export const percentile = (sorted: Float64Array, p: number): number =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;

const ms = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '–' : v < 10 ? v.toFixed(2) : v.toFixed(1));

export const TABLE_HEADER = [
  '| run | answered/s | p50 ms | p95 ms | p99 ms | max ms | sent | 2xx | non-2xx | errors | unanswered at the end | app CPU | PG CPU | bench CPU | machine busy | load avg |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
];

export function row(o: Outcome): string {
  const non2xx = Object.entries(o.statuses).filter(([s]) => !s.startsWith('2')).map(([s, c]) => `${c}×${s}`).join(' ') || '0';
  const l = o.latencies;
  return `| ${o.label} | ${Math.round(o.completed / o.seconds).toLocaleString('en-US')} | ${ms(percentile(l, 50))} | ${ms(percentile(l, 95))} | ${ms(percentile(l, 99))} | ${ms(l[l.length - 1])} | ${o.sent} | ${o.ok} | ${non2xx} | ${o.errors} | ${Math.max(0, o.sent - o.completed - o.errors)} | ${o.cpu.app.toFixed(0)}% | ${o.cpu.pg.toFixed(0)}% | ${o.cpu.bench.toFixed(0)}% | ${o.cpu.machine.toFixed(0)}% | ${o.cpu.load.toFixed(1)} |`;
}
