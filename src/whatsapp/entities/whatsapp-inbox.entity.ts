import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A verified webhook payload, stored before it is answered and processed from here. */
@Entity('whatsapp_inbox')
export class WhatsAppInboxRow {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'jsonb' })
  payload!: unknown;

  /**
   * PENDING, DONE, PARKED (gave up after retries; administrators see it and may retry it) or
   * DISCARDED (an administrator decided it needs no processing).
   */
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

  /**
   * When its first message was written (WhatsApp's timestamp, at most `received_at`): a
   * sender's payloads are processed in this order.
   */
  @Column({ name: 'order_at', type: 'timestamptz', default: () => 'now()' })
  orderAt!: Date;

  @Column({ name: 'processed_at', type: 'timestamptz', nullable: true })
  processedAt!: Date | null;

  /** Who wrote (WhatsApp id or business-scoped user id): their later payloads wait for this one. */
  @Column({ type: 'varchar', length: 160, nullable: true })
  sender!: string | null;

  /** The helpline (phone number id) written to: decides whose administrators see the row. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  helpline!: string | null;

  @Column({ name: 'parked_at', type: 'timestamptz', nullable: true })
  parkedAt!: Date | null;
}
