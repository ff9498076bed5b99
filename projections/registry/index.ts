import type { Projection } from '#eventstore';
import { LatestPriceRow, MarketBarRow, marketBarsProjection } from '#projections/market-bars';
import { StreamCatalogueEntry, streamCatalogueProjection } from '#projections/stream-catalogue';

/** Every read model and saga the worker runs, in no particular order: each has its own checkpoint. */
export const runnableProjections: Projection[] = [streamCatalogueProjection, marketBarsProjection];

export const readModelEntities = [StreamCatalogueEntry, MarketBarRow, LatestPriceRow];

export function projectionNamed(name: string): Projection | undefined {
  return runnableProjections.find((p) => p.name === name);
}
