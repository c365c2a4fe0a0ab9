import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A verified webhook payload, stored before it is answered and processed from here. */
@Entity('whatsapp_inbox')
export class WhatsAppInboxRow {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'jsonb' })
  payload!: unknown;

  /** PENDING, DONE or PARKED (gave up after retries; visible to administrators). */
  @Column({ length: 12, default: 'PENDING' })
  status!: string;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt!: Date;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt!: Date;

  @Column({ name: 'processed_at', type: 'timestamptz', nullable: true })
  processedAt!: Date | null;
}
