import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import { ServiceCategory, ServiceDefinition } from './service-definition';

@Entity('service_types')
@Unique('uq_service_types_code', ['municipalityId', 'code'])
@Index('ix_service_types_category', ['municipalityId', 'category', 'code'])
export class ServiceTypeRow {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'municipality_id', type: 'uuid' })
  municipalityId!: string;

  @Column({ length: 40 })
  code!: string;

  @Column({ type: 'enum', enum: ServiceCategory, enumName: 'service_category' })
  category!: ServiceCategory;

  @Column({ type: 'jsonb' })
  definition!: ServiceDefinition;

  @Column({ name: 'definition_version', type: 'int', default: 1 })
  definitionVersion!: number;

  @Column({ default: true })
  active!: boolean;

  @VersionColumn({ default: 1 })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
