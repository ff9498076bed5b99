export * from './stream-catalogue.entity.js';
export * from './stream-catalogue.projection.js';
