import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { UserError } from '../../common/errors/user-error.type';
import { Connection } from '../../common/pagination/connection.type';

export enum HelplineInboxStatus {
  PENDING = 'PENDING',
  DONE = 'DONE',
  PARKED = 'PARKED',
  DISCARDED = 'DISCARDED',
}
registerEnumType(HelplineInboxStatus, {
  name: 'HelplineInboxStatus',
  description: 'Where a stored WhatsApp webhook payload stands.',
  valuesMap: {
    PENDING: { description: 'Waiting to be processed, or to be tried again after a failure.' },
    DONE: { description: 'Processed.' },
    PARKED: { description: 'Failed every attempt; waits for an administrator.' },
    DISCARDED: { description: 'An administrator decided it needs no processing.' },
  },
});

@ObjectType({
  description:
    'A WhatsApp webhook payload as the helpline stored it: what it held and how processing went.',
})
export class HelplineInboxItem {
  @Field(() => ID, { description: 'Unique identifier.' })
  id!: string;

  @Field(() => HelplineInboxStatus, { description: 'Where it stands.' })
  status!: HelplineInboxStatus;

  @Field(() => ID, { nullable: true, description: 'The ward whose helpline was written to.' })
  wardId!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The sender’s WhatsApp id, masked but for its last four characters.',
  })
  senderMasked!: string | null;

  @Field(() => [String], { description: 'The message types it held (`text`, `image`, …).' })
  messageTypes!: string[];

  @Field(() => Int, { description: 'Delivery statuses it held.' })
  statusCount!: number;

  @Field(() => Int, { description: 'Processing attempts that failed.' })
  attempts!: number;

  @Field(() => String, { nullable: true, description: 'Why the last attempt failed.' })
  lastError!: string | null;

  @Field({ description: 'When the webhook was received.' })
  receivedAt!: Date;

  @Field({ description: 'When it is (or was) next tried.' })
  nextAttemptAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it was processed or discarded.' })
  processedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was parked.' })
  parkedAt!: Date | null;
}

@ObjectType({ description: 'A page of stored WhatsApp payloads, newest first.' })
export class HelplineInboxItemConnection extends Connection(
  HelplineInboxItem,
  'HelplineInboxItem',
) {}

@InputType({ description: 'Puts a parked or discarded payload back to be processed.' })
export class RetryHelplineInboxItemInput {
  @Field(() => ID, { description: 'The payload.' })
  id!: string;
}

@InputType({ description: 'Marks a parked payload as needing no processing.' })
export class DiscardHelplineInboxItemInput {
  @Field(() => ID, { description: 'The payload.' })
  id!: string;

  @Field({ description: 'Why (kept in the audit trail; 1–500 characters).' })
  reason!: string;
}

@ObjectType({ description: 'Result of retrying or discarding a stored payload.' })
export class HelplineInboxItemPayload {
  @Field(() => HelplineInboxItem, { nullable: true, description: 'The payload, as it now stands.' })
  item!: HelplineInboxItem | null;

  @Field(() => [UserError], { description: 'What to fix; empty on success.' })
  errors!: UserError[];
}
