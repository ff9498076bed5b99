export * from './api-key.entity.js';
export * from './api-keys.projection.js';
