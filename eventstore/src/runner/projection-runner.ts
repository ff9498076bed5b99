import type { DataSource } from 'typeorm';
import { LeaderLocks } from './leader-locks.js';
import type { EventStore, Position, RecordedEvent, Subscription } from '../types.js';
import { inBatches } from './batches.js';
import { inCheckpointedTransaction, readCheckpoint, type Expected } from './checkpoints.js';
import { eventFilterOf, type Projection, type ProjectionState, type ProjectionStatus } from './projection.js';

export interface RunnerOptions {
  batchSize?: number;
  /** Events per transaction once live (see currentBatchSize); at most batchSize. */
  liveBatchSize?: number;
  /**
   * A live projection (not a saga) that has caught up starts its next batch at most this often (ms),
   * so events gather into fewer, longer batches. Each batch is a transaction that holds a transaction
   * id, which every subscription in the cluster waits for (the settled-log rule), and costs its
   * bookkeeping round trips: at 1,000 orders/s five projections each ran ~65 batches/s of ~15
   * events and one of them nearly always held an id. 20 ms (default), on this 2-core machine: PostgreSQL
   * at 1,000 orders/s 71–72 → 59–63 % of a core; webhook receipt-to-processing p99 243–290 → 171–241 ms
   * over runs; read models at most 20 ms later. 0: off.
   * Sagas are not spaced unless they say so (Projection.spaced): their batches are usually the product's
   * own processing.
   */
  liveBatchIntervalMs?: number;
  /** How often a standby instance retries the cluster-wide lock, and the back-off after a failure. */
  retryMs?: number;
  clock?: () => number;
  log?: (line: string) => void;
  locks?: LeaderLocks;
}

/** Thrown inside a batch when the checkpoint moved under us (a rebuild, or a second runner). */
class CheckpointMoved extends Error {}

/**
 * Runs one projection from the durable subscription: once per cluster (PostgreSQL advisory lock),
 * rows and checkpoint in one transaction, restart from the stored checkpoint after any failure.
 */
export class ProjectionRunner {
  private state: ProjectionState = 'stopped';
  private position: Position | null = null;
  private eventsApplied = 0;
  private lastEventAt: number | null = null;
  private lastError?: string;
  private subscription?: Subscription;
  private stopping = false;
  private loop?: Promise<void>;
  private readonly batchSize: number;
  private readonly liveBatchSize: number;
  private readonly liveBatchIntervalMs: number;
  private readonly locks: LeaderLocks;
  private readonly retryMs: number;
  private readonly clock: () => number;
  private readonly log: (line: string) => void;
  private caughtUpWaiters: Array<() => void> = [];

  constructor(
    readonly projection: Projection,
    private readonly store: EventStore,
    private readonly db: DataSource,
    options: RunnerOptions = {},
  ) {
    if ((projection.pipelined ?? 1) > 1 && !(projection.lockCheckpointLast && projection.actOnBatch)) {
      throw new Error(`${projection.name}: only a saga that acts outside its transaction (actOnBatch) can be pipelined`);
    }
    this.locks = options.locks ?? LeaderLocks.forDataSource(db);
    // Small enough that a batch's transaction (which every subscription in the cluster waits for) stays short.
    this.batchSize = options.batchSize ?? 100;
    this.liveBatchSize = options.liveBatchSize ?? 10;
    this.liveBatchIntervalMs = projection.lockCheckpointLast && !projection.spaced ? 0 : options.liveBatchIntervalMs ?? 20;
    this.retryMs = options.retryMs ?? 1000;
    this.clock = options.clock ?? Date.now;
    this.log = options.log ?? (() => undefined);
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.state = 'standby';
    this.loop = this.runUntilStopped();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.subscription?.unsubscribe();
    await this.loop;
    this.loop = undefined;
    await this.releaseLock();
    this.state = 'stopped';
  }

