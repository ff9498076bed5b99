import type { DataSource } from 'typeorm';
import { comparePositions, type EventStore } from '../types.js';
import { readCheckpoint, resetProjection } from './checkpoints.js';
import { eventFilterOf, type Projection } from './projection.js';
import { ProjectionRunner } from './projection-runner.js';

export interface RebuildResult {
  name: string;
  eventsApplied: number;
  millis: number;
}

/**
 * Empties the projection's tables, rewinds its checkpoint and replays the log up to the head as
 * it stood at the reset. Works whether or not a live instance runs the projection: if one holds
 * the cluster lock it notices the new generation and replays; otherwise the local runner does.
 */
export async function rebuildProjection(
  projection: Projection,
  store: EventStore,
  db: DataSource,
  options: { pollMs?: number; clock?: () => number } = {},
): Promise<RebuildResult> {
  const clock = options.clock ?? Date.now;
  const started = clock();
  await db.transaction((tx) => resetProjection(tx, projection.name, projection.tables));
  const [head] = await store.readAll({
    direction: 'backwards',
    fromPosition: 'end',
    maxCount: 1,
    filter: eventFilterOf(projection),
  });
  const runner = new ProjectionRunner(projection, store, db, { retryMs: 100 });
  runner.start();
  try {
    for (;;) {
      const checkpoint = await readCheckpoint(db.manager, projection.name);
      const reached = !head || (checkpoint.position !== null && comparePositions(checkpoint.position, head.position) >= 0);
      if (reached) return { name: projection.name, eventsApplied: checkpoint.eventsApplied, millis: clock() - started };
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 50));
    }
  } finally {
    await runner.stop();
  }
}
