import type { Projection, RecordedEvent } from '#eventstore';
import { streamCategory } from '#eventstore';
import type { EntityManager } from 'typeorm';

/** What the digest covers: identity, order and content of each event. */
export const digestPayload = (event: RecordedEvent): string =>
  `${event.id}|${event.type}|${event.revision}|${JSON.stringify(event.data)}`;

export const streamCatalogueProjection: Projection = {
  name: 'stream-catalogue',
  handles: 'all',
  tables: ['stream_catalogue'],
  async apply(event: RecordedEvent, tx: EntityManager): Promise<void> {
    await tx.query(
      `insert into stream_catalogue as c
         (stream_id, category, event_count, last_revision, last_event_type, first_event_at, last_event_at, digest)
       values ($1, $2, 1, $3, $4, $5, $5, encode(sha256(convert_to($6, 'UTF8')), 'hex'))
       on conflict (stream_id) do update set
         event_count = c.event_count + 1,
         last_revision = excluded.last_revision,
         last_event_type = excluded.last_event_type,
         last_event_at = excluded.last_event_at,
         digest = encode(sha256(convert_to(c.digest || $6, 'UTF8')), 'hex')`,
      [event.streamId, streamCategory(event.streamId), event.revision.toString(), event.type, event.createdAt, digestPayload(event)],
    );
  },
};
