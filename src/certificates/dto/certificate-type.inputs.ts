import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { StaffRole } from '../../common/access/staff-role';
import { UserError } from '../../common/errors/user-error.type';
import { CertificateType } from '../entities/certificate-type.entity';

@InputType({ description: 'A new certificate type of the administrator’s municipality.' })
export class CreateCertificateTypeInput {
  @Field({ description: 'Code in certificate numbers: 2–10 of A–Z (e.g. `RES`).' })
  code!: string;

  @Field({ description: 'Name in Bengali.' })
  nameBn!: string;

  @Field({ description: 'Name in English.' })
  nameEn!: string;

  @Field(() => StaffRole, { description: 'Who signs it: SIGNATORY or WARD_COORDINATOR.' })
  signerRole!: StaffRole;

  @Field(() => Int, { nullable: true, description: 'Days it is valid (1–3650); null: no expiry.' })
  validityDays?: number | null;

  @Field(() => Int, { nullable: true, description: 'Fee in rupees (default 0).' })
  feeRupees?: number | null;

  @Field({ description: 'Bengali text with {{placeholders}}.' })
  templateBn!: string;

  @Field({ description: 'English text with the same {{placeholders}}.' })
  templateEn!: string;

  @Field(() => [String], {
    nullable: true,
    description: 'Request attribute codes the texts use (a service linked to the type asks them).',
  })
  attributeCodes?: string[] | null;
}

@InputType({
  description: 'Changes to a certificate type: a new version. Omitted fields stay.',
})
export class UpdateCertificateTypeInput {
  @Field(() => ID, { description: 'The type.' })
  id!: string;

  @Field(() => Int, { description: 'The `version` read; a stale one answers CONFLICT.' })
  version!: number;

  @Field(() => String, { nullable: true, description: 'New Bengali name.' })
  nameBn?: string | null;

  @Field(() => String, { nullable: true, description: 'New English name.' })
  nameEn?: string | null;

  @Field(() => StaffRole, { nullable: true, description: 'New signer role.' })
  signerRole?: StaffRole | null;

  @Field(() => Int, { nullable: true, description: 'New validity in days.' })
  validityDays?: number | null;

  @Field(() => Int, { nullable: true, description: 'New fee in rupees.' })
  feeRupees?: number | null;

  @Field(() => String, { nullable: true, description: 'New Bengali text.' })
  templateBn?: string | null;

  @Field(() => String, { nullable: true, description: 'New English text.' })
  templateEn?: string | null;

  @Field(() => [String], { nullable: true, description: 'New list of attribute codes used.' })
  attributeCodes?: string[] | null;
}

@InputType({ description: 'Retires a certificate type: no new certificates of it are issued.' })
export class RetireCertificateTypeInput {
  @Field(() => ID, { description: 'The type.' })
  id!: string;

  @Field(() => Int, { description: 'The `version` read.' })
  version!: number;
}

@ObjectType({ description: 'Result of a certificate type mutation.' })
export class CertificateTypePayload {
  @Field(() => CertificateType, { nullable: true, description: 'The type; null when refused.' })
  certificateType!: CertificateType | null;

  @Field(() => [UserError], { description: 'What to fix; empty on success.' })
  errors!: UserError[];
}
