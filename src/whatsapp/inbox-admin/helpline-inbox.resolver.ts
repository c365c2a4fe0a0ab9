import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Allow } from '../../common/access/access-policy.decorator';
import { Actor } from '../../common/access/actor';
import { CurrentActor } from '../../common/access/current-actor.decorator';
import { Permission } from '../../common/access/permission';
import { PageArgs } from '../../common/pagination/page.args';
import { HelplineInboxAdminService } from './helpline-inbox-admin.service';
import {
  DiscardHelplineInboxItemInput,
  HelplineInboxItem,
  HelplineInboxItemConnection,
  HelplineInboxItemPayload,
  HelplineInboxStatus,
  RetryHelplineInboxItemInput,
} from './helpline-inbox-item.dto';

@Resolver(() => HelplineInboxItem)
export class HelplineInboxResolver {
  constructor(private readonly admin: HelplineInboxAdminService) {}

  @Query(() => HelplineInboxItemConnection, {
    description:
      'Stored WhatsApp webhook payloads of the caller’s helplines, newest first: by default the parked ones, with why they failed.',
  })
  @Allow(Permission.NOTIFICATIONS_MANAGE)
  helplineInbox(
    @CurrentActor() actor: Actor,
    @Args('status', {
      type: () => HelplineInboxStatus,
      defaultValue: HelplineInboxStatus.PARKED,
      description: 'Which ones.',
    })
    status: HelplineInboxStatus,
    @Args() { first, after }: PageArgs,
  ) {
    return this.admin.list(actor, status, first, after);
  }

  @Mutation(() => HelplineInboxItemPayload, {
    description: 'Processes a parked (or discarded) payload again from its first attempt.',
  })
  @Allow(Permission.NOTIFICATIONS_MANAGE)
  retryHelplineInboxItem(
    @CurrentActor() actor: Actor,
    @Args('input') input: RetryHelplineInboxItemInput,
  ) {
    return this.admin.retry(actor, input.id);
  }

  @Mutation(() => HelplineInboxItemPayload, {
    description: 'Marks a parked payload as needing no processing, with the reason.',
  })
  @Allow(Permission.NOTIFICATIONS_MANAGE)
  discardHelplineInboxItem(
    @CurrentActor() actor: Actor,
    @Args('input') input: DiscardHelplineInboxItemInput,
  ) {
    return this.admin.discard(actor, input);
  }
}
