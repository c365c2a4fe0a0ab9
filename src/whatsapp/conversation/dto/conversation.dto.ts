import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { UserError } from '../../../common/errors/user-error.type';
import { Connection } from '../../../common/pagination/connection.type';
import { Conversation, ConversationStatus } from '../../entities/conversation.entity';
import { WhatsAppMessage } from '../../entities/whatsapp-message.entity';

@InputType({ description: 'Conditions on conversations.' })
export class ConversationFilter {
  @Field(() => ID, { nullable: true, description: 'Only this ward’s helpline.' })
  wardId?: string | null;

  @Field(() => ConversationStatus, { nullable: true, description: 'Only BOT or HUMAN ones.' })
  status?: ConversationStatus | null;
}

@ObjectType({ description: 'A page of conversations, most recently active first.' })
export class ConversationConnection extends Connection(Conversation, 'Conversation') {}

@InputType({ description: 'A message from a coordinator to a resident.' })
export class SendMessageToResidentInput {
  @Field(() => ID, { description: 'The resident.' })
  residentId!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The text (at most 4,096 characters); or leave it out and name a canned reply.',
  })
  text?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'A canned reply to send instead of a text, filled in for the resident.',
  })
  cannedReplyId?: string | null;
}

@ObjectType({ description: 'Result of sending a message.' })
export class SendMessagePayload {
  @Field(() => WhatsAppMessage, { nullable: true, description: 'The message, queued to send.' })
  message!: WhatsAppMessage | null;

  @Field(() => [UserError], { description: 'What to fix; empty on success.' })
  errors!: UserError[];
}

@InputType({ description: 'Gives a conversation back to the bot.' })
export class HandBackConversationInput {
  @Field(() => ID, { description: 'The conversation.' })
  conversationId!: string;
}
