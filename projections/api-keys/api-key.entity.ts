import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A key is stored only as its SHA-256; the key itself is shown once, when issued. */
@Entity({ name: 'api_keys' })
export class ApiKeyRow {
  @PrimaryColumn({ name: 'key_hash', type: 'text' }) keyHash: string;
  @Column({ name: 'account_id', type: 'text' }) accountId: string;
  @Column({ type: 'bigint' }) revision: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt: Date | null;
}
