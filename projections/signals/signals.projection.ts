import type { Projection, RecordedEvent } from '#eventstore';
import type { SignalRecorded } from '#libs/signals';
import type { EntityManager } from 'typeorm';

export const signalsProjection: Projection = {
  name: 'signals',
  handles: ['SignalRecorded'],
  tables: ['signals'],
  async apply(event: RecordedEvent, tx: EntityManager): Promise<void> {
    const s = (event as RecordedEvent<'SignalRecorded', SignalRecorded['data']>).data;
    await tx.query(
      `insert into signals (signal_id, account_id, symbol, side, strategy, strength, price, time, metadata, source, received_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       on conflict (signal_id) do nothing`,
      [s.signalId, s.accountId, s.symbol, s.side, s.strategy, s.strength, s.price, s.time, JSON.stringify(s.metadata), s.source, s.receivedAt],
    );
  },
};
