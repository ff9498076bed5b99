export * from './market-bar.entity.js';
export * from './market-bars.projection.js';
