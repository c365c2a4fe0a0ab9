import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { CouncillorStatus } from './councillor-status.enum';

@ObjectType({ description: 'One change of a ward’s councillor status (e.g. a vacancy begins).' })
@Entity('ward_councillor_status_changes')
export class CouncillorStatusChange {
  @Field(() => ID, { description: 'Unique identifier.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'ward_id', type: 'uuid' })
  wardId!: string;

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
