import { ArgsType, Field } from '@nestjs/graphql';

/** The period of a statistics query: Indian calendar days, both ends included. */
@ArgsType()
export class StatsPeriodArgs {
  @Field({
    description:
      'First day, `YYYY-MM-DD` in Indian time: requests made from 00:00 IST of this day count.',
  })
  from!: string;

  @Field({
    description:
      'Last day, `YYYY-MM-DD` in Indian time, included (up to 23:59:59 IST). The period may cover at most 366 days, both ends counted.',
  })
  to!: string;
}
