import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AccountSettings } from '#libs/trading';

@Entity({ name: 'accounts' })
export class AccountRow {
  @PrimaryColumn({ name: 'account_id', type: 'text' }) accountId: string;
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'jsonb' }) settings: AccountSettings;
  /** Cash after the latest deposit, withdrawal or fill, as the account decided it. */
  @Column({ type: 'numeric' }) cash: string;
  @Column({ name: 'opened_at', type: 'timestamptz' }) openedAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

@Entity({ name: 'account_reservations' })
export class AccountReservationRow {
  @PrimaryColumn({ name: 'account_id', type: 'text' }) accountId: string;
  @PrimaryColumn({ name: 'order_id', type: 'text' }) orderId: string;
  @Column({ type: 'numeric' }) cash: string;
}
