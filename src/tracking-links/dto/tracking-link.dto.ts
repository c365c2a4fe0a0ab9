import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { UserError } from '../../common/errors/user-error.type';

@ObjectType('TrackingLink', {
  description:
    'A request’s public page, opened without an account (staff read it out on the phone).',
})
export class TrackingLinkType {
  @Field({ description: 'The page’s address: `<PUBLIC_BASE_URL>/t/<token>`.' })
  url!: string;

  @Field({ description: 'When this link was issued.' })
  createdAt!: Date;

  @Field(() => Date, {
    nullable: true,
    description:
      'When it stops working (30 days after the outcome); null while the request is open.',
  })
  expiresAt!: Date | null;
}

@InputType({ description: 'Which request’s tracking link to revoke.' })
export class RevokeTrackingLinkInput {
  @Field(() => ID, { description: 'The request.' })
  requestId!: string;
}

@ObjectType({ description: 'The request’s new link after the old one was revoked.' })
export class RevokeTrackingLinkPayload {
  @Field(() => TrackingLinkType, {
    nullable: true,
    description: 'The newly issued link (the revoked one opens a plain “no longer works” page).',
  })
  trackingLink!: TrackingLinkType | null;

  @Field(() => [UserError], { description: 'Problems the caller can fix.' })
  errors!: UserError[];
}
