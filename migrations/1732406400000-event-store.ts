import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The PostgreSQL event store. `tx_id` records the appending transaction so subscribers can read
 * only what every older transaction has settled (`tx_id < pg_snapshot_xmin(...)`): ordering by
 * global position alone skips events whose transaction commits late.
 * `event_streams` holds each stream's current revision: appends lock that one row, so concurrent
 * appenders to a stream serialise and the loser sees the winner's revision.
 */
export class EventStore1732406400000 implements MigrationInterface {
  name = 'EventStore1732406400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      create table event_streams (
        stream_id text primary key,
        revision bigint not null
      )`);
    await db.query(`
      create table events (
        global_position bigint generated always as identity primary key,
        tx_id xid8 not null default pg_current_xact_id(),
        stream_id text not null,
        stream_category text not null,
        revision bigint not null,
        event_id uuid not null,
        type text not null,
        data jsonb not null,
        metadata jsonb not null default '{}',
        created_at timestamptz not null default now(),
        unique (stream_id, revision),
        unique (stream_id, event_id)
      )`);
    await db.query('create index events_log_order on events (tx_id, global_position)');
    await db.query('create index events_category_order on events (stream_category, tx_id, global_position)');
    await db.query('create index events_type_order on events (type, tx_id, global_position)');
    await db.query(APPEND_FUNCTION);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('drop function es_append');
    await db.query('drop table events');
    await db.query('drop table event_streams');
  }
}

/**
 * One round trip per append. Returns (outcome, revision, tx_id, global_position): 'appended';
 * 'duplicate' when these exact ids already sit in this order at consecutive revisions (the same
 * append replayed: idempotent success with the original result); or 'wrong_expected_revision'
 * with the stream's actual revision (-1: no stream). Ids that only partly match an earlier append
 * are refused as a wrong expected revision rather than half-written.
 * The stream row is locked before anything is checked, so concurrent appenders to one stream
 * serialise and each sees the previous one's outcome.
 */
const APPEND_FUNCTION = `
create or replace function es_append(p_stream text, p_category text, p_expected text,
                                     p_ids uuid[], p_types text[], p_data text[], p_meta text[])
returns table (outcome text, revision bigint, tx_id xid8, global_position bigint)
language plpgsql as $$
declare
  v_current bigint;
  v_count int := cardinality(p_ids);
  v_first bigint;
  v_matched int;
begin
  select s.revision into v_current from event_streams s where s.stream_id = p_stream for update;
  if not found then
    if p_expected = 'stream_exists' or p_expected ~ '^[0-9]+$' then
      return query select 'wrong_expected_revision'::text, -1::bigint, null::xid8, null::bigint;
      return;
    end if;
    -- A concurrent creator makes this wait for its commit; then we lock its row like any appender.
    insert into event_streams as s (stream_id, revision) values (p_stream, -1) on conflict do nothing;
    select s.revision into v_current from event_streams s where s.stream_id = p_stream for update;
  end if;

  if v_current >= 0 then
    select e.revision into v_first from events e where e.stream_id = p_stream and e.event_id = p_ids[1];
    if found then
      select count(*) into v_matched
        from unnest(p_ids) with ordinality as t(id, ord)
        join events e on e.stream_id = p_stream and e.revision = v_first + t.ord - 1 and e.event_id = t.id;
      if v_matched = v_count then
        return query select 'duplicate'::text, e.revision, e.tx_id, e.global_position
          from events e where e.stream_id = p_stream and e.revision = v_first + v_count - 1;
      else
        return query select 'wrong_expected_revision'::text, v_current, null::xid8, null::bigint;
      end if;
      return;
    end if;
  end if;

  if (p_expected = 'no_stream' and v_current <> -1)
     or (p_expected = 'stream_exists' and v_current = -1)
     or (p_expected ~ '^[0-9]+$' and v_current <> p_expected::bigint) then
    return query select 'wrong_expected_revision'::text, v_current, null::xid8, null::bigint;
    return;
  end if;

  update event_streams s set revision = v_current + v_count where s.stream_id = p_stream;
  return query
    with inserted as (
      insert into events (stream_id, stream_category, revision, event_id, type, data, metadata)
      select p_stream, p_category, v_current + t.ord, t.id, t.type, t.data::jsonb, t.meta::jsonb
        from unnest(p_ids, p_types, p_data, p_meta) with ordinality as t(id, type, data, meta, ord)
       order by t.ord
      returning events.global_position
    )
    select 'appended'::text, v_current + v_count, pg_current_xact_id(), max(i.global_position) from inserted i;
end $$`;

