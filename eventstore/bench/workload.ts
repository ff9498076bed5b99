import { payload, type BenchTarget } from './target.js';
import { percentile, sleep, timed } from './stats.js';

const EVENTS_PER_STREAM = 10;

/** `writers` concurrent loops of one-event appends, each to its own streams, for `ms`. */
export async function singleAppends(target: BenchTarget, writers: number, ms: number, label: string): Promise<number> {
  let appended = 0;
  const deadline = performance.now() + ms;
  const { seconds } = await timed(() => Promise.all(Array.from({ length: writers }, async (_, w) => {
    for (let stream = 0; performance.now() < deadline; stream++) {
      let expected: bigint | null = null;
      for (let k = 0; k < EVENTS_PER_STREAM && performance.now() < deadline; k++) {
        expected = await target.append(`${label}-w${w}s${stream}`, [payload(appended)], expected);
        appended++;
      }
    }
  })));
  return appended / seconds;
}

/** One writer appending batches of `size` for `ms`; returns events/s. */
export async function batchedAppends(target: BenchTarget, size: number, ms: number): Promise<{ rate: number; events: number }> {
  let events = 0;
  const deadline = performance.now() + ms;
  const batch = Array.from({ length: size }, (_, i) => payload(i));
  const { seconds } = await timed(async () => {
    for (let stream = 0; performance.now() < deadline; stream++) {
      let expected: bigint | null = null;
      for (let k = 0; k < EVENTS_PER_STREAM && performance.now() < deadline; k++) {
        expected = await target.append(`batch-s${stream}`, batch, expected);
        events += size;
      }
    }
  });
  return { rate: events / seconds, events };
}

/** Tops the log up to `count` more events (untimed set-up for the read and catch-up figures). */
export async function fill(target: BenchTarget, count: number): Promise<void> {
  const batch = Array.from({ length: 1000 }, (_, i) => payload(i));
  let stream = 0;
  await Promise.all([0, 1].map(async () => {
    while (count > 0) {
      const size = Math.min(1000, count);
      count -= size;
      await target.append(`fill-${stream++}`, batch.slice(0, size), null);
    }
  }));
}

/**
 * Rates count what was delivered. A store that pages by a position that concurrent transactions
 * commit out of order skips events: that is reported as `missed`, not hidden.
 */
export async function readAllRate(target: BenchTarget, expected: number): Promise<{ rate: number; missed: number }> {
  const { result, seconds } = await timed(() => target.readAll(1000));
  return { rate: result / seconds, missed: expected - result };
}

export async function catchUpRate(target: BenchTarget, total: number): Promise<{ rate: number; missed: number }> {
  const { result, seconds } = await timed(() => target.catchUp(total));
  return { rate: result / seconds, missed: total - result };
}

/**
 * A live subscriber, and one writer appending at `perSecond` for `ms`; latency runs from just
 * before the append call to the subscriber's receipt (same process, same clock).
 */
export async function deliveryLatency(target: BenchTarget, perSecond: number, ms: number): Promise<{ p50: number; p99: number; samples: number; lost: number }> {
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  const stop = await target.live((p) => {
    const t0 = sentAt.get(p.seq);
    if (t0 !== undefined) latencies.push(performance.now() - t0);
  });
  const interval = 1000 / perSecond;
  const started = performance.now();
  let expected: bigint | null = null;
  let seq = 0;
  for (; performance.now() - started < ms; seq++) {
    const due = started + seq * interval;
    if (due > performance.now()) await sleep(due - performance.now());
    sentAt.set(1_000_000 + seq, performance.now());
    expected = await target.append(`live-${Math.floor(seq / 1000)}`, [payload(1_000_000 + seq)], seq % 1000 === 0 ? null : expected);
  }
  // Let the slowest delivery path (Emmett's 1 s idle back-off) drain.
  for (let waited = 0; latencies.length < seq && waited < 3000; waited += 20) await sleep(20);
  await stop();
  const sorted = [...latencies].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), samples: sorted.length, lost: seq - sorted.length };
}
