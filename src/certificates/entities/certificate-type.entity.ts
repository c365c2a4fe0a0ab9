import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';

@ObjectType({ description: 'A kind of certificate a municipality issues, and who signs it.' })
@Entity('certificate_types')
@Unique('uq_certificate_types_code', ['municipalityId', 'code'])
export class CertificateType {
  @Field(() => ID, { description: 'Unique identifier.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'municipality_id', type: 'uuid' })
  municipalityId!: string;

  @Field({ description: 'Code used in numbers, e.g. `RES` in `BSR/RES/2026-27/000123`.' })
  @Column({ length: 10 })
  code!: string;

  @Field({ description: 'Name in Bengali.' })
  @Column({ name: 'name_bn', length: 200 })
  nameBn!: string;

  @Field({ description: 'Name in English.' })
  @Column({ name: 'name_en', length: 200 })
  nameEn!: string;

  @Field({ description: 'The role that signs it: `SIGNATORY` or `WARD_COORDINATOR`.' })
  @Column({ name: 'signer_role', length: 20 })
  signerRole!: string;

  @Field(() => Int, { nullable: true, description: 'Days it is valid; null: no expiry.' })
  @Column({ name: 'validity_days', type: 'int', nullable: true })
  validityDays!: number | null;

  @Field({
    description: 'Bengali text with {{variables}} (holder, address, the request’s values).',
  })
  @Column({ name: 'template_bn', type: 'text' })
  templateBn!: string;

  @Field({ description: 'English text with {{variables}}.' })
  @Column({ name: 'template_en', type: 'text' })
  templateEn!: string;

  @Field(() => [String], {
    description:
      'Codes of the request attributes the texts use as {{placeholders}} (beside the holder’s, ward’s and municipality’s own).',
  })
  @Column({ name: 'attribute_codes', type: 'jsonb', default: () => `'[]'` })
  attributeCodes!: string[];

  @Field(() => Int, { description: 'Fee in rupees (0: free).' })
  @Column({ name: 'fee_rupees', type: 'int', default: 0 })
  feeRupees!: number;

  @Field({ description: 'Inactive (retired) types are not issued.' })
  @Column({ default: true })
  active!: boolean;

  @Field(() => Date, { nullable: true, description: 'When it was retired; null while in use.' })
  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt!: Date | null;

  @Field(() => Int, {
    description:
      'Version: each update makes the next one (send it back with `updateCertificateType`); certificates keep the text they were issued with.',
  })
  @VersionColumn({ default: 1 })
  version!: number;

  @Field({ description: 'When it was created.' })
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Field({ description: 'When it last changed.' })
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
