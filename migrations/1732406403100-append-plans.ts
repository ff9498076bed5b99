import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APPEND_MANY_FUNCTION } from './1732406400000-event-store.js';

/**
 * Re-creates es_append_many with index-only plans (see the function's comment): databases made
 * before this change still have the version whose cached plans scanned event_streams and events.
 */
export class AppendPlans1732406403100 implements MigrationInterface {
  name = 'AppendPlans1732406403100';

  async up(db: QueryRunner): Promise<void> {
    await db.query(APPEND_MANY_FUNCTION);
  }

  /** The earlier definition differs only in its plans; nothing to undo. */
  async down(): Promise<void> {}
}
