import {
  Args,
  Context,
  ID,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import DataLoader from 'dataloader';
import { canAccess } from '../../common/access/access-control';
import { Allow } from '../../common/access/access-policy.decorator';
import { Actor } from '../../common/access/actor';
import { CurrentActor } from '../../common/access/current-actor.decorator';
import { Permission } from '../../common/access/permission';
import { GraphQLContext, groupByKeys, LoaderFactory } from '../../common/graphql/graphql-context';
import { PageArgs } from '../../common/pagination/page.args';
import { Resident } from '../../residents/entities/resident.entity';
import { ResidentLoaders } from '../../residents/resident.loaders';
import { Conversation } from '../entities/conversation.entity';
import { WhatsAppMessage } from '../entities/whatsapp-message.entity';
import { StaffConversationsService } from './staff-conversations.service';
import {
  ConversationFilter,
  ConversationConnection,
  SendMessageToResidentInput,
  SendMessagePayload,
  HandBackConversationInput,
} from './dto/conversation.dto';

@Resolver(() => Conversation)
export class ConversationsResolver {
  private readonly messagesByConversation: LoaderFactory<string, WhatsAppMessage[]> = {
    create: () =>
      new DataLoader(async (ids) =>
        groupByKeys(
          ids,
          await this.conversations.messagesOf(ids),
          (m) => m.conversationId as string,
        ),
      ),
  };

  constructor(
    private readonly conversations: StaffConversationsService,
    private readonly residentLoaders: ResidentLoaders,
  ) {}

  @Query(() => ConversationConnection, {
    description: 'Helpline conversations of the caller’s wards, most recently active first.',
  })
  @Allow(Permission.RESIDENTS_READ)
  helplineConversations(
    @CurrentActor() actor: Actor,
    @Args('filter', { type: () => ConversationFilter, nullable: true, description: 'Conditions.' })
    filter: ConversationFilter | null,
    @Args() { first, after }: PageArgs,
  ) {
    return this.conversations.list(actor, filter, first, after);
  }

  @Query(() => Conversation, {
    description: 'One conversation; NOT_FOUND outside the caller’s wards.',
  })
  @Allow(Permission.RESIDENTS_READ)
  helplineConversation(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID, description: 'The conversation.' }) id: string,
  ) {
    return this.conversations.get(actor, id);
  }

  @Mutation(() => SendMessagePayload, {
    description: 'Writes to a resident on WhatsApp; refused outside the 24-hour window.',
  })
  @Allow(Permission.RESIDENTS_WRITE)
  sendMessageToResident(
    @CurrentActor() actor: Actor,
    @Args('input') input: SendMessageToResidentInput,
  ) {
    return this.conversations.send(actor, input);
  }

  @Mutation(() => Conversation, { description: 'Hands a conversation back to the bot.' })
  @Allow(Permission.RESIDENTS_WRITE)
  handBackConversation(
    @CurrentActor() actor: Actor,
    @Args('input') input: HandBackConversationInput,
  ) {
    return this.conversations.handBack(actor, input.conversationId);
  }

  @ResolveField(() => [WhatsAppMessage], { description: 'The thread, oldest first.' })
  messages(@Parent() conversation: Conversation, @Context() ctx: GraphQLContext) {
    return ctx.loaders.get(this.messagesByConversation).load(conversation.id);
  }

  @ResolveField(() => Resident, { nullable: true, description: 'The resident.' })
  async resident(
    @Parent() conversation: Conversation,
    @Context() ctx: GraphQLContext,
    @CurrentActor() actor: Actor,
  ): Promise<Resident | null> {
    const resident = await ctx.loaders
      .get(this.residentLoaders.residentById)
      .load(conversation.residentId);
    return resident && canAccess(actor, resident, Permission.RESIDENTS_READ) ? resident : null;
  }
}
