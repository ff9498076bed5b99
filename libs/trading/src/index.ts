export * from './money.js';
export * from './errors.js';
export * from './account.events.js';
export { accountDecider } from './account.decider.js';
export { buyingPower } from './account.rules.js';
export { applyFill, FLAT_POSITION, type FillAccounting } from './position.js';
export * from './order.events.js';
export { orderDecider } from './order.decider.js';
