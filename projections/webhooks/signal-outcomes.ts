import type { SignalData } from '#libs/signals';
import type { EntityManager } from 'typeorm';

export type Outcome = { outcome: 'ordered' | 'rejected' | 'skipped'; orderId: string | null; reason: string | null };

export interface HandledSignal {
  signal: SignalData;
  webhookId: string;
  processedAt: Date;
  result: Outcome;
}

export const latencyMsOf = ({ signal, processedAt }: HandledSignal): number => Math.max(0, processedAt.getTime() - Date.parse(signal.receivedAt));

/**
 * A batch's outcomes in one statement at its end: this is the batch transaction's first write, so
 * it takes its transaction id (which every subscription in the cluster waits for) only for the
 * insert and the checkpoint, not while the batch acts. A redelivered signal's row is kept as first written.
 */
export async function recordOutcomes(tx: Pick<EntityManager, 'query'>, handled: readonly HandledSignal[]): Promise<void> {
  if (!handled.length) return;
  const column = <T>(of: (h: HandledSignal) => T) => handled.map(of);
  await tx.query(
    `insert into webhook_signals (signal_id, webhook_id, account_id, symbol, action, received_at, processed_at, latency_ms, outcome, order_id, reason)
     select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::int[], $9::text[], $10::text[], $11::text[])
     on conflict (signal_id) do nothing`,
    [
      column((h) => h.signal.signalId), column((h) => h.webhookId), column((h) => h.signal.accountId), column((h) => h.signal.symbol),
      column((h) => h.signal.side), column((h) => h.signal.receivedAt), column((h) => h.processedAt.toISOString()), column(latencyMsOf),
      column((h) => h.result.outcome), column((h) => h.result.orderId), column((h) => h.result.reason),
    ],
  );
}
