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
import { canAccess } from '../common/access/access-control';
import { Allow } from '../common/access/access-policy.decorator';
import { Actor } from '../common/access/actor';
import { CurrentActor } from '../common/access/current-actor.decorator';
import { Permission } from '../common/access/permission';
import { GraphQLContext } from '../common/graphql/graphql-context';
import { PageArgs } from '../common/pagination/page.args';
import { ServiceRequest } from '../requests/entities/service-request.entity';
import {
  NotificationConnection,
  NotificationFilter,
  NotificationPayload,
  NotificationPreference,
  SetNotificationPreferenceInput,
} from './dto/notification.dto';
import {
  NotificationTemplate,
  NotificationTemplatePayload,
  SaveNotificationTemplateInput,
} from './dto/notification-template.dto';
import { Notification } from './entities/notification.entity';
import { NotificationLoaders } from './notification.loaders';
import { NotificationTemplatesService } from './notification-templates.service';
import { NotificationsService } from './notifications.service';

@Resolver(() => Notification)
export class NotificationsResolver {
  constructor(
    private readonly notificationsService: NotificationsService,
    private readonly templates: NotificationTemplatesService,
  ) {}

  @Query(() => NotificationConnection, {
    description: 'Messages sent (or being sent) in the caller’s wards, newest first.',
  })
  @Allow(Permission.RESIDENTS_READ)
  notifications(
    @CurrentActor() actor: Actor,
    @Args('filter', { type: () => NotificationFilter, nullable: true, description: 'Conditions.' })
    filter: NotificationFilter | null,
    @Args() { first, after }: PageArgs,
  ): Promise<NotificationConnection> {
    return this.notificationsService.list(actor, filter, first, after);
  }

  @Query(() => [NotificationTemplate], {
    description: 'The wording of every message in both languages, as sent now.',
  })
  @Allow(Permission.NOTIFICATIONS_MANAGE)
  notificationTemplates(@CurrentActor() actor: Actor) {
    return this.templates.list(actor);
  }

  @Mutation(() => NotificationTemplatePayload, {
    description:
      'Saves the municipality’s wording of a message; unknown variables are refused here, never at send time.',
  })
  @Allow(Permission.NOTIFICATIONS_MANAGE)
  saveNotificationTemplate(
    @CurrentActor() actor: Actor,
    @Args('input') input: SaveNotificationTemplateInput,
  ) {
    return this.templates.save(actor, input);
  }

  @Mutation(() => NotificationPayload, { description: 'Sends a FAILED notification again.' })
  @Allow(Permission.NOTIFICATIONS_MANAGE)
  retryNotification(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID, description: 'The notification.' }) id: string,
  ) {
    return this.notificationsService.retry(actor, id);
  }

  @Mutation(() => NotificationPreference, {
    description: 'Records a resident’s wish to get only critical messages (or all again).',
  })
  @Allow(Permission.RESIDENTS_WRITE)
  setNotificationPreference(
    @CurrentActor() actor: Actor,
    @Args('input') input: SetNotificationPreferenceInput,
  ) {
    return this.notificationsService.setPreference(actor, input.residentId, input.optOut);
  }
}

/** Adds the messages about a request to the request type (this module depends on requests). */
@Resolver(() => ServiceRequest)
export class RequestNotificationsResolver {
  constructor(private readonly loaders: NotificationLoaders) {}

  @ResolveField(() => [Notification], {
    description:
      'Messages about this request, oldest first (empty for callers who may not read residents).',
  })
  async notifications(
    @Parent() request: ServiceRequest,
    @Context() ctx: GraphQLContext,
    @CurrentActor() actor: Actor,
  ): Promise<Notification[]> {
    if (!canAccess(actor, request, Permission.RESIDENTS_READ)) return [];
    return ctx.loaders.get(this.loaders.byRequest).load(request.id);
  }
}
