export * from './account.entity.js';
export * from './accounts.projection.js';
export * from './open-account.js';
