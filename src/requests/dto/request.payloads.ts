import { Field, ObjectType } from '@nestjs/graphql';
import { UserError } from '../../common/errors/user-error.type';
import { Connection } from '../../common/pagination/connection.type';
import { RequestAttachment } from '../entities/request-attachment.entity';
import { ServiceRequest } from '../entities/service-request.entity';
import { TimelineEntry } from '../entities/timeline-entry.entity';

@ObjectType({ description: 'Result of a request mutation.' })
export class RequestPayload {
  @Field(() => ServiceRequest, { nullable: true, description: 'The request, when it succeeded.' })
  request!: ServiceRequest | null;

  @Field(() => [UserError], { description: 'What to fix; empty on success.' })
  errors!: UserError[];
}

@ObjectType({ description: 'Result of adding a note or comment.' })
export class TimelineEntryPayload {
  @Field(() => TimelineEntry, { nullable: true, description: 'The new entry.' })
  entry!: TimelineEntry | null;

  @Field(() => [UserError], { description: 'What to fix; empty on success.' })
  errors!: UserError[];
}

@ObjectType({ description: 'Result of attaching a file.' })
export class RequestAttachmentPayload {
  @Field(() => RequestAttachment, { nullable: true, description: 'The attachment.' })
  attachment!: RequestAttachment | null;

  @Field(() => [UserError], { description: 'What to fix; empty on success.' })
  errors!: UserError[];
}

@ObjectType({ description: 'A page of requests.' })
export class RequestConnection extends Connection(ServiceRequest, 'ServiceRequest') {}

@ObjectType({ description: 'A page of a request’s timeline, oldest first.' })
export class TimelineConnection extends Connection(TimelineEntry, 'TimelineEntry') {}
