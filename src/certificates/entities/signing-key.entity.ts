import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A certificate signing key's public half (kept after rotation, so old certificates verify). */
@Entity('certificate_signing_keys')
export class SigningKeyRow {
  @PrimaryColumn({ name: 'key_id', length: 64 })
  keyId!: string;

  /** Ed25519 public key, SPKI DER in base64. */
  @Column({ name: 'public_key', type: 'text' })
  publicKey!: string;

  /** Only for the key Duare generates in demo mode (never in production). */
  @Column({ name: 'demo_private_key', type: 'text', nullable: true })
  demoPrivateKey!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt!: Date | null;
}
