import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'Minutes it took, median and 90th percentile; null without any.' })
export class MinutesSpread {
  @Field(() => Float, { nullable: true, description: 'Median, in minutes.' })
  median!: number | null;

  @Field(() => Float, { nullable: true, description: '90th percentile, in minutes.' })
  p90!: number | null;
}

@ObjectType({ description: 'One staff member’s helpline answers in the period.' })
export class HelplineStaffTimes {
  @Field(() => ID, { description: 'The staff account.' })
  staffId!: string;

  @Field({ description: 'Their name.' })
  displayName!: string;

  @Field(() => Int, { description: 'Conversations they answered first.' })
  firstResponses!: number;

  @Field(() => MinutesSpread, { description: 'How long the resident waited for them.' })
  firstResponseMinutes!: MinutesSpread;

  @Field(() => Int, { description: 'Conversations they closed.' })
  closed!: number;

  @Field(() => MinutesSpread, { description: 'From hand-over to their closing.' })
  resolutionMinutes!: MinutesSpread;
}

@ObjectType({ description: 'Helpline response times of conversations handed over on one day.' })
export class HelplineDayTimes {
  @Field({ description: 'The Indian calendar day, `YYYY-MM-DD`.' })
  day!: string;

  @Field(() => Int, { description: 'Conversations handed to people that day.' })
  opened!: number;

  @Field(() => MinutesSpread, { description: 'Time to the first staff answer.' })
  firstResponseMinutes!: MinutesSpread;

  @Field(() => MinutesSpread, { description: 'Time to closing.' })
  resolutionMinutes!: MinutesSpread;
}

@ObjectType({
  description:
    'How fast a ward’s people answer helpline conversations handed to them (opened in the period).',
})
export class HelplineStats {
  @Field(() => Int, { description: 'Conversations handed to people.' })
  opened!: number;

  @Field(() => Int, { description: 'Of those, answered by staff.' })
  answered!: number;

  @Field(() => Int, { description: 'Of those, closed.' })
  closed!: number;

  @Field(() => Int, { description: 'Of those, escalated as overdue.' })
  escalated!: number;

  @Field(() => MinutesSpread, { description: 'Hand-over to the first staff answer.' })
  firstResponseMinutes!: MinutesSpread;

  @Field(() => MinutesSpread, { description: 'Hand-over to closing.' })
  resolutionMinutes!: MinutesSpread;

  @Field(() => [HelplineStaffTimes], { description: 'Per staff member.' })
  byStaff!: HelplineStaffTimes[];

  @Field(() => [HelplineDayTimes], { description: 'Per day, oldest first.' })
  byDay!: HelplineDayTimes[];
}
