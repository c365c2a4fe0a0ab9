import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { AttachmentKind, AttachmentSource } from './request-enums';
import { ServiceRequest } from './service-request.entity';

@ObjectType({ description: 'A file that belongs to a request (a photo of a document, a PDF).' })
@Entity('request_attachments')
@Unique('uq_request_attachments_sha', ['requestId', 'sha256'])
export class RequestAttachment {
  @Field(() => ID, { description: 'Unique identifier.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'request_id', type: 'uuid' })
  requestId!: string;

  @ManyToOne(() => ServiceRequest, { nullable: false })
  @JoinColumn({
    name: 'request_id',
    foreignKeyConstraintName: 'request_attachments_request_id_fkey',
  })
  private readonly requestRow?: ServiceRequest;

  @Column({ name: 'ward_id', type: 'uuid' })
  wardId!: string;

  @Field(() => AttachmentKind, { description: 'What the file is.' })
  @Column({ type: 'varchar', length: 20 })
  kind!: AttachmentKind;

  @Field(() => AttachmentSource, { description: 'Where it came from.' })
  @Column({ type: 'varchar', length: 20 })
  source!: AttachmentSource;

  @Field({ description: 'WhatsApp media id or storage key, per `source`.' })
  @Column({ name: 'media_ref', length: 500 })
  mediaRef!: string;

  @Field({ description: 'MIME type, e.g. `image/jpeg`.' })
  @Column({ name: 'mime_type', length: 100 })
  mimeType!: string;

  @Field(() => Int, { description: 'Size in bytes.' })
  @Column({ name: 'size_bytes', type: 'int' })
  sizeBytes!: number;

  @Field({ description: 'SHA-256 of the content, hex.' })
  @Column({ type: 'char', length: 64 })
  sha256!: string;

  @Field(() => String, { nullable: true, description: 'Caption given with it.' })
  @Column({ type: 'text', nullable: true })
  caption!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The service’s document this file is (e.g. `aadhaar`); null for other files.',
  })
  @Column({ name: 'document_code', type: 'varchar', length: 64, nullable: true })
  documentCode!: string | null;

  /** The bytes Duare keeps (fetched from WhatsApp or uploaded), once it has them. */
  @Column({ name: 'file_id', type: 'uuid', nullable: true })
  fileId!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Where staff fetch the file with their token (`GET`, relative to the API’s address); null until Duare holds the bytes.',
  })
  get downloadUrl(): string | null {
    return this.fileId ? `/files/${this.fileId}` : null;
  }

  @Field({ description: 'When it was attached.' })
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
