import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { OrderDefaults, SealedSecret, Sizing } from '#libs/webhooks';

@Entity({ name: 'webhooks' })
export class WebhookRow {
  @PrimaryColumn({ name: 'webhook_id', type: 'text' }) webhookId: string;
  @Column({ name: 'account_id', type: 'text' }) accountId: string;
  @Column({ type: 'text' }) strategy: string;
  @Column({ type: 'jsonb' }) sizing: Sizing;
  @Column({ name: 'order_defaults', type: 'jsonb' }) orderDefaults: OrderDefaults;
  @Column({ name: 'ip_allow_list', type: 'jsonb' }) ipAllowList: string[];
  /** Sealed (AES-256-GCM), never the plaintext. */
  @Column({ type: 'jsonb' }) secret: SealedSecret;
  @Column({ type: 'bigint' }) revision: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'removed_at', type: 'timestamptz', nullable: true }) removedAt: Date | null;
}

@Entity({ name: 'webhook_signals' })
export class WebhookSignalRow {
  @PrimaryColumn({ name: 'signal_id', type: 'text' }) signalId: string;
  @Column({ name: 'webhook_id', type: 'text' }) webhookId: string;
  @Column({ name: 'account_id', type: 'text' }) accountId: string;
  @Column({ type: 'text' }) symbol: string;
  @Column({ type: 'text' }) action: string;
  @Column({ name: 'received_at', type: 'timestamptz' }) receivedAt: Date;
  @Column({ name: 'processed_at', type: 'timestamptz' }) processedAt: Date;
  @Column({ name: 'latency_ms', type: 'integer' }) latencyMs: number;
  /** ordered | rejected | skipped */
  @Column({ type: 'text' }) outcome: string;
  @Column({ name: 'order_id', type: 'text', nullable: true }) orderId: string | null;
  @Column({ type: 'text', nullable: true }) reason: string | null;
}
