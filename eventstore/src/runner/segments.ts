import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '../types.js';
import type { Projection } from './projection.js';

/**
 * A batch cut for set-based writes: runs of hot events, each written with a few statements, and
 * the events between them, applied one by one. Cutting at every event outside a run keeps log
 * order exactly, so a run's statements only ever reorder events inside the run; the projection
 * writes a run so that the result is the one applying its events in turn would leave.
 */
export type Segment<E> = { kind: 'hot'; events: E[] } | { kind: 'single'; event: E };

export interface SegmentRule<E> {
  /** Events the projection writes set-based. */
  isHot(event: E): boolean;
  /**
   * A hot event whose set-based write would not commute with the run so far (it would reorder
   * against an earlier event of the run) starts a new run instead.
   */
  startsNewRun?(event: E, run: readonly E[]): boolean;
}

/** Runs of the events of these types, in any mix. */
export const runsOf = <E extends { type: string }>(...types: string[]): SegmentRule<E> => ({ isHot: (event) => types.includes(event.type) });

export function segmentsOf<E>(events: readonly E[], rule: SegmentRule<E>): Segment<E>[] {
  const segments: Segment<E>[] = [];
  let run: E[] | null = null;
  for (const event of events) {
    if (!rule.isHot(event)) {
      run = null;
      segments.push({ kind: 'single', event });
      continue;
    }
    if (!run || rule.startsNewRun?.(event, run)) {
      run = [];
      segments.push({ kind: 'hot', events: run });
    }
    run.push(event);
  }
  return segments;
}

export interface SegmentWriter<E> {
  hot(events: E[]): Promise<void>;
  single(event: E): Promise<void>;
}

/** Writes the segments in log order, each after the previous one's statements have run. */
export async function applyInSegments<E>(events: readonly E[], rule: SegmentRule<E>, write: SegmentWriter<E>): Promise<void> {
  for (const segment of segmentsOf(events, rule)) {
    await (segment.kind === 'hot' ? write.hot(segment.events) : write.single(segment.event));
  }
}

/**
 * The projection with an applyBatch that writes each run `rule` picks out with `writeRun` and every
 * other event with the projection's own `apply`, in log order. Its batches are long (100 events)
 * live too: a run is a statement or two whatever its length, so a long batch no longer holds its
 * transaction id (which every subscriber waits for) any longer than a short one.
 */
export function withSetBasedRuns(
  projection: Projection, rule: SegmentRule<RecordedEvent>, writeRun: (tx: EntityManager, run: RecordedEvent[]) => Promise<void>,
): Projection {
  return {
    ...projection,
    batchSize: 100,
    applyBatch: (events, tx) => applyInSegments(events, rule, { hot: (run) => writeRun(tx, run), single: (event) => projection.apply(event, tx) }),
  };
}
