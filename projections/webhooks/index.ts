export * from './webhook.entity.js';
export * from './webhooks.projection.js';
export * from './auto-trading.saga.js';
