export * from './database-server.js';
export * from './config.js';
