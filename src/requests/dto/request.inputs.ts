import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import {
  AttachmentKind,
  AttachmentSource,
  RequestAction,
  RequestChannel,
  RequestPriority,
  RequestStatus,
} from '../entities/request-enums';
import { ServiceCategory } from '../entities/service-definition';
import { registerEnumType } from '@nestjs/graphql';

@InputType({ description: 'A file to attach: a reference to stored media, not the bytes.' })
export class AttachmentInput {
  @Field(() => AttachmentKind, { description: 'What the file is.' })
  kind!: AttachmentKind;

  @Field(() => AttachmentSource, { description: 'Where it came from.' })
  source!: AttachmentSource;

  @Field({ description: 'WhatsApp media id or storage key, per `source`.' })
  mediaRef!: string;

  @Field({ description: 'MIME type, e.g. `image/jpeg` or `application/pdf`.' })
  mimeType!: string;

  @Field(() => Int, { description: 'Size in bytes (at most 100 MB).' })
  sizeBytes!: number;

  @Field({ description: 'SHA-256 of the content, 64 hex characters.' })
  sha256!: string;

  @Field(() => String, { nullable: true, description: 'Caption.' })
  caption?: string | null;
}

@InputType({ description: 'A request made on a resident’s behalf.' })
export class CreateRequestInput {
  @Field(() => ID, { description: 'The resident asking; the request goes to their ward.' })
  residentId!: string;

  @Field(() => ID, { description: 'The service asked for (an active type of the catalogue).' })
  serviceTypeId!: string;

  @Field(() => RequestChannel, {
    nullable: true,
    description:
      'How it reached the ward: PHONE_CALL (default) or WALK_IN for staff; API clients always get API.',
  })
  channel?: RequestChannel | null;

  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description: 'Answers keyed by attribute code; numbers and dates may use Bengali digits.',
  })
  attributes?: Record<string, unknown> | null;

  @Field(() => String, { nullable: true, description: 'Free text (at most 5,000 characters).' })
  description?: string | null;

  @Field(() => [AttachmentInput], { nullable: true, description: 'Files (at most 20).' })
  attachments?: AttachmentInput[] | null;

  @Field(() => RequestPriority, { nullable: true, description: 'Default NORMAL.' })
  priority?: RequestPriority | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Makes retries safe: the same key with the same input returns the first result; with other input, CONFLICT. Kept 48 hours; private to the caller.',
  })
  idempotencyKey?: string | null;
}

@InputType({ description: 'A workflow step on a request.' })
export class TransitionRequestInput {
  @Field(() => ID, { description: 'The request.' })
  requestId!: string;

  @Field(() => RequestAction, { description: 'The step to take.' })
  action!: RequestAction;

  @Field(() => Int, { description: 'The version read; a stale one answers CONFLICT.' })
  version!: number;

  @Field(() => String, {
    nullable: true,
    description:
      'Reason or note; required by REQUEST_INFO, REJECT, RETURN_UNDELIVERED, RESOLVE, REOPEN.',
  })
  note?: string | null;
}

@InputType({ description: 'Gives a request to a staff member of its ward (or nobody).' })
export class AssignRequestInput {
  @Field(() => ID, { description: 'The request.' })
  requestId!: string;

  @Field(() => Int, { description: 'The version read.' })
  version!: number;

  @Field(() => ID, {
    nullable: true,
    description: 'A coordinator of the ward or an administrator; null unassigns.',
  })
  assigneeId?: string | null;
}

@InputType({ description: 'Changes how pressing a request is.' })
export class SetRequestPriorityInput {
  @Field(() => ID, { description: 'The request.' })
  requestId!: string;

  @Field(() => Int, { description: 'The version read.' })
  version!: number;

  @Field(() => RequestPriority, { description: 'New priority.' })
  priority!: RequestPriority;
}

@InputType({ description: 'A note on the timeline.' })
export class AddRequestNoteInput {
  @Field(() => ID, { description: 'The request.' })
  requestId!: string;

  @Field({ description: 'The text (at most 5,000 characters).' })
  text!: string;

  @Field({
    defaultValue: false,
    description: 'True: a comment the resident is told. False: an internal note for staff.',
  })
  toResident!: boolean;
}

@InputType({ description: 'Attaches a file to a request.' })
export class AddRequestAttachmentInput {
  @Field(() => ID, { description: 'The request.' })
  requestId!: string;

  @Field(() => AttachmentInput, { description: 'The file.' })
  attachment!: AttachmentInput;
}

@InputType({ description: 'Conditions on requests; all given conditions must hold.' })
export class RequestFilter {
  @Field(() => [ID], { nullable: true, description: 'Only these wards (within the caller’s).' })
  wardIds?: string[] | null;

  @Field(() => [RequestStatus], { nullable: true, description: 'Only these statuses.' })
  statuses?: RequestStatus[] | null;

  @Field(() => [ID], { nullable: true, description: 'Only these service types.' })
  serviceTypeIds?: string[] | null;

  @Field(() => [ServiceCategory], { nullable: true, description: 'Only these categories.' })
  categories?: ServiceCategory[] | null;

  @Field(() => RequestChannel, { nullable: true, description: 'Only this channel.' })
  channel?: RequestChannel | null;

  @Field(() => ID, { nullable: true, description: 'Only requests assigned to this account.' })
  assigneeId?: string | null;

  @Field({ nullable: true, description: 'Only unassigned requests (true) or assigned (false).' })
  unassigned?: boolean;

  @Field({
    nullable: true,
    description: 'True: only requests whose running SLA clock has passed its due time.',
  })
  overdue?: boolean;

  @Field(() => Date, { nullable: true, description: 'Made at or after this time.' })
  createdFrom?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Made before this time.' })
  createdTo?: Date | null;

  @Field(() => ID, { nullable: true, description: 'Only this resident’s requests.' })
  residentId?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Only requests the resident rated this or lower (1–5), e.g. 2 for "rated ≤ 2".',
  })
  ratedAtMost?: number | null;

  @Field({ nullable: true, description: 'True: only requests reopened at least once.' })
  reopened?: boolean;

  @Field(() => String, {
    nullable: true,
    description:
      'A tracking number (whole, or its serial), or a resident’s name or phone number, any script.',
  })
  search?: string | null;
}

export enum RequestOrderField {
  CREATED_AT = 'CREATED_AT',
  SLA_DUE_AT = 'SLA_DUE_AT',
  UPDATED_AT = 'UPDATED_AT',
  PRIORITY = 'PRIORITY',
}
registerEnumType(RequestOrderField, { name: 'RequestOrderField', description: 'Sort key.' });

export enum OrderDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(OrderDirection, { name: 'OrderDirection', description: 'Sort direction.' });

@InputType({ description: 'Order of a request list; ties are broken by id.' })
export class RequestOrder {
  @Field(() => RequestOrderField, { description: 'Sort key.' })
  field!: RequestOrderField;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.DESC, description: 'Direction.' })
  direction!: OrderDirection;
}
