import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { UserError } from '../../../common/errors/user-error.type';
import { Connection } from '../../../common/pagination/connection.type';
import { Conversation } from '../../entities/conversation.entity';

@ObjectType({ description: 'A staff member a conversation is assigned to.' })
export class DeskAssignee {
  @Field(() => ID, { description: 'The staff account.' })
  id!: string;

  @Field({ description: 'Their name.' })
  displayName!: string;
}

@ObjectType({
  description:
    'The help desk’s side of a conversation handed to people: the current episode (opened when it was handed over or assigned, ended by closing it).',
})
export class ConversationDesk {
  @Field(() => ID, { description: 'The episode.' })
  episodeId!: string;

  @Field(() => DeskAssignee, { nullable: true, description: 'Who has it.' })
  assignee!: DeskAssignee | null;

  @Field(() => [String], { description: 'The ward’s labels on it.' })
  labels!: string[];

  @Field({ description: 'When it was handed to people.' })
  openedAt!: Date;

  @Field(() => Date, {
    nullable: true,
    description: 'The oldest message of the resident no staff member has answered yet.',
  })
  waitingSince!: Date | null;

  @Field(() => Int, { description: 'Resident messages since staff last read it.' })
  unreadCount!: number;

  @Field(() => Date, { nullable: true, description: 'The first staff answer of the episode.' })
  firstResponseAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was escalated as overdue.' })
  escalatedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was closed.' })
  closedAt!: Date | null;

  @Field(() => Int, { description: 'Optimistic-locking version.' })
  version!: number;

  conversationId!: string;
}

@InputType({ description: 'Conditions on the help desk’s conversations.' })
export class HelpDeskFilter {
  @Field(() => ID, { nullable: true, description: 'Only this ward’s.' })
  wardId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only those assigned to this staff member.' })
  assigneeId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Only unassigned ones.' })
  unassigned?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Only those with this label.' })
  label?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Only those whose resident waits for an answer.',
  })
  unanswered?: boolean | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Only those whose resident has waited longer than this many minutes.',
  })
  waitingLongerThanMinutes?: number | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Closed episodes too (default: open only).',
  })
  includeClosed?: boolean | null;
}

@ObjectType({ description: 'A page of help desk conversations, longest waiting first.' })
export class HelpDeskConversationConnection extends Connection(
  Conversation,
  'HelpDeskConversation',
) {}

@InputType({ description: 'Who takes a conversation.' })
export class AssignConversationInput {
  @Field(() => ID, { description: 'The conversation.' })
  conversationId!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'A coordinator or field agent of its ward; null to unassign.',
  })
  assigneeId?: string | null;
}

@InputType({ description: 'The labels of a conversation (they replace the ones it had).' })
export class LabelConversationInput {
  @Field(() => ID, { description: 'The conversation.' })
  conversationId!: string;

  @Field(() => [String], { description: 'At most 10 labels of at most 40 characters.' })
  labels!: string[];
}

@InputType({ description: 'Names a conversation.' })
export class ConversationRefInput {
  @Field(() => ID, { description: 'The conversation.' })
  conversationId!: string;
}

@ObjectType({ description: 'Result of a help desk change.' })
export class ConversationDeskPayload {
  @Field(() => ConversationDesk, { nullable: true, description: 'The desk state as it is now.' })
  desk!: ConversationDesk | null;

  @Field(() => [UserError], { description: 'What to fix; empty on success.' })
  errors!: UserError[];
}
