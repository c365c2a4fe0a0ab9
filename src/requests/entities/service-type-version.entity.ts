import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { ServiceDefinition } from './service-definition';
import { ServiceTypeRow } from './service-type.entity';

/** Every definition a service type has had, so requests keep the one they were made under. */
@Entity('service_type_versions')
@Unique('uq_service_type_versions', ['serviceTypeId', 'definitionVersion'])
export class ServiceTypeVersion {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'service_type_id', type: 'uuid' })
  serviceTypeId!: string;

  @ManyToOne(() => ServiceTypeRow, { nullable: false })
  @JoinColumn({
    name: 'service_type_id',
    foreignKeyConstraintName: 'service_type_versions_service_type_id_fkey',
  })
  private readonly serviceTypeRow?: ServiceTypeRow;

  @Column({ name: 'definition_version', type: 'int' })
  definitionVersion!: number;

  @Column({ type: 'jsonb' })
  definition!: ServiceDefinition;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
