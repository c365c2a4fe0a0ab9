import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { Connection } from '../../common/pagination/connection.type';
import { UserError } from '../../common/errors/user-error.type';
import { ResidentLanguage } from '../../residents/entities/resident-enums';
import { CallbackOutcome, CallbackResult, CallbackTaskStatus } from '../entities/callback-enums';
import { CallbackTask } from '../entities/callback-task.entity';

@ObjectType({ description: 'A page of callback tasks, newest first.' })
export class CallbackTaskConnection extends Connection(CallbackTask, 'CallbackTask') {}

@InputType({ description: 'Which callback tasks to list.' })
export class CallbackTaskFilter {
  @Field(() => ID, {
    nullable: true,
    description: 'Only this ward (default: every ward readable).',
  })
  wardId?: string | null;

  @Field(() => CallbackTaskStatus, {
    nullable: true,
    description: 'Only open or only closed ones.',
  })
  status?: CallbackTaskStatus | null;

  @Field(() => Boolean, { nullable: true, description: 'Only open tasks past their due time.' })
  overdue?: boolean | null;
}

@InputType({ description: 'A request taken on the phone while calling back.' })
export class CallbackRequestInput {
  @Field(() => ID, { description: 'The service asked for.' })
  serviceTypeId!: string;

  @Field(() => String, {
    nullable: true,
    description: 'What the caller said (at most 5,000 characters).',
  })
  description?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The caller’s full name: required when the number is not a known resident (one is registered with it).',
  })
  fullName?: string | null;

  @Field(() => ResidentLanguage, {
    nullable: true,
    description: 'The new resident’s language (default Bengali).',
  })
  preferredLanguage?: ResidentLanguage | null;
}

@InputType({ description: 'One attempt to call a missed caller back.' })
export class RecordCallbackOutcomeInput {
  @Field(() => ID, { description: 'The callback task.' })
  taskId!: string;

  @Field(() => Int, { nullable: true, description: 'The version read (refused when stale).' })
  version?: number | null;

  @Field(() => CallbackOutcome, { description: 'How the call went.' })
  outcome!: CallbackOutcome;

  @Field(() => CallbackResult, {
    nullable: true,
    description: 'What came of it (REQUEST_CREATED is set by `newRequest`); default NOTHING.',
  })
  result?: CallbackResult | null;

  @Field(() => String, { nullable: true, description: 'A note (at most 2,000 characters).' })
  note?: string | null;

  @Field(() => CallbackRequestInput, {
    nullable: true,
    description: 'A request taken on the phone (with a caller reached).',
  })
  newRequest?: CallbackRequestInput | null;
}

@ObjectType({ description: 'The callback task after the attempt.' })
export class CallbackTaskPayload {
  @Field(() => CallbackTask, { nullable: true, description: 'The task; null when refused.' })
  task!: CallbackTask | null;

  @Field(() => ID, { nullable: true, description: 'The request made by phone, if one was.' })
  requestId!: string | null;

  @Field(() => [UserError], { description: 'Problems the caller can fix.' })
  errors!: UserError[];
}

@InputType({ description: 'A ward’s missed-call number.' })
export class SetMissedCallNumberInput {
  @Field(() => ID, { description: 'The ward.' })
  wardId!: string;

  @Field({ description: 'The provider’s number residents ring (any Indian way of writing it).' })
  number!: string;
}

@ObjectType({ description: 'A ward’s missed-call number as stored.' })
export class MissedCallNumberPayload {
  @Field(() => ID, { description: 'The ward.' })
  wardId!: string;

  @Field(() => String, { nullable: true, description: 'The number (E.164); null when refused.' })
  number!: string | null;

  @Field(() => [UserError], { description: 'Problems the caller can fix.' })
  errors!: UserError[];
}
