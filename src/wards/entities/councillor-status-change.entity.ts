import { Field, ID, ObjectType } from '@nestjs/graphql';
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Ward } from './ward.entity';
import { CouncillorStatus } from './councillor-status.enum';

@ObjectType({ description: 'One change of a ward’s councillor status (e.g. a vacancy begins).' })
@Entity('ward_councillor_status_changes')
@Index('ix_ward_councillor_status_changes_ward', ['wardId', 'recordedAt'])
export class CouncillorStatusChange {
  @Field(() => ID, { description: 'Unique identifier.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'ward_id', type: 'uuid' })
  wardId!: string;

  // Declared for the foreign key only; never loaded.
  @ManyToOne(() => Ward, { nullable: false })
  @JoinColumn({
    name: 'ward_id',
    foreignKeyConstraintName: 'ward_councillor_status_changes_ward_id_fkey',
  })
  private readonly wardRow?: Ward;

  @Field(() => CouncillorStatus, { description: 'The status from this change on.' })
  @Column({ type: 'enum', enum: CouncillorStatus, enumName: 'councillor_status' })
  status!: CouncillorStatus;

  @Field(() => String, { nullable: true, description: 'Date (YYYY-MM-DD) the status took effect.' })
  @Column({ type: 'date', nullable: true })
  since!: string | null;

  @Field(() => String, { nullable: true, description: 'Free note.' })
  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Field({ description: 'When the change was recorded.' })
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  recordedAt!: Date;
}
