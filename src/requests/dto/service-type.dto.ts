import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { UserError } from '../../common/errors/user-error.type';
import { Connection } from '../../common/pagination/connection.type';
import {
  RequiredDocument,
  ServiceAttribute,
  ServiceCategory,
} from '../entities/service-definition';

@ObjectType({ description: 'A service residents can ask for, in its current definition.' })
export class ServiceType {
  @Field(() => ID, { description: 'Unique identifier.' })
  id!: string;

  @Field({ description: 'Stable code within the municipality, e.g. `RESIDENCE_CERT`.' })
  code!: string;

  @Field(() => ServiceCategory, { description: 'Certificate, service or complaint.' })
  category!: ServiceCategory;

  @Field({ description: 'Name in Bengali.' })
  nameBn!: string;

  @Field({ description: 'Name in English.' })
  nameEn!: string;

  @Field(() => String, { nullable: true, description: 'Description in Bengali.' })
  descriptionBn!: string | null;

  @Field(() => String, { nullable: true, description: 'Description in English.' })
  descriptionEn!: string | null;

  @Field(() => [ServiceAttribute], { description: 'Values the resident gives, in asking order.' })
  attributes!: ServiceAttribute[];

  @Field(() => [RequiredDocument], { description: 'Documents the resident shows or sends.' })
  documents!: RequiredDocument[];

  @Field(() => Int, {
    nullable: true,
    description: 'Promised time in hours (or see slaWorkingDays).',
  })
  slaHours!: number | null;

  @Field(() => Int, { nullable: true, description: 'Promised time in working days.' })
  slaWorkingDays!: number | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'Days after the outcome within which the resident (or staff) may reopen a complaint; null: the default, 7.',
  })
  reopenDays?: number | null;

  @Field({ description: 'Whether the outcome is delivered to the door.' })
  doorstepDelivery!: boolean;

  @Field(() => String, { nullable: true, description: 'Certificate type produced (certificates).' })
  certificateTypeCode!: string | null;

  @Field(() => [String], {
    description:
      'Words and phrases residents use for this service, in any script (Bengali, Banglish, English): the helpline recognises the service from them as well as from its names.',
  })
  keywords!: string[];

  @Field({ description: 'Inactive types take no new requests.' })
  active!: boolean;

  @Field(() => Int, {
    description: 'Definition version; requests keep the one they were made under.',
  })
  definitionVersion!: number;

  @Field(() => Int, { description: 'Optimistic-locking version; send it back with updates.' })
  version!: number;
}

@InputType({
  description: 'The definition of a service type (all of it; a change makes a new version).',
})
export class ServiceDefinitionInput {
  @Field({ description: 'Name in Bengali.' })
  nameBn!: string;

  @Field({ description: 'Name in English.' })
  nameEn!: string;

  @Field(() => String, { nullable: true, description: 'Description in Bengali.' })
  descriptionBn?: string | null;

  @Field(() => String, { nullable: true, description: 'Description in English.' })
  descriptionEn?: string | null;

  @Field(() => [ServiceAttribute], { description: 'Values the resident gives (may be empty).' })
  attributes!: ServiceAttribute[];

  @Field(() => [RequiredDocument], { description: 'Documents (may be empty).' })
  documents!: RequiredDocument[];

  @Field(() => Int, {
    nullable: true,
    description: 'SLA in hours (1–8760); give this or slaWorkingDays.',
  })
  slaHours?: number | null;

  @Field(() => Int, { nullable: true, description: 'SLA in working days (1–365).' })
  slaWorkingDays?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Reopen window of complaints in days after the outcome (0–90); absent: 7.',
  })
  reopenDays?: number | null;

  @Field({ description: 'Whether the outcome is delivered to the door.' })
  doorstepDelivery!: boolean;

  @Field(() => String, {
    nullable: true,
    description:
      'Certificate type produced, e.g. `RES`; required for CERTIFICATE, refused otherwise.',
  })
  certificateTypeCode?: string | null;

  @Field(() => [String], {
    nullable: true,
    description:
      'Words residents use for it (at most 60, each 2–60 characters), e.g. `residence`, `basobas`, `বসবাসের সার্টিফিকেট`. Omitted: none.',
  })
  keywords?: string[] | null;
}

@InputType({ description: 'A new service type in the caller’s municipality.' })
export class CreateServiceTypeInput {
  @Field({ description: 'Stable code: 2–40 of A–Z, 0–9, _.' })
  code!: string;

  @Field(() => ServiceCategory, { description: 'Certificate, service or complaint.' })
  category!: ServiceCategory;

  @Field(() => ServiceDefinitionInput, { description: 'What it is and what it needs.' })
  definition!: ServiceDefinitionInput;
}

@InputType({ description: 'A new definition and/or activity of a service type.' })
export class UpdateServiceTypeInput {
  @Field(() => ID, { description: 'The service type.' })
  id!: string;

  @Field(() => Int, { description: 'The `version` read; a stale one answers CONFLICT.' })
  version!: number;

  @Field(() => ServiceDefinitionInput, {
    nullable: true,
    description: 'The whole new definition; it becomes the next definition version.',
  })
  definition?: ServiceDefinitionInput | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Take the type out of (or back into) service.',
  })
  active?: boolean | null;
}

@InputType({ description: 'Narrows the catalogue.' })
export class ServiceTypeFilter {
  @Field(() => ServiceCategory, { nullable: true, description: 'Only this category.' })
  category?: ServiceCategory | null;

  @Field(() => Boolean, { nullable: true, description: 'Only active (true) or inactive (false).' })
  active?: boolean | null;
}

@ObjectType({ description: 'Result of a service type mutation.' })
export class ServiceTypePayload {
  @Field(() => ServiceType, {
    nullable: true,
    description: 'The type as stored; null when refused.',
  })
  serviceType!: ServiceType | null;

  @Field(() => [UserError], { description: 'What to fix in the input; empty on success.' })
  errors!: UserError[];
}

@ObjectType({ description: 'A page of service types.' })
export class ServiceTypeConnection extends Connection(ServiceType, 'ServiceType') {}
