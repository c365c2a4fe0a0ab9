import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { UserError } from '../../common/errors/user-error.type';
import { Connection } from '../../common/pagination/connection.type';
import { NotificationChannel, NotificationStatus } from '../entities/notification-enums';
import { Notification } from '../entities/notification.entity';

@InputType({ description: 'Conditions on notifications; all given must hold.' })
export class NotificationFilter {
  @Field(() => ID, { nullable: true, description: 'About this request.' })
  requestId?: string | null;

  @Field(() => ID, { nullable: true, description: 'To or about this resident.' })
  residentId?: string | null;

  @Field(() => [NotificationStatus], { nullable: true, description: 'In these statuses.' })
  statuses?: NotificationStatus[] | null;

  @Field(() => NotificationChannel, { nullable: true, description: 'Through this channel.' })
  channel?: NotificationChannel | null;
}

@ObjectType({ description: 'A page of notifications, newest first.' })
export class NotificationConnection extends Connection(Notification, 'Notification') {}

@ObjectType({ description: 'Result of a notification mutation.' })
export class NotificationPayload {
  @Field(() => Notification, { nullable: true, description: 'The notification.' })
  notification!: Notification | null;

  @Field(() => [UserError], { description: 'What to fix; empty on success.' })
  errors!: UserError[];
}

@InputType({ description: 'Whether a resident receives non-essential messages.' })
export class SetNotificationPreferenceInput {
  @Field(() => ID, { description: 'The resident.' })
  residentId!: string;

  @Field({
    description: 'True: only critical messages (codes, rejections, requests for information).',
  })
  optOut!: boolean;
}

@ObjectType({ description: 'A resident’s message preference.' })
export class NotificationPreference {
  @Field(() => ID, { description: 'The resident.' })
  residentId!: string;

  @Field({ description: 'Only critical messages are sent.' })
  optedOut!: boolean;
}
