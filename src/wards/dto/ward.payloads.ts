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

@ObjectType({ description: 'Result of createMunicipality.' })
export class MunicipalityPayload {
  @Field(() => Municipality, {
    nullable: true,
    description: 'The municipality; null when refused.',
  })
  municipality!: Municipality | null;

  @Field(() => [UserError], { description: 'What to fix in the input; empty on success.' })
  errors!: UserError[];
}
