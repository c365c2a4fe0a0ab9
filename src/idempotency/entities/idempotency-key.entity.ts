import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A create that was asked with an idempotency key, and what it created. */
@Entity('idempotency_keys')
@Index('ix_idempotency_keys_expiry', ['expiresAt'])
export class IdempotencyKeyRow {
  /** `STAFF:<id>` or `API_CLIENT:<id>`: keys are private to their caller. */
  @PrimaryColumn({ length: 80 })
  caller!: string;

  @PrimaryColumn({ length: 200 })
  key!: string;

  @Column({ length: 60 })
  operation!: string;

  @Column({ name: 'input_hash', type: 'char', length: 64 })
  inputHash!: string;

  @Column({ name: 'result_id', type: 'uuid' })
  resultId!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
