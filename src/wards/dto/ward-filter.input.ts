import { Field, ID, InputType } from '@nestjs/graphql';
import { CouncillorStatus } from '../entities/councillor-status.enum';

@InputType({ description: 'Narrows a list of wards; all given conditions must hold.' })
export class WardFilter {
  @Field(() => ID, { nullable: true, description: 'Only wards of this municipality.' })
  municipalityId?: string | null;

  @Field(() => CouncillorStatus, { nullable: true, description: 'Only wards with this status.' })
  councillorStatus?: CouncillorStatus | null;

  @Field(() => Boolean, { nullable: true, description: 'Only active (true) or inactive (false).' })
  active?: boolean | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Matches the Bengali or English name (substring), or the ward number (Latin or Bengali digits).',
  })
  search?: string | null;
}
