export * from './api-key.entity.js';
export * from './api-keys.projection.js';
export * from './api-key-format.js';
