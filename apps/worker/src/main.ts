/**
 * The production worker: projections, sagas and optimization trials. It is the api's composition
 * root started with ROLE=worker (HTTP then serves only health and metrics), so the two never
 * drift apart in wiring.
 */
process.env.ROLE ??= 'worker';
await import('../../api/src/main.js');
