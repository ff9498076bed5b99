export * from './signal.entity.js';
export * from './signals.projection.js';
export * from './signal-queries.js';
