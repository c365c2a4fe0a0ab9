import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum Weekday {
  MON = 'MON',
  TUE = 'TUE',
  WED = 'WED',
  THU = 'THU',
  FRI = 'FRI',
  SAT = 'SAT',
  SUN = 'SUN',
}

registerEnumType(Weekday, { name: 'Weekday', description: 'A day of the week.' });

export const ALL_WEEKDAYS = Object.values(Weekday);

@ObjectType({ description: 'When the ward helpline is staffed; by default around the clock.' })
export class ServiceHours {
  @Field(() => [Weekday], { description: 'Days the helpline is staffed.' })
  days!: Weekday[];

  @Field({ description: 'Opening time, HH:MM in Indian Standard Time.' })
  opensAt!: string;

  @Field({ description: 'Closing time, HH:MM in Indian Standard Time; `24:00` is midnight.' })
  closesAt!: string;
}

export const ROUND_THE_CLOCK: ServiceHours = {
  days: ALL_WEEKDAYS,
  opensAt: '00:00',
  closesAt: '24:00',
};
