export * from './database-server.js';
