import type { EventFilter, Metadata, Position, RecordedEvent } from '../types.js';

export interface EventRow {
  global_position: string;
  tx_id: string;
  stream_id: string;
  revision: string;
  event_id: string;
  type: string;
  data: unknown;
  metadata: Metadata;
  created_at: Date;
}

export const EVENT_COLUMNS = 'global_position, tx_id::text as tx_id, stream_id, revision, event_id, type, data, metadata, created_at';

/** Rows a reader may see: every transaction older than the oldest one still running has settled. */
export const SETTLED = 'tx_id < pg_snapshot_xmin(pg_current_snapshot())';

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.type,
    streamId: row.stream_id,
    revision: BigInt(row.revision),
    position: { commit: BigInt(row.tx_id), prepare: BigInt(row.global_position) },
    data: row.data,
    metadata: row.metadata ?? {},
    createdAt: row.created_at,
  };
}

/** Appends the filter's conditions to `where`, numbering parameters after those in `params`. */
export function filterConditions(filter: EventFilter | undefined, params: unknown[]): string[] {
  const conditions: string[] = [];
  if (filter?.streamCategories?.length) {
    conditions.push(oneOf('stream_category', filter.streamCategories, params));
  }
  if (filter?.eventTypes?.length) {
    conditions.push(oneOf('type', filter.eventTypes, params));
  }
  return conditions;
}

/** A single value compares with `=` so the (column, tx_id, global_position) index also gives the order. */
function oneOf(column: string, values: string[], params: unknown[]): string {
  params.push(values.length === 1 ? values[0] : values);
  return values.length === 1 ? `${column} = $${params.length}` : `${column} = any($${params.length}::text[])`;
}

export function positionParams(position: Position): [string, string] {
  return [position.commit.toString(), position.prepare.toString()];
}
