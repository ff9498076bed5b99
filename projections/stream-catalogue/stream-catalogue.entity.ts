import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One row per stream: what auditors list first. `digest` chains a SHA-256 over every event of the
 * stream in revision order, so a later rebuild or an independent replay that arrives at another
 * digest proves the stream was altered.
 */
@Entity({ name: 'stream_catalogue' })
export class StreamCatalogueEntry {
  @PrimaryColumn({ name: 'stream_id', type: 'text' })
  streamId: string;

  @Column({ type: 'text' })
  category: string;

  @Column({ name: 'event_count', type: 'bigint' })
  eventCount: string;

  @Column({ name: 'last_revision', type: 'bigint' })
  lastRevision: string;

  @Column({ name: 'last_event_type', type: 'text' })
  lastEventType: string;

  @Column({ name: 'first_event_at', type: 'timestamptz' })
  firstEventAt: Date;

  @Column({ name: 'last_event_at', type: 'timestamptz' })
  lastEventAt: Date;

  @Column({ type: 'text' })
  digest: string;
}
