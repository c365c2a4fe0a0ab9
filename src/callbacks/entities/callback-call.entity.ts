import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** One call received from the telephony provider, stored as it came (once per call id). */
@Entity('callback_calls')
@Unique('uq_callback_calls_sid', ['callSid'])
@Index('ix_callback_calls_task', ['taskId', 'calledAt'])
export class CallbackCall {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'task_id', type: 'uuid' })
  taskId!: string;

  @Column({ name: 'ward_id', type: 'uuid' })
  wardId!: string;

  @Column({ name: 'call_sid', length: 64 })
  callSid!: string;

  @Column({ name: 'called_at', type: 'timestamptz' })
  calledAt!: Date;

  @Column({ type: 'jsonb' })
  payload!: Record<string, string>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
