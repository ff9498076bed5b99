export * from './postgres-event-store.js';
export * from './prepared-client.js';
