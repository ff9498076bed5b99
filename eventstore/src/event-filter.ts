import { streamCategory, type EventFilter } from './types.js';

/** The in-memory form of a subscription filter: categories and types both must match when given. */
export function matcherOf(filter: EventFilter | undefined): (event: { streamId: string; type: string }) => boolean {
  const categories = filter?.streamCategories?.length ? new Set(filter.streamCategories) : null;
  const types = filter?.eventTypes?.length ? new Set(filter.eventTypes) : null;
  if (!categories && !types) return () => true;
  return (event) => (!categories || categories.has(streamCategory(event.streamId))) && (!types || types.has(event.type));
}
