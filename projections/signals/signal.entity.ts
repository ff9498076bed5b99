import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { SignalMetadata, SignalSide, SignalSource } from '#libs/signals';

@Entity({ name: 'signals' })
export class SignalRow {
  @PrimaryColumn({ name: 'signal_id', type: 'text' }) signalId: string;
  @Column({ name: 'account_id', type: 'text' }) accountId: string;
  @Column({ type: 'text' }) symbol: string;
  @Column({ type: 'text' }) side: SignalSide;
  @Column({ type: 'text' }) strategy: string;
  @Column({ type: 'numeric' }) strength: string;
  @Column({ type: 'numeric', nullable: true }) price: string | null;
  @Column({ type: 'timestamptz' }) time: Date;
  @Column({ type: 'jsonb' }) metadata: SignalMetadata;
  @Column({ type: 'text' }) source: SignalSource;
  @Column({ name: 'received_at', type: 'timestamptz' }) receivedAt: Date;
}
