import type { MigrationInterface, QueryRunner } from 'typeorm';

export class StreamCatalogue1732406400200 implements MigrationInterface {
  name = 'StreamCatalogue1732406400200';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      create table stream_catalogue (
        stream_id text primary key,
        category text not null,
        event_count bigint not null,
        last_revision bigint not null,
        last_event_type text not null,
        first_event_at timestamptz not null,
        last_event_at timestamptz not null,
        digest text not null
      )`);
    await db.query('create index stream_catalogue_category on stream_catalogue (category, stream_id)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('drop table stream_catalogue');
  }
}
