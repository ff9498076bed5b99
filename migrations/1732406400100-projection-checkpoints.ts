import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row per projection or saga: where it stands in the log. `generation` increases on every
 * rebuild so a runner holding an older subscription knows to restart.
 */
export class ProjectionCheckpoints1732406400100 implements MigrationInterface {
  name = 'ProjectionCheckpoints1732406400100';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      create table projection_checkpoints (
        name text primary key,
        commit_position numeric(20, 0),
        prepare_position bigint,
        generation integer not null default 0,
        events_applied bigint not null default 0,
        updated_at timestamptz not null default now(),
        check ((commit_position is null) = (prepare_position is null))
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('drop table projection_checkpoints');
  }
}
