import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { ServiceHoursInput } from './service-hours.input';

@InputType({
  description:
    'Changes to a ward. Omitted fields stay as they are; `null` clears an optional field.',
})
export class UpdateWardInput {
  @Field(() => ID, { description: 'The ward to change.' })
  id!: string;

  @Field(() => Int, { description: 'The `version` read; a stale one is refused with CONFLICT.' })
  version!: number;

  @Field(() => Int, { nullable: true, description: 'New ward number.' })
  number?: number | null;

  @Field(() => String, { nullable: true, description: 'New Bengali name.' })
  nameBn?: string | null;

  @Field(() => String, { nullable: true, description: 'New English name.' })
  nameEn?: string | null;

  @Field(() => Int, { nullable: true, description: 'Approximate number of residents.' })
  population?: number | null;

  @Field(() => String, { nullable: true, description: 'Helpline WhatsApp number.' })
  helplineWhatsappNumber?: string | null;

  @Field(() => String, { nullable: true, description: 'WhatsApp Cloud API `phone_number_id`.' })
  whatsappPhoneNumberId?: string | null;

  @Field(() => ServiceHoursInput, { nullable: true, description: 'New service hours.' })
  serviceHours?: ServiceHoursInput | null;
}
