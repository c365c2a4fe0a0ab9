import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/**
 * A delivery status for a message no notification has claimed (yet): its send may be recorded
 * a moment later, or it was sent by another tool on the same number. Kept aside, matched late.
 */
@Entity('whatsapp_unmatched_statuses')
@Unique('uq_whatsapp_unmatched_statuses', ['messageId', 'status'])
export class WhatsAppUnmatchedStatus {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'message_id', length: 128 })
  messageId!: string;

  @Column({ length: 12 })
  status!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ name: 'error_code', type: 'varchar', length: 40, nullable: true })
  errorCode!: string | null;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage!: string | null;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt!: Date;

  /** Late matches tried so far; each next one waits twice as long. */
  @Column({ type: 'int', default: 0 })
  checks!: number;

  @Column({ name: 'next_check_at', type: 'timestamptz', default: () => 'now()' })
  nextCheckAt!: Date;
}
