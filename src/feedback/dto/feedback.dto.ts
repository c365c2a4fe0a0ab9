import { Field, ID, InputType, Int } from '@nestjs/graphql';

@InputType({ description: 'Sends a resolved complaint back to work.' })
export class ReopenRequestInput {
  @Field(() => ID, { description: 'The complaint.' })
  requestId!: string;

  @Field(() => Int, { nullable: true, description: 'The version read (CONFLICT when stale).' })
  version?: number | null;

  @Field({ description: 'Why (what the resident says is still wrong); at most 2,000 characters.' })
  reason!: string;
}
