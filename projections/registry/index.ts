import { asSaga, type CommandHandler, type EventStore, type Projection } from '#eventstore';
import { LatestPriceRow, MarketBarRow, marketBarsProjection } from '#projections/market-bars';
import { StreamCatalogueEntry, streamCatalogueProjection } from '#projections/stream-catalogue';
import { AccountReservationRow, AccountRow, accountsProjection } from '#projections/accounts';
import { ApiKeyRow, apiKeysProjection } from '#projections/api-keys';
import { SignalRow, signalsProjection } from '#projections/signals';
import { autoTradingSagas, WebhookRow, webhooksProjection, WebhookSignalRow } from '#projections/webhooks';
import { FillRow, OrderRow, ordersProjection } from '#projections/orders';
import { PortfolioAccountRow, PortfolioMarkRow, PortfolioPositionRow, portfolioProjection, PortfolioReservationRow, PortfolioSnapshotRow } from '#projections/portfolio';
import { brokerSettingsFrom, tradingSagas } from '#projections/sagas';
import type { AppConfig } from '#libs/platform';

/** What sagas need to act: they issue commands through the handler, never write read models. */
export interface SagaDeps {
  store: EventStore;
  commands: CommandHandler;
  clock: () => Date;
  /** Paper broker settings (PAPER_*); library defaults when absent. */
  config?: AppConfig;
}

/** Every read model the worker runs; each has its own checkpoint. */
export const runnableProjections: Projection[] = [streamCatalogueProjection, marketBarsProjection, accountsProjection, apiKeysProjection, signalsProjection, ordersProjection, portfolioProjection,
  webhooksProjection];

/** Sagas run on the same durable runner as projections (checkpointed, once per cluster). */
export function createSagas(deps: SagaDeps): Projection[] {
  return [...tradingSagas({ ...deps, broker: brokerSettingsFrom(deps.config) }),
    ...autoTradingSagas({ ...deps, broker: brokerSettingsFrom(deps.config) })].map(asSaga);
}

export const readModelEntities = [StreamCatalogueEntry, MarketBarRow, LatestPriceRow, AccountRow, AccountReservationRow, ApiKeyRow, SignalRow, OrderRow, FillRow,
  PortfolioAccountRow, PortfolioReservationRow, PortfolioPositionRow, PortfolioMarkRow, PortfolioSnapshotRow,
  WebhookRow, WebhookSignalRow];

export function projectionNamed(name: string): Projection | undefined {
  return runnableProjections.find((p) => p.name === name);
}
