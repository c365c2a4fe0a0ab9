import { Field, InputType, ObjectType } from '@nestjs/graphql';
import { UserError } from '../../common/errors/user-error.type';
import { NotificationLanguage } from '../entities/notification-enums';

@ObjectType({ description: 'The wording of one message in one language, as it is sent now.' })
export class NotificationTemplate {
  @Field({ description: 'Which message, e.g. `request_received`.' })
  templateKey!: string;

  @Field(() => NotificationLanguage, { description: 'Language.' })
  language!: NotificationLanguage;

  @Field(() => [String], { description: 'Variables the text may use as `{{name}}`.' })
  variables!: string[];

  @Field({ description: 'Sent even to residents who opted out.' })
  critical!: boolean;

  @Field({ description: 'Text sent inside the 24-hour window.' })
  body!: string;

  @Field({ description: 'Approved WhatsApp template sent outside the window.' })
  whatsappTemplateName!: string;

  @Field(() => [String], {
    description: 'Variables filling the template’s placeholders, in order.',
  })
  whatsappTemplateParams!: string[];

  @Field(() => String, {
    nullable: true,
    description:
      'TRAI DLT template id (19 digits) this wording is registered under, for SMS; null: none (SMS refused in production).',
  })
  dltTemplateId!: string | null;

  @Field({ description: 'True: the shipped default; false: the municipality’s own.' })
  isDefault!: boolean;
}

@InputType({ description: 'A municipality’s wording of one message in one language.' })
export class SaveNotificationTemplateInput {
  @Field({ description: 'Which message (see `notificationTemplates`).' })
  templateKey!: string;

  @Field(() => NotificationLanguage, { description: 'Language.' })
  language!: NotificationLanguage;

  @Field({ description: 'Text with `{{variables}}` (at most 1,000 characters).' })
  body!: string;

  @Field({ description: 'Name of the approved WhatsApp template in this language.' })
  whatsappTemplateName!: string;

  @Field(() => [String], { description: 'Variables for the template’s placeholders, in order.' })
  whatsappTemplateParams!: string[];

  @Field(() => String, {
    nullable: true,
    description:
      'TRAI DLT template id (19 digits) under which exactly this text is registered, for SMS.',
  })
  dltTemplateId?: string | null;
}

@ObjectType({ description: 'Result of saving a template.' })
export class NotificationTemplatePayload {
  @Field(() => NotificationTemplate, { nullable: true, description: 'The saved wording.' })
  template!: NotificationTemplate | null;

  @Field(() => [UserError], { description: 'What to fix; empty on success.' })
  errors!: UserError[];
}
