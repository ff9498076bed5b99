export * from './signal.entity.js';
export * from './signals.projection.js';
