import type { QueryConfig } from 'pg';
import type { EventFilter, Position, ReadAllOptions, ReadStreamOptions } from '../types.js';
import { EVENT_COLUMNS, filterConditions, positionParams, SETTLED } from './rows.js';

/**
 * Qualified on purpose: a bare `tx_id` in ORDER BY names the output column `tx_id::text`, which
 * sorts xids as strings ('99999' after '100000') and cannot use the (tx_id, global_position) index.
 */
const LOG_ORDER = (order: 'asc' | 'desc') => `events.tx_id ${order}, events.global_position ${order}`;
const where = (conditions: string[]) => (conditions.length ? `where ${conditions.join(' and ')}` : '');
const limitOf = (maxCount: number | undefined) => (maxCount === undefined ? '' : `limit ${Math.max(0, Math.floor(maxCount))}`);

export function readStreamQuery(streamId: string, options: ReadStreamOptions): QueryConfig {
  const backwards = options.direction === 'backwards';
  const values: unknown[] = [streamId];
  const conditions = ['stream_id = $1'];
  const from = options.fromRevision ?? (backwards ? 'end' : 'start');
  if (typeof from === 'bigint') {
    values.push(from.toString());
    conditions.push(`revision ${backwards ? '<=' : '>='} $2`);
  } else if ((from === 'end') !== backwards) {
    // forwards from the end, or backwards from the start: nothing to read
    conditions.push('false');
  }
  return {
    text: `select ${EVENT_COLUMNS} from events ${where(conditions)} order by revision ${backwards ? 'desc' : 'asc'} ${limitOf(options.maxCount)}`,
    values,
  };
}

/** The stream's row joined to its events: no row, no stream; a row of nulls, a stream with none in range. */
export function readStreamWithExistenceQuery(streamId: string, options: ReadStreamOptions): QueryConfig {
  const events = readStreamQuery(streamId, options);
  return {
    text: `select e.*, s.revision as stream_revision from event_streams s left join lateral (${events.text}) e on true where s.stream_id = $1
           order by e.revision ${options.direction === 'backwards' ? 'desc' : 'asc'}`,
    values: events.values,
  };
}

/** Read-all pages through settled rows only, so paging forwards never steps over a late commit. */
export function readAllQuery(options: ReadAllOptions): QueryConfig {
  const backwards = options.direction === 'backwards';
  const values: unknown[] = [];
  const conditions = [SETTLED];
  const from = options.fromPosition ?? (backwards ? 'end' : 'start');
  if (typeof from === 'object') {
    values.push(...positionParams(from));
    conditions.push(`(tx_id, global_position) ${backwards ? '<=' : '>='} ($1::text::xid8, $2::bigint)`);
  } else if ((from === 'end') !== backwards) {
    conditions.push('false');
  }
  conditions.push(...filterConditions(options.filter, values));
  const order = backwards ? 'desc' : 'asc';
  return {
    text: `select ${EVENT_COLUMNS} from events ${where(conditions)} order by ${LOG_ORDER(order)} ${limitOf(options.maxCount)}`,
    values,
  };
}

/** Rows after `cursor` (in log order) that pass the filter, plus `extra` conditions; parameters numbered from $1. */
function after(cursor: Position | null, filter: EventFilter | undefined, extra: string[] = []): { conditions: string[]; values: unknown[] } {
  const values: unknown[] = cursor ? positionParams(cursor) : [];
  const conditions = [...extra, ...(cursor ? ['(tx_id, global_position) > ($1::text::xid8, $2::bigint)'] : [])];
  conditions.push(...filterConditions(filter, values));
  return { conditions, values };
}

/**
 * Whether a row meets the conditions, as a first-row lookup in log order rather than EXISTS: the
 * planner drops an EXISTS subquery's ORDER BY and, expecting many matches, reads the table
 * sequentially (a generic plan always does).
 */
const anyRow = (conditions: string[]) => `(select 1 from events ${where(conditions)} order by ${LOG_ORDER('asc')} limit 1) is not null`;

export function settledAfterQuery(cursor: Position | null, limit: number, filter: EventFilter | undefined): QueryConfig {
  const { conditions, values } = after(cursor, filter, [SETTLED]);
  return { text: `select ${EVENT_COLUMNS} from events ${where(conditions)} order by ${LOG_ORDER('asc')} limit ${limit}`, values };
}

/**
 * Whether any committed event lies after the cursor, settled or not. Asked after a short read:
 * if the answer is yes, the read missed it only because an older transaction was still open (or it
 * settled in between, which a check of "unsettled" alone would miss), so the subscription looks
 * again soon instead of sleeping until the next append or poll.
 */
export function eventsAfterQuery(cursor: Position | null, filter: EventFilter | undefined): QueryConfig {
  const { conditions, values } = after(cursor, filter);
  return { text: `select ${anyRow(conditions)} as pending`, values };
}

/**
 * The shared tail's refresh in one round trip: the next settled page after the head, then one
 * marker row (stream_id null) saying whether committed events after the head are still unsettled.
 * When the page is short those are exactly the events an older open transaction holds back.
 */
export function tailPageQuery(head: Position | null, limit: number): QueryConfig {
  const settled = after(head, undefined, [SETTLED]);
  const unsettled = after(head, undefined, [`not ${SETTLED}`]); // the same parameters: the head's
  return {
    text: `(select ${EVENT_COLUMNS}, null::boolean as unsettled_after from events ${where(settled.conditions)} order by ${LOG_ORDER('asc')} limit ${limit})
           union all
           select null, null, null, null, null, null, null, null, null, ${anyRow(unsettled.conditions)}`,
    values: settled.values,
  };
}

export function streamAfterQuery(streamId: string, cursor: bigint | null, limit: number): QueryConfig {
  return {
    text: `select ${EVENT_COLUMNS} from events where stream_id = $1 and revision > $2 order by revision limit ${limit}`,
    values: [streamId, (cursor ?? -1n).toString()],
  };
}
