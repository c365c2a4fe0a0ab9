import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import {
  GuardianRelation,
  IntakeChannel,
  ResidentLanguage,
  ResidentVerification,
} from './resident-enums';

@ObjectType({ description: 'A postal address in a ward.' })
export class ResidentAddress {
  @Field(() => String, { nullable: true, description: 'House or holding number.' })
  houseNumber!: string | null;

  @Field(() => String, { nullable: true, description: 'Para or locality.' })
  locality!: string | null;

  @Field(() => String, { nullable: true, description: 'Street.' })
  street!: string | null;

  @Field(() => String, { nullable: true, description: 'A landmark to find the house.' })
  landmark!: string | null;

  @Field(() => String, { nullable: true, description: 'Post office.' })
  postOffice!: string | null;

  @Field(() => String, { nullable: true, description: 'PIN code, 6 digits.' })
  pinCode!: string | null;
}

@ObjectType({ description: 'A resident of a ward: who requests come from. Personal data.' })
@Entity('residents')
@Unique('uq_residents_phone', ['municipalityId', 'phone'])
@Unique('uq_residents_dedupe_key', ['municipalityId', 'dedupeKey'])
@Index('ix_residents_ward_created', ['wardId', 'createdAt', 'id'])
@Index('ix_residents_holding', ['municipalityId', 'houseNumber'])
@Index('ix_residents_whatsapp', ['municipalityId', 'whatsappId'])
export class Resident {
  @Field(() => ID, { description: 'Unique identifier.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'municipality_id', type: 'uuid' })
  municipalityId!: string;

  @Field(() => ID, { description: 'The ward the resident lives in.' })
  @Column({ name: 'ward_id', type: 'uuid' })
  wardId!: string;

  @Field({ description: 'Full name as written (any script, NFC). `[erased]` after erasure.' })
  @Column({ name: 'full_name', length: 200 })
  fullName!: string;

  @Field(() => String, { nullable: true, description: 'The name in the other script.' })
  @Column({ name: 'alt_name', type: 'varchar', length: 200, nullable: true })
  altName!: string | null;

  @Field(() => String, { nullable: true, description: 'Father’s, husband’s or mother’s name.' })
  @Column({ name: 'guardian_name', type: 'varchar', length: 200, nullable: true })
  guardianName!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The guardian’s name in Latin letters, for the English text of certificates.',
  })
  @Column({ name: 'guardian_name_en', type: 'varchar', length: 200, nullable: true })
  guardianNameEn!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The address in Latin letters on one line (`12/3 Station Road, Basirhat, 743411`), for the English text of certificates.',
  })
  @Column({ name: 'address_en', type: 'varchar', length: 500, nullable: true })
  addressEn!: string | null;

  @Field(() => GuardianRelation, { nullable: true, description: 'Who the guardian is.' })
  @Column({
    name: 'guardian_relation',
    type: 'enum',
    enum: GuardianRelation,
    enumName: 'guardian_relation',
    nullable: true,
  })
  guardianRelation!: GuardianRelation | null;

  @Field(() => String, { nullable: true, description: 'Phone number, E.164.' })
  @Column({ type: 'varchar', length: 16, nullable: true })
  phone!: string | null;

  @Field(() => String, { nullable: true, description: 'WhatsApp id (wa_id).' })
  @Column({ name: 'whatsapp_id', type: 'varchar', length: 160, nullable: true })
  whatsappId!: string | null;

  /**
   * The WhatsApp helpline (phone number id) the resident last wrote to: messages about their
   * requests go out from that chat, also when it is another ward's helpline.
   */
  @Column({ name: 'helpline_phone_number_id', type: 'varchar', length: 64, nullable: true })
  helplinePhoneNumberId!: string | null;

  @Column({ name: 'house_number', type: 'varchar', length: 50, nullable: true })
  houseNumber!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  locality!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  street!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  landmark!: string | null;

  @Column({ name: 'post_office', type: 'varchar', length: 200, nullable: true })
  postOffice!: string | null;

  @Column({ name: 'pin_code', type: 'char', length: 6, nullable: true })
  pinCode!: string | null;

  @Field(() => ResidentLanguage, { description: 'Language for messages.' })
  @Column({
    name: 'preferred_language',
    type: 'enum',
    enum: ResidentLanguage,
    enumName: 'resident_language',
    default: ResidentLanguage.BN,
  })
  preferredLanguage!: ResidentLanguage;

  @Field(() => String, { nullable: true, description: 'Date of birth, YYYY-MM-DD.' })
  @Column({ name: 'date_of_birth', type: 'date', nullable: true })
  dateOfBirth!: string | null;

  @Field(() => ResidentVerification, { description: 'Whether a coordinator checked the resident.' })
  @Column({
    type: 'enum',
    enum: ResidentVerification,
    enumName: 'resident_verification',
    default: ResidentVerification.UNVERIFIED,
  })
  verification!: ResidentVerification;

  @Field(() => ID, { nullable: true, description: 'Staff account that verified the resident.' })
  @Column({ name: 'verified_by', type: 'uuid', nullable: true })
  verifiedBy!: string | null;

  @Field(() => Date, { nullable: true, description: 'When the resident was verified.' })
  @Column({ name: 'verified_at', type: 'timestamptz', nullable: true })
  verifiedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the resident consented to processing.' })
  @Column({ name: 'consent_at', type: 'timestamptz', nullable: true })
  consentAt!: Date | null;

  @Field(() => IntakeChannel, { nullable: true, description: 'Where the consent was given.' })
  @Column({
    name: 'consent_channel',
    type: 'enum',
    enum: IntakeChannel,
    enumName: 'intake_channel',
    nullable: true,
  })
  consentChannel!: IntakeChannel | null;

  @Field(() => String, { nullable: true, description: 'Version of the purpose text consented to.' })
  @Column({ name: 'consent_purpose_version', type: 'varchar', length: 32, nullable: true })
  consentPurposeVersion!: string | null;

  @Field(() => IntakeChannel, { description: 'How the resident was first registered.' })
  @Column({
    name: 'created_channel',
    type: 'enum',
    enum: IntakeChannel,
    enumName: 'intake_channel',
  })
  createdChannel!: IntakeChannel;

  /** Spelling-tolerant key of the names (see common/text/name-key.ts); trigram-indexed. */
  @Column({ name: 'name_key', type: 'text', default: '' })
  nameKey!: string;

  /** For residents without a phone: what makes an imported row the same person again. */
  @Column({ name: 'dedupe_key', type: 'char', length: 64, nullable: true })
  dedupeKey!: string | null;

  @Column({ name: 'import_id', type: 'uuid', nullable: true })
  importId!: string | null;

  @Field(() => Date, { nullable: true, description: 'When personal data was erased (DPDP Act).' })
  @Column({ name: 'erased_at', type: 'timestamptz', nullable: true })
  erasedAt!: Date | null;

  @Field(() => Int, { description: 'Optimistic-locking version; send it back with updates.' })
  @VersionColumn({ default: 1 })
  version!: number;

  @Field({ description: 'When the resident was registered.' })
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Field({ description: 'When the record last changed.' })
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
