import { Field, InputType, Int } from '@nestjs/graphql';
import { CouncillorStatus } from '../entities/councillor-status.enum';
import { ServiceHoursInput } from './service-hours.input';

@InputType({ description: 'A new ward in the caller’s municipality.' })
export class CreateWardInput {
  @Field(() => Int, { description: 'Ward number (1–999), unique within the municipality.' })
  number!: number;

  @Field({ description: 'Name in Bengali (1–200 characters).' })
  nameBn!: string;

  @Field({ description: 'Name in English (1–200 characters).' })
  nameEn!: string;

  @Field(() => CouncillorStatus, { nullable: true, description: 'Defaults to ELECTED.' })
  councillorStatus?: CouncillorStatus | null;

  @Field(() => String, { nullable: true, description: 'Date (YYYY-MM-DD) the status holds since.' })
  councillorStatusSince?: string | null;

  @Field(() => String, { nullable: true, description: 'Free note (up to 1000 characters).' })
  councillorStatusNote?: string | null;

  @Field(() => Int, { nullable: true, description: 'Approximate number of residents (0 or more).' })
  population?: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Helpline WhatsApp number, any local form (`+91`, `0`, Bengali digits).',
  })
  helplineWhatsappNumber?: string | null;

  @Field(() => String, { nullable: true, description: 'WhatsApp Cloud API `phone_number_id`.' })
  whatsappPhoneNumberId?: string | null;

  @Field(() => ServiceHoursInput, { nullable: true, description: 'Defaults to 24×7.' })
  serviceHours?: ServiceHoursInput | null;
}
