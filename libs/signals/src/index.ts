export * from './signal.events.js';
export * from './errors.js';
export { signalDecider } from './signal.decider.js';
