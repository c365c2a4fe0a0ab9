import { Field, InputType } from '@nestjs/graphql';
import { Weekday } from '../entities/service-hours.type';

@InputType({ description: 'When the helpline is staffed.' })
export class ServiceHoursInput {
  @Field(() => [Weekday], { description: 'Days the helpline is staffed (at least one).' })
  days!: Weekday[];

  @Field({ description: 'Opening time, HH:MM (00:00–23:59).' })
  opensAt!: string;

  @Field({ description: 'Closing time, HH:MM (00:01–24:00), after the opening time.' })
  closesAt!: string;
}
