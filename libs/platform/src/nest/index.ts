export * from './tokens.js';
export * from './projections.service.js';
export * from './redis.provider.js';
