import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { UserError } from '../../common/errors/user-error.type';
import { NotificationLanguage } from '../../notifications/entities/notification-enums';

/** Meta's messaging limit tiers: unique residents a business number may start talks with per 24 h. */
export enum MessagingTier {
  TIER_250 = 'TIER_250',
  TIER_1K = 'TIER_1K',
  TIER_10K = 'TIER_10K',
  TIER_100K = 'TIER_100K',
  UNLIMITED = 'UNLIMITED',
}
registerEnumType(MessagingTier, {
  name: 'MessagingTier',
  description:
    'Meta’s messaging limit tier of the helpline numbers: how many residents templates may reach in 24 hours.',
});

export const TIER_LIMITS: Record<MessagingTier, number> = {
  TIER_250: 250,
  TIER_1K: 1_000,
  TIER_10K: 10_000,
  TIER_100K: 100_000,
  UNLIMITED: Number.MAX_SAFE_INTEGER,
};

@ObjectType({ description: 'The approved templates of one language.' })
export class AnnouncementTemplate {
  @Field(() => NotificationLanguage, { description: 'The language.' })
  language!: NotificationLanguage;

  @Field({ description: 'Approved WhatsApp template (UTILITY); its one parameter is the text.' })
  whatsappTemplateName!: string;

  @Field(() => String, { nullable: true, description: 'DLT template id for SMS.' })
  smsDltTemplateId!: string | null;
}

@ObjectType({ description: 'How a municipality’s announcements go out.' })
export class AnnouncementSettings {
  @Field(() => MessagingTier, { description: 'Messaging limit tier of its helpline numbers.' })
  messagingTier!: MessagingTier;

  @Field(() => Int, { description: 'Residents one helpline may reach in 24 hours.' })
  dailyLimit!: number;

  @Field(() => [AnnouncementTemplate], { description: 'Templates per language.' })
  templates!: AnnouncementTemplate[];
}

@ObjectType({ description: 'Result of saving the announcement settings.' })
export class AnnouncementSettingsPayload {
  @Field(() => AnnouncementSettings, { nullable: true, description: 'The settings saved.' })
  settings!: AnnouncementSettings | null;

  @Field(() => [UserError], { description: 'What to fix; empty on success.' })
  errors!: UserError[];
}
