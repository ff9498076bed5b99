export * from './decimal-input.js';
export * from './market-data.events.js';
export * from './bars.js';
