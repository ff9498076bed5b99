/** Which way an order or a fill goes. */
export type Side = 'buy' | 'sell';
