import { createHash } from 'node:crypto';
import { Lanes, oneQueryAtATime, type Projection, type RecordedEvent } from '#eventstore';
import type { SignalData } from '#libs/signals';
import type { OrderIntent } from '#libs/webhooks';
import { Histogram, register } from 'prom-client';
import type { EntityManager } from 'typeorm';
import type { PlacementDeps } from '#projections/sagas';
import { latencyMsOf, recordOutcomes } from './signal-outcomes.js';
import { actOnRun, runsOf, type Actionable } from './signal-orders.js';

export { clientOrderIdFor, orderIdFor } from './signal-orders.js';

/** Receipt (intake's receivedAt) to the saga acting on the signal: queueing plus order placement. */
export const signalProcessingSeconds =
  (register.getSingleMetric('webhook_signal_processing_seconds') as Histogram | undefined) ??
  new Histogram({
    name: 'webhook_signal_processing_seconds',
    help: 'Time from webhook receipt to the auto-trading saga handling the signal',
    labelNames: ['outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  });

export const AUTO_TRADING_SAGA = 'auto-trading';
/**
 * Signals are split over this many saga lanes by account, each its own runner and checkpoint.
 * Accounts are served concurrently inside a batch too, but a batch ends with its busiest account's
 * last run of signals: lanes keep one account's burst from holding up three quarters of the others.
 * (1, 4 and 8 lanes drained a 3,000-signal backlog of 50 accounts alike within measurement noise.)
 * Changing the number re-deals accounts to lanes that start from the beginning of the log: safe
 * (every step is idempotent by the derived order id) but slow, and the old lanes' checkpoint rows
 * stay behind for the intake backlog to count from, so drain the backlog and remove them first.
 */
export const AUTO_TRADING_PARTITIONS = 4;
/**
 * Signals of different accounts are acted on at once, and one account's fixed-quantity signals
 * as one run (see runsOf), so a batch lasts a few round trips, not its size, and holds no transaction id until its closing insert:
 * a large batch means fewer commits and more accounts' appends combined into each store write.
 * A crash redoes at most this many signals, idempotently.
 */
export const AUTO_TRADING_BATCH = 500;
/**
 * Batches a lane acts on at once. A signal then waits for the batch ahead only to be delivered, not
 * for it to finish acting. A batch at work holds no connection (actOnBatch: it takes one only for
 * its closing write), so depth costs no pool. bench:webhooks at 1,000 alerts/s, receipt→processing
 * p50 / p95 / p99: two deep 21 / 55 / 104 ms, four deep 21 / 40 / 71 ms (one 60 s run each).
 */
export const AUTO_TRADING_PIPELINE = 4;

// Every lane asks for every signal's account: hashed once per account, not lanes x signals times.
const accountHashes = new Map<string, number>();

export function partitionOf(accountId: string, partitions: number): number {
  let hash = accountHashes.get(accountId);
  if (hash === undefined) {
    hash = createHash('sha1').update(accountId).digest().readUInt32BE(0);
    if (accountHashes.size >= 100_000) accountHashes.clear();
    accountHashes.set(accountId, hash);
  }
  return hash % partitions;
}

export const autoTradingSagas = (deps: PlacementDeps, partitions = AUTO_TRADING_PARTITIONS): Projection[] =>
  Array.from({ length: partitions }, (_, partition) => autoTradingSaga(deps, partition, partitions));

const actionable = (event: RecordedEvent, partition: number, partitions: number): Actionable[] => {
  const signal = event.data as SignalData;
  const intent = signal.metadata.order as unknown as OrderIntent | undefined;
  const webhookId = signal.metadata.webhookId;
  if (signal.source !== 'webhook' || !intent || typeof webhookId !== 'string') return [];
  return partitionOf(signal.accountId, partitions) === partition ? [{ signal, intent, webhookId }] : [];
};

/**
 * Webhook signals become orders through the order placement path of POST /orders (placeOrder:
 * the account's risk check, then the order written with its verdict). One account's signals
 * reserve its buying power in log order ("processed in order"), different accounts' at once; a
 * run of fixed-quantity signals is placed at once, so their orders may land in the log in any
 * order among themselves. Redelivery (a crash before the checkpoint) finds the order, or the cash
 * reserved for it, under the derived id, so it never orders twice nor re-sizes from a position
 * the first run changed.
 */
export function autoTradingSaga(deps: PlacementDeps, partition = 0, partitions = 1): Projection {
  // Outlive the batch: the next batch starts acting while this one finishes (pipelined), and an
  // account's signals wait for its earlier ones whichever batch they came in.
  const accounts = new Lanes();
  /** Orders first, outside any transaction; the outcome rows are the batch's closing write. */
  async function actOnBatch(events: RecordedEvent[], db: EntityManager): Promise<(tx: EntityManager) => Promise<void>> {
    const signals = events.flatMap((event) => actionable(event, partition, partitions));
    if (!signals.length) return async () => undefined;
    const reads = oneQueryAtATime(db);
    const handled = (await accounts.run(runsOf(signals), (run) => run[0].signal.accountId, (run) => actOnRun(deps, reads, run))).flat();
    return async (tx) => {
      await recordOutcomes(tx, handled);
      for (const h of handled) signalProcessingSeconds.observe({ outcome: h.result.outcome }, latencyMsOf(h) / 1000);
    };
  }
  const applyBatch = async (events: RecordedEvent[], tx: EntityManager) => (await actOnBatch(events, tx))(tx);
  return {
    name: partitions === 1 ? AUTO_TRADING_SAGA : `${AUTO_TRADING_SAGA}-${partition}-of-${partitions}`,
    handles: ['SignalRecorded'],
    tables: [],
    batchSize: AUTO_TRADING_BATCH,
    pipelined: AUTO_TRADING_PIPELINE,
    actOnBatch,
    applyBatch,
    apply: (event, tx) => applyBatch([event], tx),
  };
}
