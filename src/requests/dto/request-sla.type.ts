import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'The SLA clock of a request.' })
export class RequestSla {
  @Field({ description: 'When the outcome is due.' })
  dueAt!: Date;

  @Field({ description: 'Paused while waiting for the resident.' })
  paused!: boolean;

  @Field({ description: 'The clock is running and the due time has passed.' })
  overdue!: boolean;

  @Field(() => Boolean, {
    nullable: true,
    description: 'For requests with an outcome: whether it came by the due time.',
  })
  met!: boolean | null;
}
