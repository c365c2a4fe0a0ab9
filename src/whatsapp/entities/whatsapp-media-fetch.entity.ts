import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A media file a resident sent whose description (size, type, checksum) the Graph API did not
 * give at once: fetched again with backoff, apart from the conversation, which goes on.
 */
@Entity('whatsapp_media_fetches')
export class WhatsAppMediaFetch {
  @PrimaryColumn({ name: 'media_id', length: 128 })
  mediaId!: string;

  @Column({ name: 'phone_number_id', length: 64 })
  phoneNumberId!: string;

  /** The message that carried it. */
  @Column({ length: 128 })
  wamid!: string;

  /** PENDING, FETCHED or FAILED (gave up; the reason is in `last_error`). */
  @Column({ length: 12, default: 'PENDING' })
  status!: string;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt!: Date;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'mime_type', type: 'varchar', length: 100, nullable: true })
  mimeType!: string | null;

  @Column({ type: 'char', length: 64, nullable: true })
  sha256!: string | null;

  @Column({ name: 'file_size', type: 'int', nullable: true })
  fileSize!: number | null;

  /** The stored bytes, once downloaded. */
  @Column({ name: 'file_id', type: 'uuid', nullable: true })
  fileId!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
