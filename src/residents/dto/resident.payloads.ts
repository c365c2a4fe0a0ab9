import { Field, ID, ObjectType } from '@nestjs/graphql';
import { UserError } from '../../common/errors/user-error.type';
import { Connection } from '../../common/pagination/connection.type';
import { Resident } from '../entities/resident.entity';

@ObjectType({ description: 'Result of a resident mutation.' })
export class ResidentPayload {
  @Field(() => Resident, {
    nullable: true,
    description: 'The resident as stored; null when refused.',
  })
  resident!: Resident | null;

  @Field(() => ID, {
    nullable: true,
    description: 'When the phone number is already registered in the municipality: that resident.',
  })
  duplicateResidentId!: string | null;

  @Field(() => [UserError], { description: 'What to fix in the input; empty on success.' })
  errors!: UserError[];
}

@ObjectType({ description: 'A page of residents.' })
export class ResidentConnection extends Connection(Resident, 'Resident') {}
