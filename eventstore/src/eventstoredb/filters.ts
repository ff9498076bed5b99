import { eventTypeFilter, excludeSystemEvents, streamNameFilter, type Filter, type FilterBase } from '@eventstore/db-client';
import { matcherOf } from '../event-filter.js';
import type { EventFilter } from '../types.js';
import { isSystemEvent } from './mapping.js';

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The server applies one filter per subscription, so it gets the most selective one we can express:
 * categories as stream-name prefixes, else exact event types, else "no system events".
 * `eventMatches` re-checks everything client-side (type filter when categories won, and the
 * `$` streams an event-type filter lets through).
 */
export function toServerFilter(filter: EventFilter | undefined, checkpointReached?: FilterBase['checkpointReached']): Filter {
  const categories = filter?.streamCategories ?? [];
  const types = filter?.eventTypes ?? [];
  if (categories.length > 0) return streamNameFilter({ prefixes: categories.map((c) => c + '-'), checkpointReached });
  if (types.length > 0) return eventTypeFilter({ regex: `^(?:${types.map(escapeRegex).join('|')})$`, checkpointReached });
  return excludeSystemEvents({ checkpointReached });
}

export function eventMatches(filter: EventFilter | undefined, event: { streamId: string; type: string }): boolean {
  return !isSystemEvent(event) && matcherOf(filter)(event);
}