  status(): ProjectionStatus {
    const lagMs = this.state === 'live' || this.lastEventAt === null ? 0 : Math.max(0, this.clock() - this.lastEventAt);
    return {
      name: this.projection.name,
      state: this.state,
      position: this.position && { commit: this.position.commit.toString(), prepare: this.position.prepare.toString() },
      eventsApplied: this.eventsApplied,
      lagMs,
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  /** Resolves once the projection has applied everything that existed when it (re)subscribed. */
  waitUntilLive(): Promise<void> {
    if (this.state === 'live') return Promise.resolve();
    return new Promise((resolve) => this.caughtUpWaiters.push(resolve));
  }

  private async runUntilStopped(): Promise<void> {
    while (!this.stopping) {
      try {
        if (!(await this.acquireLock())) {
          await this.pause();
          continue;
        }
        await this.consume();
      } catch (error) {
        if (this.stopping) break;
        if (!(error instanceof CheckpointMoved)) {
          this.state = 'failing';
          this.lastError = error instanceof Error ? error.message : String(error);
          this.log(`projection ${this.projection.name} failed, restarting from its checkpoint: ${this.lastError}`);
          await this.pause();
        }
      } finally {
        await this.subscription?.unsubscribe().catch(() => undefined);
        this.subscription = undefined;
      }
    }
  }

  private async consume(): Promise<void> {
    // Creates the row if missing, here and only here: batches then only ever update it.
    const checkpoint = await readCheckpoint(this.db.manager, this.projection.name);
    this.position = checkpoint.position;
    this.eventsApplied = checkpoint.eventsApplied;
    this.state = 'catching_up';
    this.subscription = this.store.subscribeToAll({
      fromPosition: checkpoint.position ?? 'start',
      filter: eventFilterOf(this.projection),
    });
    const watchdog = this.watchForRebuild(checkpoint.generation);
    // Batches acting at once (one unless pipelined): the oldest is awaited before another is pulled,
    // and each waits for the one before it to commit before it commits.
    const inFlight: Promise<void>[] = [];
    let previous: Promise<void> = Promise.resolve();
    let after = checkpoint.position;
    try {
      for await (const batch of inBatches(this.subscription[Symbol.asyncIterator](), () => this.currentBatchSize())) {
        if (this.stopping) break;
        const startedAt = performance.now();
        const events = batch.flatMap((m) => (m.kind === 'event' ? [m.event] : []));
        const current = this.applyBatch(events, batch.some((m) => m.kind === 'caughtUp'), { generation: checkpoint.generation, position: after }, previous);
        after = events.at(-1)?.position ?? after;
        previous = current;
        // A failure noticed while waiting for the next events ends the subscription, so it surfaces now.
        current.catch(() => this.subscription?.unsubscribe().catch(() => undefined));
        inFlight.push(current);
        if (inFlight.length >= (this.projection.pipelined ?? 1)) await inFlight.shift();
        await this.gather(batch.length, startedAt);
      }
      await previous;
    } finally {
      clearInterval(watchdog);
      // Nothing of this subscription's batches may still act when the runner restarts from the checkpoint
      // (a batch that failed early may settle before the ones ahead of it).
      await Promise.allSettled([...inFlight, previous]);
    }
  }

  /**
   * A batch's transaction holds a transaction id from its first write to its commit, and until then
   * every subscriber in the cluster waits (the settled-log rule). Live, a projection that writes row
   * by row therefore applies short batches; catching up (start, rebuild) it takes long ones for
   * throughput. A projection that sets its own size (one statement per batch, sagas) keeps it.
   */
  private currentBatchSize(): number {
    return this.projection.batchSize ?? (this.state === 'live' ? Math.min(this.liveBatchSize, this.batchSize) : this.batchSize);
  }

  /** Live, lets events gather until `liveBatchIntervalMs` after the last batch started (see the option); after a full batch, none. */
  private gather(lastSize: number, lastStartedAt: number): Promise<void> {
    const wait = lastStartedAt + this.liveBatchIntervalMs - performance.now();
    const caughtUp = this.state === 'live' && lastSize < this.currentBatchSize();
    return caughtUp && wait > 0 && !this.stopping ? new Promise((resolve) => setTimeout(resolve, wait)) : Promise.resolve();
  }

  /** An idle runner still notices a rebuild: it ends its subscription and restarts from the reset checkpoint. */
  private watchForRebuild(generation: number): NodeJS.Timeout {
    const timer = setInterval(() => {
      readCheckpoint(this.db.manager, this.projection.name).then(
        (stored) => {
          if (stored.generation !== generation) void this.subscription?.unsubscribe();
        },
        () => undefined,
      );
    }, this.retryMs);
    timer.unref();
    return timer;
  }

  /** `expected`: where the batch before this one leaves the checkpoint; it commits first (`previous`). */
  private async applyBatch(events: RecordedEvent[], caughtUp: boolean, expected: Expected, previous: Promise<void>): Promise<void> {
    if (events.length) await this.applyEvents(events, expected, previous);
    else await previous;
    if (caughtUp) this.markLive();
  }

  private async applyEvents(events: RecordedEvent[], expected: Expected, previous: Promise<void>): Promise<void> {
    const last = events[events.length - 1];
    const { name } = this.projection;
    // The checkpoint row lock serialises us with a rebuild or a stray second runner; if either
    // moved the checkpoint, our subscription is stale, the batch rolls back and we restart.
    // Sagas check, lock and write only in the closing statement (see lockCheckpointLast); one that
    // acts outside the transaction takes its connection only once the batch ahead has committed.
    const write = this.projection.actOnBatch ? await this.projection.actOnBatch(events, this.db.manager) : undefined;
    if (write) await previous;
    const applied = await inCheckpointedTransaction(this.db, name, expected, { position: last.position, applied: events.length }, !this.projection.lockCheckpointLast, async (tx) => {
      if (write) await write(tx);
      else if (this.projection.applyBatch) await this.projection.applyBatch(events, tx);
      else for (const event of events) await this.projection.apply(event, tx);
      await previous;
    });
    if (!applied) throw new CheckpointMoved();
    this.position = last.position;
    this.eventsApplied += events.length;
    this.lastEventAt = last.createdAt.getTime();
    this.lastError = undefined;
    if (this.state === 'failing') this.state = 'catching_up';
  }

  private markLive(): void {
    this.state = 'live';
    const waiters = this.caughtUpWaiters;
    this.caughtUpWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private async acquireLock(): Promise<boolean> {
    if (await this.locks.tryLock(this.projection.name, this)) return true;
    this.state = 'standby';
    return false;
  }

  private async releaseLock(): Promise<void> {
    await this.locks.unlock(this.projection.name, this);
  }

  private pause(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, this.retryMs).unref());
  }
}
