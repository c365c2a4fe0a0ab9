import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from '../../common/pagination/connection.type';
import { UserError } from '../../common/errors/user-error.type';

export enum AnnouncementStatus {
  PENDING_APPROVAL = 'PENDING_APPROVAL',
  DRAFT = 'DRAFT',
  SCHEDULED = 'SCHEDULED',
  SENDING = 'SENDING',
  PAUSED = 'PAUSED',
  SENT = 'SENT',
  CANCELLED = 'CANCELLED',
}
registerEnumType(AnnouncementStatus, {
  name: 'AnnouncementStatus',
  description: 'Where an announcement is.',
  valuesMap: {
    PENDING_APPROVAL: {
      description: 'Municipality-wide: waits for a second administrator’s approval.',
    },
    DRAFT: { description: 'Ready to be scheduled.' },
    SCHEDULED: { description: 'Will start at `sendAt`.' },
    SENDING: {
      description:
        'Going out at the messaging tier’s pace (`pausedUntil` set while Meta asks us to slow down).',
    },
    PAUSED: { description: 'Paused by staff; nothing more goes out until resumed.' },
    SENT: { description: 'Every recipient’s message has an outcome.' },
    CANCELLED: { description: 'Cancelled; messages not yet sent never will be.' },
  },
});

@ObjectType({ description: 'How many messages of an announcement failed for one reason.' })
export class AnnouncementFailure {
  @Field({ description: 'The provider’s error code (e.g. `131026`), or `CANCELLED`.' })
  code!: string;

  @Field(() => Int, { description: 'Messages that failed with it.' })
  count!: number;
}

@ObjectType({ description: 'Progress of an announcement, per message status.' })
export class AnnouncementProgress {
  @Field(() => Int, { description: 'Residents in the audience when sending started.' })
  recipients!: number;

  @Field(() => Int, {
    description: 'Waiting: not yet handed to the outbox (paced) or queued in it.',
  })
  queued!: number;

  @Field(() => Int, { description: 'Accepted by the provider (not yet delivered).' })
  sent!: number;

  @Field(() => Int, { description: 'Delivered to the phone (not yet read).' })
  delivered!: number;

  @Field(() => Int, { description: 'Read.' })
  read!: number;

  @Field(() => Int, { description: 'Failed for good.' })
  failed!: number;

  @Field(() => [AnnouncementFailure], { description: 'Failures by reason.' })
  failedByReason!: AnnouncementFailure[];

  @Field(() => Int, { description: 'Replies residents sent to it.' })
  replies!: number;
}

@ObjectType({ description: 'A message from the ward (or the municipality) to its residents.' })
export class Announcement {
  @Field(() => ID, { description: 'Unique identifier.' })
  id!: string;

  @Field(() => [ID], { description: 'The wards it goes to.' })
  wardIds!: string[];

  @Field({ description: 'Sent to every ward of the municipality.' })
  wholeMunicipality!: boolean;

  @Field(() => String, { nullable: true, description: 'Only residents of this locality.' })
  locality!: string | null;

  @Field(() => [ID], {
    description: 'Only residents with an open request of these services (empty: everyone).',
  })
  serviceTypeIds!: string[];

  @Field({ description: 'The Bengali text.' })
  textBn!: string;

  @Field({ description: 'The English text.' })
  textEn!: string;

  @Field(() => AnnouncementStatus, { description: 'Where it is.' })
  status!: AnnouncementStatus;

  @Field({ description: 'Needs a second administrator’s approval (municipality-wide).' })
  needsApproval!: boolean;

  @Field({ description: 'Who wrote it.' })
  createdByName!: string;

  createdById!: string | null;

  @Field(() => String, { nullable: true, description: 'Who approved it.' })
  approvedByName!: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was approved.' })
  approvedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it starts (or started) going out.' })
  sendAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When every message had an outcome.' })
  finishedAt!: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'Held back until then after Meta’s rate-limit or quality error.',
  })
  pausedUntil!: Date | null;

  @Field(() => String, { nullable: true, description: 'Why it was last held back.' })
  pauseReason!: string | null;

  @Field(() => Int, { description: 'How often it was held back by Meta’s errors.' })
  pauses!: number;

  @Field(() => Int, { description: 'Optimistic-locking version.' })
  version!: number;

  @Field({ description: 'When it was written.' })
  createdAt!: Date;

  municipalityId!: string;
}

@ObjectType({ description: 'A page of announcements, newest first.' })
export class AnnouncementConnection extends Connection(Announcement, 'Announcement') {}

@ObjectType({ description: 'Result of changing an announcement.' })
export class AnnouncementPayload {
  @Field(() => Announcement, { nullable: true, description: 'The announcement as it is now.' })
  announcement!: Announcement | null;

  @Field(() => [UserError], { description: 'What to fix; empty on success.' })
  errors!: UserError[];
}

@ObjectType({ description: 'Who an announcement would reach, counted exactly, per channel.' })
export class AnnouncementAudience {
  @Field(() => Int, { description: 'Residents it would reach (WhatsApp + SMS).' })
  total!: number;

  @Field(() => Int, { description: 'On WhatsApp (approved template).' })
  whatsapp!: number;

  @Field(() => Int, { description: 'By SMS (no WhatsApp, or the ward has no helpline).' })
  sms!: number;

  @Field(() => Int, { description: 'Of those on WhatsApp, in Bengali.' })
  whatsappBn!: number;

  @Field(() => Int, { description: 'Of those on WhatsApp, in English.' })
  whatsappEn!: number;

  @Field(() => Int, { description: 'Of those by SMS, in Bengali.' })
  smsBn!: number;

  @Field(() => Int, { description: 'Of those by SMS, in English.' })
  smsEn!: number;

  @Field(() => Int, { description: 'Left out: they opted out of announcements.' })
  optedOut!: number;

  @Field(() => Int, { description: 'Left out: neither WhatsApp nor a phone number.' })
  unreachable!: number;
}

@ObjectType({ description: 'Result of an audience preview.' })
export class AnnouncementAudiencePayload {
  @Field(() => AnnouncementAudience, { nullable: true, description: 'The counts.' })
  audience!: AnnouncementAudience | null;

  @Field(() => [UserError], { description: 'What to fix; empty on success.' })
  errors!: UserError[];
}
