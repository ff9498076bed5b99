import type { CommandHandler, Projection } from '#eventstore';
import type { BrokerSettings } from '#libs/trading';
import { orderPlacementSaga } from './order-placement.saga.js';
import { paperBrokerSaga } from './paper-broker.saga.js';
import { settlementSaga } from './settlement.saga.js';

export * from './broker-settings.js';
export * from './account-lane.js';
export { latestPriceFrom, orderPlacementSaga, placeOrder, type LatestPrice, type PlacementDeps } from './order-placement.saga.js';
export { expireDueOrders, paperBrokerSaga } from './paper-broker.saga.js';
export { settlementSaga } from './settlement.saga.js';

/** Placement, the paper venue and settlement: each its own checkpointed lane on the durable subscription. */
export function tradingSagas(deps: { commands: CommandHandler; clock: () => Date; broker: BrokerSettings }): Projection[] {
  return [orderPlacementSaga(deps), paperBrokerSaga(deps), settlementSaga(deps)];
}
