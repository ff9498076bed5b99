import pg from 'pg';
import { MAX_APPEND_BYTES, MAX_APPEND_EVENTS } from '../errors.js';
import { APPEND_MANY_SQL, APPEND_SQL, appendManyParams, appendParams, type AppendOutcome, type PreparedAppend } from './appends.js';

export interface CombinerOptions {
  /** Combined transactions in flight at once; appends arriving meanwhile wait and go out together. */
  maxInFlight: number;
  /** At most this many appends in one combined transaction. */
  maxAppends: number;
}

interface Queued {
  append: PreparedAppend;
  resolve(outcome: AppendOutcome): void;
  reject(error: unknown): void;
}

/**
 * Write-combining (group commit in the adapter). An append made while the pipe is free goes out
 * at once, alone; appends made while it is busy queue up and leave together in one es_append_many
 * call, one transaction, so they share one round trip and one WAL flush. Nothing is acknowledged
 * before that transaction has committed: every caller gets its own outcome from the committed
 * result. Within one batch each append keeps its own expected-revision check (a refused append
 * does not fail the others), and appends to one stream apply in the order they were made.
 */
export class AppendCombiner {
  private readonly queue: Queued[] = [];
  private inFlight = 0;
  /** A batch just finished: its callers' next appends are on their way, so the queue waits a turn for them. */
  private gathering = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: CombinerOptions,
    private readonly onAppended: () => void,
  ) {}

  append(append: PreparedAppend): Promise<AppendOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ append, resolve, reject });
      if (!this.gathering) this.drain();
    });
  }

  private drain(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length) {
      const batch = this.take();
      this.inFlight++;
      void this.send(batch).then((appended) => {
        this.inFlight--;
        // The callers just answered usually append again at once (a writer loop, a command
        // handler's next command): one event-loop turn lets them join the next batch instead of
        // the first of them going out alone and the rest waiting behind it.
        if (!this.gathering) {
          this.gathering = true;
          setImmediate(() => {
            this.gathering = false;
            this.drain();
          });
        }
        // After the next batch is scheduled, so its statement leaves before the NOTIFY's.
        if (appended) this.onAppended();
      });
    }
  }

  /** The oldest queued appends that fit one transaction; a single append always fits. */
  private take(): Queued[] {
    let events = 0;
    let bytes = 0;
    let n = 0;
    for (const { append } of this.queue) {
      events += append.ids.length;
      bytes += append.bytes;
      if (n > 0 && (n === this.options.maxAppends || events > MAX_APPEND_EVENTS || bytes > MAX_APPEND_BYTES)) break;
      n++;
    }
    return this.queue.splice(0, n);
  }

  /** Settles every caller's promise, never rejects; true when something was appended. */
  private async send(batch: Queued[]): Promise<boolean> {
    let rows: AppendOutcome[];
    try {
      rows = await this.run(batch.map((q) => q.append));
    } catch (error) {
      // The statement failed and its transaction rolled back, nothing written: one append's
      // fault (say, data jsonb refuses) must not fail the others, so each goes again alone, in
      // order. A lost connection is not retried here: whether it committed is unknown.
      if (batch.length > 1 && rolledBack(error)) {
        let appended = false;
        for (const q of batch) appended = (await this.send([q])) || appended;
        return appended;
      }
      for (const q of batch) q.reject(error);
      return false;
    }
    batch.forEach((q, i) => q.resolve(rows[i]!));
    return rows.some((r) => r.outcome === 'appended');
  }

  private async run(appends: PreparedAppend[]): Promise<AppendOutcome[]> {
    const { rows } = appends.length === 1
      ? await this.pool.query<AppendOutcome>({ name: 'es_append', text: APPEND_SQL, values: appendParams(appends[0]!) })
      : await this.pool.query<AppendOutcome>({ name: 'es_append_many', text: APPEND_MANY_SQL, values: appendManyParams(appends) });
    if (rows.length !== appends.length) throw new Error(`es_append_many returned ${rows.length} outcomes for ${appends.length} appends`);
    return rows;
  }
}

/** An error the server raised for the statement (not FATAL, not a dropped connection): its transaction rolled back. */
function rolledBack(error: unknown): boolean {
  return error instanceof pg.DatabaseError && error.severity === 'ERROR';
}
