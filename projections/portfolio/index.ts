export * from './portfolio.entity.js';
export * from './portfolio.projection.js';
