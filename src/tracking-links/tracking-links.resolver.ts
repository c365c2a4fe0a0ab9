import { Args, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { canAccess } from '../common/access/access-control';
import { Allow } from '../common/access/access-policy.decorator';
import { Actor } from '../common/access/actor';
import { CurrentActor } from '../common/access/current-actor.decorator';
import { Permission } from '../common/access/permission';
import { ServiceRequest } from '../requests/entities/service-request.entity';
import {
  RevokeTrackingLinkInput,
  RevokeTrackingLinkPayload,
  TrackingLinkType,
} from './dto/tracking-link.dto';
import { TrackingLinksService } from './tracking-links.service';

/** The request's public link, for staff who read it out to a resident on the phone. */
@Resolver(() => ServiceRequest)
export class RequestTrackingLinkResolver {
  constructor(private readonly links: TrackingLinksService) {}

  @ResolveField(() => TrackingLinkType, {
    nullable: true,
    description:
      'The resident’s tracking page (no account needed); issued on first read; null for callers who may not read the request.',
  })
  async trackingLink(
    @Parent() request: ServiceRequest,
    @CurrentActor() actor: Actor,
  ): Promise<TrackingLinkType | null> {
    if (!canAccess(actor, request, Permission.REQUESTS_READ)) return null;
    return this.links.linkFor(this.links.manager, request);
  }
}

@Resolver()
export class TrackingLinksResolver {
  constructor(private readonly links: TrackingLinksService) {}

  @Mutation(() => RevokeTrackingLinkPayload, {
    description:
      'Revokes a request’s tracking link (it was shared too widely) and issues a new one; the old one opens a plain page.',
  })
  @Allow(Permission.REQUESTS_WRITE)
  async revokeTrackingLink(
    @CurrentActor() actor: Actor,
    @Args('input') input: RevokeTrackingLinkInput,
  ): Promise<RevokeTrackingLinkPayload> {
    return { trackingLink: await this.links.revoke(actor, input.requestId), errors: [] };
  }
}
