import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { RequestStatus } from '../../requests/entities/request-enums';

@ObjectType({ description: 'Open requests at one step of the workflow.' })
export class OpenAtStep {
  @Field(() => RequestStatus, { description: 'The step (status).' })
  status!: RequestStatus;

  @Field(() => Int, { description: 'Open requests there now.' })
  count!: number;

  @Field(() => Int, { description: 'Of those, overdue now (clock running, past due).' })
  overdue!: number;
}

@ObjectType({ description: 'One field agent’s deliveries of the day.' })
export class AgentDay {
  @Field(() => ID, { description: 'The agent’s account.' })
  agentId!: string;

  @Field({ description: 'The agent’s name.' })
  agentName!: string;

  @Field(() => Int, { description: 'Planned, not yet set out.' })
  scheduled!: number;

  @Field(() => Int, { description: 'On the way (or locked after wrong codes).' })
  onTheWay!: number;

  @Field(() => Int, { description: 'Handed over.' })
  delivered!: number;

  @Field(() => Int, { description: 'Failed or called off.' })
  notDelivered!: number;
}

@ObjectType({ description: 'A coordinator’s view of their ward now: what is open, late, and out.' })
export class WardWorkload {
  @Field(() => ID, { description: 'The ward.' })
  wardId!: string;

  @Field({ description: 'The Indian calendar day of `deliveriesToday` (YYYY-MM-DD).' })
  today!: string;

  @Field(() => [OpenAtStep], { description: 'Open requests by step, in workflow order.' })
  openByStep!: OpenAtStep[];

  @Field(() => Int, { description: 'Open requests in all.' })
  open!: number;

  @Field(() => Int, { description: 'Open requests overdue now.' })
  overdue!: number;

  @Field(() => [AgentDay], { description: 'Today’s deliveries per field agent, by name.' })
  deliveriesToday!: AgentDay[];
}
