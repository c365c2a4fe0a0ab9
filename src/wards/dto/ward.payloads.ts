import { Field, ObjectType } from '@nestjs/graphql';
import { UserError } from '../../common/errors/user-error.type';
import { Municipality } from '../entities/municipality.entity';
import { Ward } from '../entities/ward.entity';

@ObjectType({ description: 'Result of a ward mutation.' })
export class WardPayload {
  @Field(() => Ward, { nullable: true, description: 'The ward as stored; null when refused.' })
  ward!: Ward | null;

  @Field(() => [UserError], { description: 'What to fix in the input; empty on success.' })
  errors!: UserError[];
}

/** Result of creating a municipality (operator path). */
export interface MunicipalityPayload {
  municipality: Municipality | null;
  errors: UserError[];
}
