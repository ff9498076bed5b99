import { hash } from 'node:crypto';
import type { Projection, RecordedEvent } from '#eventstore';
import { streamCategory } from '#eventstore';
import type { EntityManager } from 'typeorm';

/** What the digest covers: identity, order and content of each event. */
export const digestPayload = (event: RecordedEvent): string =>
  `${event.id}|${event.type}|${event.revision}|${JSON.stringify(event.data)}`;

/** One link of a stream's chain: SHA-256 (hex) of the previous digest followed by the event's payload, as UTF-8 (crypto.hash encodes strings so). */
export const nextDigest = (previous: string, event: RecordedEvent): string => hash('sha256', previous + digestPayload(event), 'hex');

interface StreamEntry {
  streamId: string;
  count: number;
  last: RecordedEvent;
  first: RecordedEvent;
  digest: string;
}

/**
 * A batch's events folded per stream: the chain continues from the stored digest ('' for a new
 * stream, so the first link is the payload's own hash). The catalogue has one writer, the runner
 * holding its checkpoint, so the digests read here cannot change before the batch commits.
 */
async function entriesOf(events: RecordedEvent[], tx: EntityManager): Promise<StreamEntry[]> {
  const streamIds = [...new Set(events.map((e) => e.streamId))];
  // One key lookup per stream (a scalar subquery), whatever the planner thinks of a young table's size:
  // `stream_id = any($1)` was planned as a sequential scan while the catalogue was small and growing.
  const stored: { stream_id: string; digest: string | null }[] = await tx.query(
    'select k.id as stream_id, (select c.digest from stream_catalogue c where c.stream_id = k.id) as digest from unnest($1::text[]) k(id)',
    [streamIds],
  );
  const entries = new Map<string, StreamEntry>(streamIds.map((id) => [id, { streamId: id, count: 0, last: events[0], first: events[0], digest: '' }]));
  for (const row of stored) if (row.digest !== null) entries.get(row.stream_id)!.digest = row.digest;
  for (const event of events) {
    const entry = entries.get(event.streamId)!;
    if (entry.count === 0) entry.first = event;
    entry.count++;
    entry.last = event;
    entry.digest = nextDigest(entry.digest, event);
  }
  return [...entries.values()];
}

/** Auditors' view of the log: per stream, its size, span and a digest chain over every event. Two statements per batch. */
export const streamCatalogueProjection: Projection = {
  name: 'stream-catalogue',
  handles: 'all',
  tables: ['stream_catalogue'],
  batchSize: 500,
  async applyBatch(events: RecordedEvent[], tx: EntityManager): Promise<void> {
    const entries = await entriesOf(events, tx);
    await tx.query(
      `insert into stream_catalogue as c
         (stream_id, category, event_count, last_revision, last_event_type, first_event_at, last_event_at, digest)
       select * from unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::text[])
       on conflict (stream_id) do update set
         event_count = c.event_count + excluded.event_count,
         last_revision = excluded.last_revision,
         last_event_type = excluded.last_event_type,
         last_event_at = excluded.last_event_at,
         digest = excluded.digest`,
      [
        entries.map((e) => e.streamId), entries.map((e) => streamCategory(e.streamId)), entries.map((e) => e.count),
        entries.map((e) => e.last.revision.toString()), entries.map((e) => e.last.type), entries.map((e) => e.first.createdAt),
        entries.map((e) => e.last.createdAt), entries.map((e) => e.digest),
      ],
    );
  },
  apply(event: RecordedEvent, tx: EntityManager): Promise<void> {
    return this.applyBatch!([event], tx);
  },
};
