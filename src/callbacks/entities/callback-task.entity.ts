import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CallbackClosedReason, CallbackTaskStatus } from './callback-enums';

@ObjectType({ description: 'A missed call the ward’s coordinator must return.' })
@Entity('callback_tasks')
@Index('ix_callback_tasks_ward_status', ['wardId', 'status', 'dueAt', 'id'])
@Index('ix_callback_tasks_caller', ['wardId', 'callerPhone', 'lastCallAt'])
export class CallbackTask {
  @Field(() => ID, { description: 'Unique identifier.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'municipality_id', type: 'uuid' })
  municipalityId!: string;

  @Column({ name: 'ward_id', type: 'uuid' })
  wardId!: string;

  @Field({ description: 'The caller’s number (E.164), to call back.' })
  @Column({ name: 'caller_phone', length: 16 })
  callerPhone!: string;

  @Column({ name: 'resident_id', type: 'uuid', nullable: true })
  residentId!: string | null;

  @Field(() => CallbackTaskStatus, { description: 'Open until the caller is reached or given up.' })
  @Column({ type: 'varchar', length: 10, default: CallbackTaskStatus.OPEN })
  status!: CallbackTaskStatus;

  @Field(() => Int, { description: 'Calls received for it (repeats within 30 minutes join).' })
  @Column({ name: 'call_count', type: 'int', default: 1 })
  callCount!: number;

  @Field(() => Int, { description: 'Calls of a flood counted but not stored one by one.' })
  @Column({ name: 'throttled_calls', type: 'int', default: 0 })
  throttledCalls!: number;

  @Field({ description: 'When the first call came.' })
  @Column({ name: 'first_call_at', type: 'timestamptz' })
  firstCallAt!: Date;

  @Field({ description: 'When the latest call came.' })
  @Column({ name: 'last_call_at', type: 'timestamptz' })
  lastCallAt!: Date;

  @Field({ description: 'When the call back is due (2 working hours of the ward by default).' })
  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  @Field(() => Date, {
    nullable: true,
    description: 'When the task was escalated for being overdue.',
  })
  @Column({ name: 'escalated_at', type: 'timestamptz', nullable: true })
  escalatedAt!: Date | null;

  @Field(() => Int, { description: 'Attempts nobody answered (the third closes the task).' })
  @Column({ name: 'unanswered_attempts', type: 'int', default: 0 })
  unansweredAttempts!: number;

  @Field(() => Date, { nullable: true, description: 'When the task closed.' })
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @Field(() => CallbackClosedReason, { nullable: true, description: 'Why it closed.' })
  @Column({ name: 'closed_reason', type: 'varchar', length: 20, nullable: true })
  closedReason!: CallbackClosedReason | null;

  @Column({ name: 'request_id', type: 'uuid', nullable: true })
  requestId!: string | null;

  @Field(() => Int, { description: 'Optimistic-locking version.' })
  @Column({ type: 'int', default: 1 })
  version!: number;

  @Field({ description: 'When the task was made.' })
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
