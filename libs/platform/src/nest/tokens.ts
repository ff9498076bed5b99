export const EVENT_STORE = Symbol('EVENT_STORE');
export const REDIS = Symbol('REDIS');
export const APP_CONFIG = Symbol('APP_CONFIG');
export const PROJECTIONS = Symbol('PROJECTIONS');
/** `() => Date`: the one source of "now" for controllers and sagas, replaceable in tests. */
export const CLOCK = Symbol('CLOCK');
