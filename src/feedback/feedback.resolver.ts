import { Args, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { canAccess } from '../common/access/access-control';
import { Allow } from '../common/access/access-policy.decorator';
import { Actor } from '../common/access/actor';
import { CurrentActor } from '../common/access/current-actor.decorator';
import { Permission } from '../common/access/permission';
import { RequestPayload } from '../requests/dto/request.payloads';
import { ServiceRequest } from '../requests/entities/service-request.entity';
import { ReopenRequestInput } from './dto/feedback.dto';
import { FeedbackService } from './feedback.service';
import { RequestFeedback } from './request-feedback.entity';

@Resolver(() => ServiceRequest)
export class RequestFeedbackResolver {
  constructor(private readonly feedbackService: FeedbackService) {}

  @ResolveField(() => RequestFeedback, {
    nullable: true,
    description:
      'The resident’s rating, asked once the request was delivered or resolved; null before.',
  })
  feedback(
    @Parent() request: ServiceRequest,
    @CurrentActor() actor: Actor,
  ): Promise<RequestFeedback | null> | null {
    if (!canAccess(actor, request, Permission.REQUESTS_READ)) return null;
    return this.feedbackService.feedbackOf(request.id);
  }

  @Mutation(() => RequestPayload, {
    description:
      'Sends a resolved complaint back to review within 7 days of its outcome, with the reason: the SLA restarts and the ward’s coordinators are told. A certificate is not reopened (a correction is reissued).',
  })
  @Allow(Permission.REQUESTS_WRITE)
  reopenRequest(
    @CurrentActor() actor: Actor,
    @Args('input') input: ReopenRequestInput,
  ): Promise<RequestPayload> {
    return this.feedbackService.reopen(actor, input);
  }
}
