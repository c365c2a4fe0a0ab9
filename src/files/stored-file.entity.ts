import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A file Duare keeps (a resident's photo, PDF or voice note from the helpline, a staff
 * upload). The bytes live in the file store under their SHA-256; this row says whose they
 * are (municipality and ward decide who may fetch them) and what they are.
 */
@Entity('stored_files')
@Index('ix_stored_files_sha256', ['sha256'])
export class StoredFile {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'municipality_id', type: 'uuid' })
  municipalityId!: string;

  @Column({ name: 'ward_id', type: 'uuid' })
  wardId!: string;

  /** SHA-256 of the bytes, hex: also their key in the store. */
  @Column({ type: 'char', length: 64 })
  sha256!: string;

  /** The type read from the bytes themselves, not the one the sender claimed. */
  @Column({ name: 'mime_type', length: 100 })
  mimeType!: string;

  @Column({ name: 'size_bytes', type: 'int' })
  sizeBytes!: number;

  @Column({ name: 'original_name', type: 'varchar', length: 255, nullable: true })
  originalName!: string | null;

  /** WHATSAPP (a resident's media) or UPLOAD (staff). */
  @Column({ length: 20 })
  source!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
