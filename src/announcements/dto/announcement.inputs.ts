import { Field, ID, InputType } from '@nestjs/graphql';
import { MessagingTier } from './announcement-settings.type';
import { NotificationLanguage } from '../../notifications/entities/notification-enums';

@InputType({ description: 'Who an announcement goes to.' })
export class AnnouncementAudienceInput {
  @Field(() => [ID], {
    nullable: true,
    description:
      'The wards (a coordinator: exactly one of their own). Empty with `wholeMunicipality`.',
  })
  wardIds?: string[] | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Every ward of the municipality (administrators).',
  })
  wholeMunicipality?: boolean | null;

  @Field(() => String, {
    nullable: true,
    description: 'Only residents whose address is in this locality (case and spaces ignored).',
  })
  locality?: string | null;

  @Field(() => [ID], {
    nullable: true,
    description: 'Only residents with an open request of one of these services.',
  })
  serviceTypeIds?: string[] | null;
}

@InputType({ description: 'A new announcement.' })
export class CreateAnnouncementInput extends AnnouncementAudienceInput {
  @Field({ description: 'The Bengali text (at most 1,000 characters).' })
  textBn!: string;

  @Field({ description: 'The English text (at most 1,000 characters).' })
  textEn!: string;
}

@InputType({ description: 'Names an announcement (and the version read, if checked).' })
export class AnnouncementRefInput {
  @Field(() => ID, { description: 'The announcement.' })
  id!: string;
}

@InputType({ description: 'When an announcement starts going out.' })
export class ScheduleAnnouncementInput {
  @Field(() => ID, { description: 'The announcement.' })
  id!: string;

  @Field(() => Date, { nullable: true, description: 'When to start; now when left out.' })
  sendAt?: Date | null;
}

@InputType({ description: 'An approved WhatsApp template and SMS DLT template for one language.' })
export class AnnouncementTemplateInput {
  @Field(() => NotificationLanguage, { description: 'The language.' })
  language!: NotificationLanguage;

  @Field({
    description:
      'Name of the approved WhatsApp template (UTILITY category) whose one body parameter is the text.',
  })
  whatsappTemplateName!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The DLT template id registered for SMS in this language.',
  })
  smsDltTemplateId?: string | null;
}

@InputType({ description: 'The municipality’s announcement settings.' })
export class SaveAnnouncementSettingsInput {
  @Field(() => MessagingTier, { description: 'The helpline numbers’ messaging limit tier.' })
  messagingTier!: MessagingTier;

  @Field(() => [AnnouncementTemplateInput], { description: 'One per language.' })
  templates!: AnnouncementTemplateInput[];
}

@InputType({ description: 'Which announcements to list.' })
export class AnnouncementFilter {
  @Field(() => ID, { nullable: true, description: 'Only those reaching this ward.' })
  wardId?: string | null;
}
