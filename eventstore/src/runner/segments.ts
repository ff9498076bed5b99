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
