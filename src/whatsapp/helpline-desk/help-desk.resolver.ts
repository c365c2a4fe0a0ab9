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
import { Allow } from '../../common/access/access-policy.decorator';
import { Actor } from '../../common/access/actor';
import { CurrentActor } from '../../common/access/current-actor.decorator';
import { Permission } from '../../common/access/permission';
import { GraphQLContext, LoaderFactory } from '../../common/graphql/graphql-context';
import { PageArgs } from '../../common/pagination/page.args';
import { Conversation } from '../entities/conversation.entity';
import { CannedRepliesService } from './canned-replies.service';
import {
  CannedReply,
  CannedReplyPayload,
  CreateCannedReplyInput,
  UpdateCannedReplyInput,
} from './dto/canned-reply.type';
import {
  AssignConversationInput,
  ConversationDesk,
  ConversationDeskPayload,
  ConversationRefInput,
  HelpDeskConversationConnection,
  HelpDeskFilter,
  LabelConversationInput,
} from './dto/desk.type';
import { HelplineEpisodesService } from './helpline-episodes.service';

/** The help desk: canned replies, assignment, labels, reading and closing conversations. */
@Resolver(() => Conversation)
export class HelpDeskResolver {
  private readonly deskLoader: LoaderFactory<string, ConversationDesk | null> = {
    create: () =>
      new DataLoader(async (ids) => {
        const found = await this.episodes.deskOf(ids);
        return ids.map((id) => found.get(id) ?? null);
      }),
  };

  constructor(
    private readonly episodes: HelplineEpisodesService,
    private readonly canned: CannedRepliesService,
  ) {}

  @Query(() => HelpDeskConversationConnection, {
    description:
      'Conversations handed to people in the caller’s wards, longest waiting first, by assignee, label, unanswered or waiting time.',
  })
  @Allow(Permission.RESIDENTS_READ)
  helpDeskConversations(
    @CurrentActor() actor: Actor,
    @Args('filter', { type: () => HelpDeskFilter, nullable: true, description: 'Conditions.' })
    filter: HelpDeskFilter | null,
    @Args() { first, after }: PageArgs,
  ) {
    return this.episodes.list(actor, filter, first, after);
  }

  @Mutation(() => ConversationDeskPayload, {
    description: 'Assigns a conversation to a coordinator or field agent of its ward (or nobody).',
  })
  @Allow(Permission.RESIDENTS_WRITE)
  assignConversation(@CurrentActor() actor: Actor, @Args('input') input: AssignConversationInput) {
    return this.episodes.assign(actor, input.conversationId, input.assigneeId);
  }

  @Mutation(() => ConversationDeskPayload, { description: 'Sets the labels of a conversation.' })
  @Allow(Permission.RESIDENTS_WRITE)
  labelConversation(@CurrentActor() actor: Actor, @Args('input') input: LabelConversationInput) {
    return this.episodes.label(actor, input.conversationId, input.labels);
  }

  @Mutation(() => ConversationDeskPayload, {
    description: 'Marks the resident’s messages so far as read (its unread count goes to 0).',
  })
  @Allow(Permission.RESIDENTS_WRITE)
  markConversationRead(@CurrentActor() actor: Actor, @Args('input') input: ConversationRefInput) {
    return this.episodes.markRead(actor, input.conversationId);
  }

  @Mutation(() => ConversationDeskPayload, {
    description:
      'Closes the episode (its response times count) and gives the conversation back to the bot.',
  })
  @Allow(Permission.RESIDENTS_WRITE)
  closeConversation(@CurrentActor() actor: Actor, @Args('input') input: ConversationRefInput) {
    return this.episodes.close(actor, input.conversationId);
  }

  @Query(() => [CannedReply], {
    description:
      'Canned replies of the municipality and the caller’s wards (one ward’s when asked).',
  })
  @Allow(Permission.RESIDENTS_READ)
  cannedReplies(
    @CurrentActor() actor: Actor,
    @Args('wardId', {
      type: () => ID,
      nullable: true,
      description: 'Only those usable in this ward.',
    })
    wardId: string | null,
  ) {
    return this.canned.list(actor, wardId);
  }

  @Mutation(() => CannedReplyPayload, {
    description: 'A new canned reply; its placeholders are checked.',
  })
  @Allow(Permission.RESIDENTS_WRITE)
  createCannedReply(@CurrentActor() actor: Actor, @Args('input') input: CreateCannedReplyInput) {
    return this.canned.create(actor, input);
  }

  @Mutation(() => CannedReplyPayload, { description: 'Changes a canned reply.' })
  @Allow(Permission.RESIDENTS_WRITE)
  updateCannedReply(@CurrentActor() actor: Actor, @Args('input') input: UpdateCannedReplyInput) {
    return this.canned.update(actor, input);
  }

  @ResolveField(() => ConversationDesk, {
    nullable: true,
    description: 'The help desk’s side: assignee, labels, waiting, unread, closing.',
  })
  desk(@Parent() conversation: Conversation, @Context() ctx: GraphQLContext) {
    return ctx.loaders.get(this.deskLoader).load(conversation.id);
  }
}
