export * from './types.js';
export * from './errors.js';
export * from './decider.js';
export * from './runner/index.js';
export * from './eventstoredb/index.js';
