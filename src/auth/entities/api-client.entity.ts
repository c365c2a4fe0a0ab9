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
import { Permission } from '../../common/access/permission';
import { StaffAccount } from './staff-account.entity';

@ObjectType({ description: 'A municipal system or app that calls the API with a key.' })
@Entity('api_clients')
@Index('ix_api_clients_municipality', ['municipalityId', 'createdAt'])
export class ApiClient {
  @Field(() => ID, { description: 'Unique identifier; also the first part of its key.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'municipality_id', type: 'uuid' })
  municipalityId!: string;

  @Field({ description: 'What the client is, e.g. "Municipal ERP".' })
  @Column({ length: 200 })
  name!: string;

  @Field(() => [Permission], { description: 'What the client may do.' })
  @Column({ type: 'text', array: true })
  scopes!: Permission[];

  @Column({ name: 'secret_hash', type: 'char', length: 64 })
  secretHash!: string;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @ManyToOne(() => StaffAccount, { nullable: true })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'api_clients_created_by_fkey' })
  private readonly creatorRow?: StaffAccount;

  @Field({ description: 'When the client was registered.' })
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Field(() => Date, {
    nullable: true,
    description: 'When its key was revoked; revoked keys fail.',
  })
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'Last use of its key (to the minute).' })
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;
}
