export * from './postgres-event-store.js';
