import { Field, ID, InputType } from '@nestjs/graphql';

@InputType({ description: 'Takes a ward out of service; its data stays.' })
export class DeactivateWardInput {
  @Field(() => ID, { description: 'The ward.' })
  wardId!: string;
}
