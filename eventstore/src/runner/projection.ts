import type { EntityManager } from 'typeorm';
import type { EventFilter, RecordedEvent } from '../types.js';

/**
 * A read model fed by the durable subscription. `apply` runs inside the transaction that also
 * moves the projection's checkpoint, so each event has exactly-once effect on the rows.
 * Sagas use the same shape: their `apply` issues commands with deterministic ids, so a
 * redelivered event (crash between the commands and the checkpoint) issues nothing twice.
 */
export interface Projection {
  readonly name: string;
  /** Event types to receive, or 'all' for every event (auditing projections). */
  readonly handles: readonly string[] | 'all';
  /** Tables the projection owns; a rebuild empties them before replaying from the start. */
  readonly tables: readonly string[];
  apply(event: RecordedEvent, tx: EntityManager): Promise<void>;
  /**
   * Applies a whole batch in its transaction; when present the runner calls it instead of `apply`
   * per event. For projections that write runs of events set-based (applyInSegments: one statement
   * per run instead of one per event), and for sagas that can act on independent streams at once
   * (their appends then share the store's write-combined transactions) and write their rows in one
   * statement at the end.
   * Same contract as `apply`: a throw rolls back the batch's rows and checkpoint, and the batch
   * is redelivered, so every effect outside the transaction must be idempotent.
   */
  applyBatch?(events: RecordedEvent[], tx: EntityManager): Promise<void>;
  /**
   * A saga that acts outside its batch's transaction: issues the batch's commands (reading through
   * `reads`, the runner's pool) and returns the batch's closing write, which the runner runs in the
   * checkpoint transaction once the batch before has committed. A batch at work then holds neither
   * a pooled connection nor a transaction id, so several can act at once (`pipelined`). The runner
   * prefers it to applyBatch; same contract: a throw redelivers the batch.
   */
  actOnBatch?(events: RecordedEvent[], reads: EntityManager): Promise<(tx: EntityManager) => Promise<void>>;
  /** Events per transaction; defaults to the runner's. Sagas acting event by event use small batches (each event issues commands). */
  readonly batchSize?: number;
  /**
   * Lock the checkpoint row after applying instead of before. For sagas: their commands append
   * over other connections while the batch runs, and a row lock held meanwhile (a transaction id)
   * would keep every subscription in the cluster waiting, their own follow-up events included.
   * Projections keep the default: a rebuild locks the row then truncates the tables, and the
   * same lock order on both sides avoids a deadlock (sagas are never rebuilt).
   */
  readonly lockCheckpointLast?: boolean;
  /**
   * Batches acting at once (default 1). Sagas with actOnBatch only: the runner starts acting on the
   * next batches while this one is still at work, so an event waits for the batches ahead of it
   * only to be delivered, not to finish acting. The saga must keep one key's effects in order
   * across batches (`Lanes`). Batches still write and commit in log order, and a failed one takes
   * the ones after it down with it: all are redelivered.
   */
  readonly pipelined?: number;
  /**
   * A saga whose lag costs nobody a wait worth a transaction: its live batches gather like a
   * projection's (the runner's liveBatchIntervalMs) instead of starting as soon as events arrive.
   * Projections are always spaced; a saga is not unless it says so, since its batches are usually
   * the product's own processing (an alert becoming an order).
   */
  readonly spaced?: boolean;
}

/**
 * Marks a projection as a saga for the runner, keeping the original object as its prototype.
 * Batch size unless the saga sets one: 200 for a saga that acts on a whole batch (applyBatch: it acts
 * on different accounts at once and writes no rows until its closing statement, so a long batch holds
 * up no one; at the old 20 the paper broker fell 2 s behind 1,000 orders/s), 20 for one that acts
 * event by event (each event issues commands, one after another).
 */
export const asSaga = (saga: Projection): Projection =>
  Object.assign(Object.create(saga) as Projection, { batchSize: saga.batchSize ?? (saga.applyBatch ? 200 : 20), lockCheckpointLast: true });

export type ProjectionState = 'standby' | 'catching_up' | 'live' | 'failing' | 'stopped';

export interface ProjectionStatus {
  name: string;
  state: ProjectionState;
  position: { commit: string; prepare: string } | null;
  eventsApplied: number;
  /** Time between the last applied event's append and now, while catching up; 0 when live. */
  lagMs: number;
  lastError?: string;
}

export const eventFilterOf = (projection: Projection): EventFilter | undefined =>
  projection.handles === 'all' ? undefined : { eventTypes: [...projection.handles] };
