import { asSaga, type Projection } from './projection.js';

const saga = (extra: Partial<Projection>): Projection => ({ name: 's', handles: ['E'], tables: [], apply: () => Promise.resolve(), ...extra });

describe('asSaga', () => {
  it('locks its checkpoint last and sizes batches by how the saga acts, unless it sets its own size', () => {
    expect(asSaga(saga({ applyBatch: () => Promise.resolve() }))).toMatchObject({ batchSize: 200, lockCheckpointLast: true, name: 's' });
    expect(asSaga(saga({})).batchSize).toBe(20);
    expect(asSaga(saga({ applyBatch: () => Promise.resolve(), batchSize: 500 })).batchSize).toBe(500);
  });
});
