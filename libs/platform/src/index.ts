export * from './database-server.js';
export * from './config.js';
export * from './migrate.js';
export * from './prepare-database.js';
export * from './nest/index.js';
export * from './refreshed-cache.js';
