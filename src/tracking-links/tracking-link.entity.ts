import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/**
 * A request's public tracking link. The token itself is never stored: `nonce` (random) and
 * the server's key give it back to staff, `tokenHash` finds the link when the page is opened.
 */
@Entity('tracking_links')
@Unique('uq_tracking_links_token', ['tokenHash'])
export class TrackingLink {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'municipality_id', type: 'uuid' })
  municipalityId!: string;

  @Column({ name: 'ward_id', type: 'uuid' })
  wardId!: string;

  @Column({ name: 'request_id', type: 'uuid' })
  requestId!: string;

  @Column({ type: 'char', length: 32 })
  nonce!: string;

  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'revoked_by_name', type: 'varchar', length: 200, nullable: true })
  revokedByName!: string | null;
}
