export * from './projection.js';
export * from './projection-runner.js';
export * from './rebuild.js';
export { inLanes, Lanes, oneQueryAtATime } from './lanes.js';
export { readCheckpoint } from './checkpoints.js';
export { LeaderLocks } from './leader-locks.js';
export { applyInSegments, runsOf, segmentsOf, withSetBasedRuns, type Segment, type SegmentRule, type SegmentWriter } from './segments.js';
