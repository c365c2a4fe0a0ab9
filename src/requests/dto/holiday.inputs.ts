import { Field, InputType } from '@nestjs/graphql';

@InputType({ description: 'A holiday.' })
export class HolidayInput {
  @Field({ description: 'YYYY-MM-DD.' })
  date!: string;

  @Field({ description: 'Its name.' })
  name!: string;
}

@InputType({ description: 'The whole list of the municipality’s holidays.' })
export class SetMunicipalityHolidaysInput {
  @Field(() => [HolidayInput], { description: 'Every holiday (replaces the list).' })
  holidays!: HolidayInput[];
}
