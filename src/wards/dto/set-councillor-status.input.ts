import { Field, ID, InputType } from '@nestjs/graphql';
import { CouncillorStatus } from '../entities/councillor-status.enum';

@InputType({
  description: 'Records a change of councillor status: VACANT starts a vacancy, ELECTED ends it.',
})
export class SetWardCouncillorStatusInput {
  @Field(() => ID, { description: 'The ward.' })
  wardId!: string;

  @Field(() => CouncillorStatus, { description: 'The new status.' })
  status!: CouncillorStatus;

  @Field({ description: 'Date (YYYY-MM-DD) the status took effect; not in the future.' })
  since!: string;

  @Field(() => String, { nullable: true, description: 'Free note (up to 1000 characters).' })
  note?: string | null;
}
