import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CallbackOutcome, CallbackResult } from './callback-enums';

@ObjectType({ description: 'One attempt to call a resident back.' })
@Entity('callback_attempts')
@Index('ix_callback_attempts_task', ['taskId', 'createdAt'])
export class CallbackAttempt {
  @Field(() => ID, { description: 'Unique identifier.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'task_id', type: 'uuid' })
  taskId!: string;

  @Column({ name: 'ward_id', type: 'uuid' })
  wardId!: string;

  @Field(() => CallbackOutcome, { description: 'How the call went.' })
  @Column({ type: 'varchar', length: 20 })
  outcome!: CallbackOutcome;

  @Field(() => CallbackResult, { description: 'What came of it.' })
  @Column({ type: 'varchar', length: 20 })
  result!: CallbackResult;

  @Field(() => String, { nullable: true, description: 'What the coordinator noted.' })
  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Field(() => ID, { nullable: true, description: 'The request made by phone, if one was.' })
  @Column({ name: 'request_id', type: 'uuid', nullable: true })
  requestId!: string | null;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId!: string | null;

  @Field({ description: 'Who called back.' })
  @Column({ name: 'actor_name', length: 200 })
  actorName!: string;

  @Field({ description: 'When.' })
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'clock_timestamp()' })
  createdAt!: Date;
}
