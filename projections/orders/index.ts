export * from './order.entity.js';
export * from './orders.projection.js';
