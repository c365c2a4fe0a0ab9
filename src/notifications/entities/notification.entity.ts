import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import {
  Column,
  CreateDateColumn,
  Entity,
  Generated,
  Index,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import {
  NotificationChannel,
  NotificationLanguage,
  NotificationStatus,
} from './notification-enums';

@ObjectType({ description: 'One message to one person about one event, and what became of it.' })
@Entity('notifications')
@Unique('uq_notifications_seq', ['seq'])
@Unique('uq_notifications_once', ['eventId', 'recipientId', 'channel'])
@Unique('uq_notifications_provider_message', ['providerMessageId'])
@Unique('uq_notifications_reply', ['replyTo', 'replyIndex'])
@Index('ix_notifications_request', ['requestId', 'seq'])
@Index('ix_notifications_resident', ['residentId', 'seq'])
@Index('ix_notifications_ward', ['wardId', 'seq'])
export class Notification {
  @Field(() => ID, { description: 'Unique identifier.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Order of creation: messages to one recipient leave in this order. */
  @Column({ type: 'bigint', insert: false, update: false })
  @Generated('increment')
  seq!: string;

  @Column({ name: 'municipality_id', type: 'uuid' })
  municipalityId!: string;

  @Column({ name: 'ward_id', type: 'uuid', nullable: true })
  wardId!: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The domain event it announces (none for replies).',
  })
  @Column({ name: 'event_id', type: 'uuid', nullable: true })
  eventId!: string | null;

  /** For helpline replies: the inbound message (wamid) answered, and which reply it is. */
  @Column({ name: 'reply_to', type: 'varchar', length: 128, nullable: true })
  replyTo!: string | null;

  @Column({ name: 'reply_index', type: 'int', nullable: true })
  replyIndex!: number | null;

  /** For helpline replies: the WhatsApp message object to send as it is (text, list, buttons). */
  @Column({ type: 'jsonb', nullable: true })
  content!: Record<string, unknown> | null;

  @Field({ description: 'Which message it is, e.g. `request_received`.' })
  @Column({ name: 'template_key', length: 60 })
  templateKey!: string;

  @Field(() => ID, { nullable: true, description: 'The request it is about.' })
  @Column({ name: 'request_id', type: 'uuid', nullable: true })
  requestId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The resident it is to or about.' })
  @Column({ name: 'resident_id', type: 'uuid', nullable: true })
  residentId!: string | null;

  @Field({ description: '`RESIDENT` or `STAFF`.' })
  @Column({ name: 'recipient_type', length: 10 })
  recipientType!: string;

  @Field(() => ID, { description: 'Resident or staff account it is sent to.' })
  @Column({ name: 'recipient_id', type: 'uuid' })
  recipientId!: string;

  @Field(() => NotificationChannel, { description: 'How it travels.' })
  @Column({ type: 'enum', enum: NotificationChannel, enumName: 'notification_channel' })
  channel!: NotificationChannel;

  /** WhatsApp id or phone number: personal data, shown only masked. */
  @Column({ length: 160 })
  address!: string;

  /** The helpline's WhatsApp phone number id it is sent from. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  sender!: string | null;

  @Field(() => NotificationLanguage, { description: 'Language it is written in.' })
  @Column({ type: 'varchar', length: 2 })
  language!: NotificationLanguage;

  @Field({ description: 'The text, as rendered for the recipient.' })
  @Column({ type: 'text' })
  body!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Approved WhatsApp template used outside the 24-hour window.',
  })
  @Column({ name: 'template_name', type: 'varchar', length: 512, nullable: true })
  templateName!: string | null;

  /** An SMS that names its own DLT template (an announcement's); else its wording's is used. */
  @Column({ name: 'dlt_template_id', type: 'varchar', length: 19, nullable: true })
  dltTemplateId!: string | null;

  @Column({ name: 'template_params', type: 'jsonb', default: () => "'[]'" })
  templateParams!: string[];

  /** Values (a hand-over code) blanked out of the stored text once the message is sent. */
  @Column({ name: 'secret_values', type: 'jsonb', nullable: true })
  secretValues!: string[] | null;

  @Field({ description: 'Critical messages go even to residents who opted out.' })
  @Column({ default: false })
  critical!: boolean;

  @Field(() => NotificationStatus, { description: 'Where it is.' })
  @Column({
    type: 'enum',
    enum: NotificationStatus,
    enumName: 'notification_status',
    default: NotificationStatus.QUEUED,
  })
  status!: NotificationStatus;

  @Field(() => String, {
    nullable: true,
    description: '`TEXT` (inside the 24-hour window) or `TEMPLATE`.',
  })
  @Column({ name: 'sent_as', type: 'varchar', length: 10, nullable: true })
  sentAs!: string | null;

  @Field(() => Int, { description: 'Sending attempts so far.' })
  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Field(() => Int, {
    description:
      'Sends whose outcome was lost (a timeout, an unreadable answer): the message may have arrived. One is tried once more; a second parks the notification FAILED.',
  })
  @Column({ name: 'ambiguous_sends', type: 'int', default: 0 })
  ambiguousSends!: number;

  @Field({ description: 'When the next attempt is due (while QUEUED).' })
  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt!: Date;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  @Field(() => String, {
    nullable: true,
    description: 'The provider’s message id (WhatsApp wamid).',
  })
  @Column({ name: 'provider_message_id', type: 'varchar', length: 128, nullable: true })
  providerMessageId!: string | null;

  @Field(() => String, { nullable: true, description: 'Provider error code of the last failure.' })
  @Column({ name: 'error_code', type: 'varchar', length: 40, nullable: true })
  errorCode!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Provider error message of the last failure.',
  })
  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage!: string | null;

  @Field(() => Date, { nullable: true, description: 'Accepted by the provider.' })
  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'Reached the phone.' })
  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'Read.' })
  @Column({ name: 'read_at', type: 'timestamptz', nullable: true })
  readAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'Given up.' })
  @Column({ name: 'failed_at', type: 'timestamptz', nullable: true })
  failedAt!: Date | null;

  @Field({ description: 'When it was queued.' })
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
