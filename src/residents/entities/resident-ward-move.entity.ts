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
import { Resident } from './resident.entity';

@ObjectType({ description: 'A move of a resident from one ward to another.' })
@Entity('resident_ward_moves')
@Index('ix_resident_ward_moves_resident', ['residentId', 'movedAt'])
export class ResidentWardMove {
  @Field(() => ID, { description: 'Unique identifier.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'resident_id', type: 'uuid' })
  residentId!: string;

  @ManyToOne(() => Resident, { nullable: false })
  @JoinColumn({
    name: 'resident_id',
    foreignKeyConstraintName: 'resident_ward_moves_resident_id_fkey',
  })
  private readonly residentRow?: Resident;

  @Field(() => ID, { description: 'Ward moved from.' })
  @Column({ name: 'from_ward_id', type: 'uuid' })
  fromWardId!: string;

  @Field(() => ID, { description: 'Ward moved to.' })
  @Column({ name: 'to_ward_id', type: 'uuid' })
  toWardId!: string;

  @Field(() => String, { nullable: true, description: 'Why.' })
  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Field({ description: 'When.' })
  @CreateDateColumn({ name: 'moved_at', type: 'timestamptz' })
  movedAt!: Date;
}
