import { Field, ID, InputType, Int } from '@nestjs/graphql';
import {
  GuardianRelation,
  IntakeChannel,
  ResidentLanguage,
  ResidentVerification,
} from '../entities/resident-enums';

@InputType({ description: 'A postal address; every part optional.' })
export class ResidentAddressInput {
  @Field(() => String, {
    nullable: true,
    description: 'House or holding number (up to 50 characters).',
  })
  houseNumber?: string | null;

  @Field(() => String, { nullable: true, description: 'Para or locality.' })
  locality?: string | null;

  @Field(() => String, { nullable: true, description: 'Street.' })
  street?: string | null;

  @Field(() => String, { nullable: true, description: 'A landmark.' })
  landmark?: string | null;

  @Field(() => String, { nullable: true, description: 'Post office.' })
  postOffice?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'PIN code: 6 digits (Bengali digits accepted).',
  })
  pinCode?: string | null;
}

@InputType({ description: 'The resident’s consent to have their data processed.' })
export class ConsentInput {
  @Field(() => IntakeChannel, { description: 'Where it was given.' })
  channel!: IntakeChannel;

  @Field({ description: 'Version of the purpose text the resident agreed to, e.g. `2026-01`.' })
  purposeVersion!: string;
}

@InputType({ description: 'A new resident, registered by staff or an integration.' })
export class CreateResidentInput {
  @Field(() => ID, { description: 'The ward the resident lives in.' })
  wardId!: string;

  @Field({ description: 'Full name as the resident writes it (1–200 characters, any script).' })
  fullName!: string;

  @Field(() => String, { nullable: true, description: 'The name in the other script.' })
  altName?: string | null;

  @Field(() => String, { nullable: true, description: 'Guardian’s name.' })
  guardianName?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Guardian’s name in Latin letters (certificates’ English text).',
  })
  guardianNameEn?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The address in Latin letters on one line (certificates’ English text).',
  })
  addressEn?: string | null;

  @Field(() => GuardianRelation, { nullable: true, description: 'Who the guardian is.' })
  guardianRelation?: GuardianRelation | null;

  @Field(() => String, {
    nullable: true,
    description: 'Phone in any local form (`+91`, `0`, spaces, dashes, Bengali digits).',
  })
  phone?: string | null;

  @Field(() => String, { nullable: true, description: 'WhatsApp id (digits).' })
  whatsappId?: string | null;

  @Field(() => ResidentAddressInput, { nullable: true, description: 'Address.' })
  address?: ResidentAddressInput | null;

  @Field(() => ResidentLanguage, { nullable: true, description: 'Defaults to BN.' })
  preferredLanguage?: ResidentLanguage | null;

  @Field(() => String, {
    nullable: true,
    description: 'Date of birth, YYYY-MM-DD, not in the future.',
  })
  dateOfBirth?: string | null;

  @Field(() => ConsentInput, { nullable: true, description: 'Consent given at registration.' })
  consent?: ConsentInput | null;

  @Field(() => IntakeChannel, {
    nullable: true,
    description: 'PHONE_CALL, WALK_IN or API; defaults to API for API clients, WALK_IN for staff.',
  })
  channel?: IntakeChannel | null;
}

@InputType({
  description: 'Changes to a resident. Omitted fields stay; `null` clears an optional field.',
})
export class UpdateResidentInput {
  @Field(() => ID, { description: 'The resident.' })
  id!: string;

  @Field(() => Int, { description: 'The `version` read; a stale one answers CONFLICT.' })
  version!: number;

  @Field(() => String, { nullable: true, description: 'Full name.' })
  fullName?: string | null;

  @Field(() => String, { nullable: true, description: 'Name in the other script.' })
  altName?: string | null;

  @Field(() => String, { nullable: true, description: 'Guardian’s name.' })
  guardianName?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Guardian’s name in Latin letters (certificates’ English text).',
  })
  guardianNameEn?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The address in Latin letters on one line (certificates’ English text).',
  })
  addressEn?: string | null;

  @Field(() => GuardianRelation, { nullable: true, description: 'Who the guardian is.' })
  guardianRelation?: GuardianRelation | null;

  @Field(() => String, { nullable: true, description: 'Phone in any local form.' })
  phone?: string | null;

  @Field(() => String, { nullable: true, description: 'WhatsApp id.' })
  whatsappId?: string | null;

  @Field(() => ResidentAddressInput, { nullable: true, description: 'The whole new address.' })
  address?: ResidentAddressInput | null;

  @Field(() => ResidentLanguage, { nullable: true, description: 'Language for messages.' })
  preferredLanguage?: ResidentLanguage | null;

  @Field(() => String, { nullable: true, description: 'Date of birth, YYYY-MM-DD.' })
  dateOfBirth?: string | null;

  @Field(() => ConsentInput, { nullable: true, description: 'Consent (recorded now).' })
  consent?: ConsentInput | null;
}

@InputType({ description: 'Names a resident.' })
export class ResidentRefInput {
  @Field(() => ID, { description: 'The resident.' })
  residentId!: string;
}

@InputType({
  description: 'Moves a resident to another ward of the municipality; history is kept.',
})
export class MoveResidentInput {
  @Field(() => ID, { description: 'The resident.' })
  residentId!: string;

  @Field(() => ID, { description: 'The new ward.' })
  toWardId!: string;

  @Field(() => String, { nullable: true, description: 'Why (up to 500 characters).' })
  reason?: string | null;
}

@InputType({
  description: 'Erases a resident’s personal data (DPDP Act); counts and history stay.',
})
export class EraseResidentInput {
  @Field(() => ID, { description: 'The resident.' })
  residentId!: string;

  @Field({ description: 'Why, e.g. the request reference (1–500 characters; no personal data).' })
  reason!: string;
}

@InputType({ description: 'Narrows a list of residents; all given conditions must hold.' })
export class ResidentFilter {
  @Field(() => ID, { nullable: true, description: 'Only residents of this ward.' })
  wardId?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Name in Bengali or Latin letters (typos tolerated, ranked by closeness), or a holding number.',
  })
  search?: string | null;

  @Field(() => ResidentVerification, {
    nullable: true,
    description: 'Only this verification state.',
  })
  verification?: ResidentVerification | null;
}
