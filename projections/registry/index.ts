import type { CommandHandler, EventStore, Projection } from '#eventstore';
import { LatestPriceRow, MarketBarRow, marketBarsProjection } from '#projections/market-bars';
import { StreamCatalogueEntry, streamCatalogueProjection } from '#projections/stream-catalogue';
import { AccountReservationRow, AccountRow, accountsProjection } from '#projections/accounts';
import { ApiKeyRow, apiKeysProjection } from '#projections/api-keys';
import { SignalRow, signalsProjection } from '#projections/signals';

/** What sagas need to act: they issue commands through the handler, never write read models. */
export interface SagaDeps {
  store: EventStore;
  commands: CommandHandler;
  clock: () => Date;
}

/** Every read model the worker runs; each has its own checkpoint. */
export const runnableProjections: Projection[] = [streamCatalogueProjection, marketBarsProjection, accountsProjection, apiKeysProjection, signalsProjection];

/** Sagas run on the same durable runner as projections (checkpointed, once per cluster). */
export function createSagas(_deps: SagaDeps): Projection[] {
  return [];
}

export const readModelEntities = [StreamCatalogueEntry, MarketBarRow, LatestPriceRow, AccountRow, AccountReservationRow, ApiKeyRow, SignalRow];

export function projectionNamed(name: string): Projection | undefined {
  return runnableProjections.find((p) => p.name === name);
}
