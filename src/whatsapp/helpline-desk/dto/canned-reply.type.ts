import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { UserError } from '../../../common/errors/user-error.type';

@ObjectType({
  description:
    'A ready answer staff send with one click, in Bengali and English; `{{residentName}}`, `{{trackingNumber}}` and `{{wardHours}}` are filled in when sent.',
})
export class CannedReply {
  @Field(() => ID, { description: 'Unique identifier.' })
  id!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Its ward; null: every ward of the municipality.',
  })
  wardId!: string | null;

  @Field({ description: 'Short name staff pick it by.' })
  title!: string;

  @Field({ description: 'The Bengali text.' })
  bodyBn!: string;

  @Field({ description: 'The English text.' })
  bodyEn!: string;

  @Field(() => Int, { description: 'Optimistic-locking version; send it back with updates.' })
  version!: number;

  municipalityId!: string;
}

@InputType({ description: 'A new canned reply.' })
export class CreateCannedReplyInput {
  @Field(() => ID, {
    nullable: true,
    description:
      'The ward (coordinators: their own); left out: the whole municipality (administrators).',
  })
  wardId?: string | null;

  @Field({ description: 'Short name (at most 80 characters, unique in its ward).' })
  title!: string;

  @Field({ description: 'The Bengali text (at most 2,000 characters).' })
  bodyBn!: string;

  @Field({ description: 'The English text (at most 2,000 characters).' })
  bodyEn!: string;
}

@InputType({ description: 'Changes to a canned reply.' })
export class UpdateCannedReplyInput {
  @Field(() => ID, { description: 'The canned reply.' })
  id!: string;

  @Field(() => Int, { description: 'The version read.' })
  version!: number;

  @Field(() => String, { nullable: true, description: 'New title.' })
  title?: string | null;

  @Field(() => String, { nullable: true, description: 'New Bengali text.' })
  bodyBn?: string | null;

  @Field(() => String, { nullable: true, description: 'New English text.' })
  bodyEn?: string | null;
}

@ObjectType({ description: 'Result of saving a canned reply.' })
export class CannedReplyPayload {
  @Field(() => CannedReply, { nullable: true, description: 'The canned reply as saved.' })
  cannedReply!: CannedReply | null;

  @Field(() => [UserError], { description: 'What to fix; empty on success.' })
  errors!: UserError[];
}
