import { Field, ID, ObjectType } from '@nestjs/graphql';
import { RequestAction, RequestStatus } from '../../requests/entities/request-enums';

@ObjectType({ description: 'Something that just happened to a request, for the live queue.' })
export class RequestEventMessage {
  @Field(() => ID, { description: 'The domain event.' })
  id!: string;

  @Field({
    description:
      '`request.created`, `request.status_changed`, `request.assigned` or `request.sla_breached`.',
  })
  type!: string;

  @Field(() => ID, { description: 'The request.' })
  requestId!: string;

  @Field(() => ID, { description: 'Its ward.' })
  wardId!: string;

  @Field(() => String, { nullable: true, description: 'Its tracking number.' })
  trackingNumber!: string | null;

  @Field(() => RequestStatus, { nullable: true, description: 'Its status after the event.' })
  status!: RequestStatus | null;

  @Field(() => RequestStatus, { nullable: true, description: 'Status before (status changes).' })
  from!: RequestStatus | null;

  @Field(() => RequestAction, {
    nullable: true,
    description: 'The workflow step (status changes).',
  })
  action!: RequestAction | null;

  @Field(() => ID, { nullable: true, description: 'New assignee (assignments).' })
  assigneeId!: string | null;

  @Field({ description: 'When it was published.' })
  occurredAt!: Date;
}
