import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import { SigningKeyRow } from './signing-key.entity';

export enum CertificateStatus {
  ISSUED = 'ISSUED',
  REVOKED = 'REVOKED',
  SUPERSEDED = 'SUPERSEDED',
}
registerEnumType(CertificateStatus, {
  name: 'CertificateStatus',
  description: 'What became of a certificate (expiry is judged from `validUntil`).',
});

@ObjectType({ description: 'A signed certificate issued to a resident.' })
@Entity('certificates')
@Unique('uq_certificates_number', ['municipalityId', 'number'])
@Index('ix_certificates_ward', ['wardId', 'issuedAt', 'id'])
@Index('ix_certificates_request', ['requestId'])
@Index('ix_certificates_number', ['number'])
export class Certificate {
  @Field(() => ID, { description: 'Unique identifier.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'municipality_id', type: 'uuid' })
  municipalityId!: string;

  @Field(() => ID, { description: 'Ward of the holder when issued.' })
  @Column({ name: 'ward_id', type: 'uuid' })
  wardId!: string;

  @Field(() => ID, { description: 'The request it answers.' })
  @Column({ name: 'request_id', type: 'uuid' })
  requestId!: string;

  @Field({ description: 'Certificate type code.' })
  @Column({ name: 'type_code', length: 10 })
  typeCode!: string;

  @Field({ description: 'Number, gapless per municipality, type and financial year.' })
  @Column({ length: 40 })
  number!: string;

  @Field({ description: 'Short code printed on the certificate; verification needs it.' })
  @Column({ name: 'verification_code', length: 12 })
  verificationCode!: string;

  @Field(() => GraphQLJSONObject, { description: 'The holder as they were at issuance.' })
  @Column({ type: 'jsonb' })
  holder!: Record<string, unknown>;

  @Field(() => GraphQLJSONObject, {
    description: 'What the certificate says (texts bn/en, values).',
  })
  @Column({ type: 'jsonb' })
  content!: Record<string, unknown>;

  @Field(() => CertificateStatus, { description: 'Issued, revoked or superseded.' })
  @Column({ type: 'varchar', length: 12, default: CertificateStatus.ISSUED })
  status!: CertificateStatus;

  @Field({ description: 'When it was issued.' })
  @Column({ name: 'issued_at', type: 'timestamptz' })
  issuedAt!: Date;

  @Field(() => String, {
    nullable: true,
    description: 'Last valid day (YYYY-MM-DD), if it expires.',
  })
  @Column({ name: 'valid_until', type: 'date', nullable: true })
  validUntil!: string | null;

  @Column({ name: 'signer_id', type: 'uuid', nullable: true })
  signerId!: string | null;

  @Field({ description: 'Who signed.' })
  @Column({ name: 'signer_name', length: 200 })
  signerName!: string;

  @Field({ description: 'In which role.' })
  @Column({ name: 'signer_role', length: 20 })
  signerRole!: string;

  @Field({ description: 'Id of the Ed25519 key that signed it.' })
  @Column({ name: 'key_id', length: 64 })
  keyId!: string;

  @ManyToOne(() => SigningKeyRow, { nullable: false })
  @JoinColumn({ name: 'key_id', foreignKeyConstraintName: 'certificates_key_id_fkey' })
  private readonly keyRow?: SigningKeyRow;

  @Field({ description: 'Ed25519 signature of the canonical content, base64url.' })
  @Column({ type: 'text' })
  signature!: string;

  @Field(() => ID, { nullable: true, description: 'The certificate this one corrects.' })
  @Column({ name: 'supersedes_id', type: 'uuid', nullable: true })
  supersedesId!: string | null;

  @ManyToOne(() => Certificate, { nullable: true })
  @JoinColumn({
    name: 'supersedes_id',
    foreignKeyConstraintName: 'certificates_supersedes_id_fkey',
  })
  private readonly supersedesRow?: Certificate;

  @Field(() => ID, { nullable: true, description: 'The certificate that corrected this one.' })
  @Column({ name: 'superseded_by_id', type: 'uuid', nullable: true })
  supersededById!: string | null;

  @ManyToOne(() => Certificate, { nullable: true })
  @JoinColumn({
    name: 'superseded_by_id',
    foreignKeyConstraintName: 'certificates_superseded_by_id_fkey',
  })
  private readonly supersededByRow?: Certificate;

  @Field(() => Date, { nullable: true, description: 'When it was revoked.' })
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Why it was revoked.' })
  @Column({ name: 'revoke_reason', type: 'text', nullable: true })
  revokeReason!: string | null;

  @VersionColumn({ default: 1 })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
