import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import { Municipality } from './municipality.entity';
import { CouncillorStatus } from './councillor-status.enum';
import { ServiceHours } from './service-hours.type';

@ObjectType({ description: 'A ward of a municipality, with its helpline and councillor status.' })
@Entity('wards')
@Unique('uq_wards_municipality_number', ['municipalityId', 'number'])
@Unique('uq_wards_whatsapp_phone_number_id', ['whatsappPhoneNumberId'])
// Target of composite foreign keys from other modules' tables (grants, API client wards).
@Unique('uq_wards_id_municipality', ['id', 'municipalityId'])
@Index('ix_wards_municipality_status', ['municipalityId', 'councillorStatus', 'number'])
@Check('wards_number_check', '(number > 0)')
@Check('wards_population_check', '(population >= 0)')
export class Ward {
  @Field(() => ID, { description: 'Unique identifier.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'municipality_id', type: 'uuid' })
  municipalityId!: string;

  // Declared for the foreign key only; never loaded (resolvers use a DataLoader).
  @ManyToOne(() => Municipality, { nullable: false })
  @JoinColumn({ name: 'municipality_id', foreignKeyConstraintName: 'wards_municipality_id_fkey' })
  private readonly municipalityRow?: Municipality;

  @Field(() => Int, { description: 'Ward number, unique within its municipality.' })
  @Column({ type: 'int' })
  number!: number;

  @Field({ description: 'Name in Bengali.' })
  @Column({ name: 'name_bn', length: 200 })
  nameBn!: string;

  @Field({ description: 'Name in English.' })
  @Column({ name: 'name_en', length: 200 })
  nameEn!: string;

  @Field(() => CouncillorStatus, { description: 'Whether the councillor seat is filled.' })
  @Column({
    name: 'councillor_status',
    type: 'enum',
    enum: CouncillorStatus,
    enumName: 'councillor_status',
    default: CouncillorStatus.ELECTED,
  })
  councillorStatus!: CouncillorStatus;

  @Field(() => String, {
    nullable: true,
    description: 'Date (YYYY-MM-DD) since which the current councillor status holds.',
  })
  @Column({ name: 'councillor_status_since', type: 'date', nullable: true })
  councillorStatusSince!: string | null;

  @Field(() => String, { nullable: true, description: 'Free note on the councillor status.' })
  @Column({ name: 'councillor_status_note', type: 'text', nullable: true })
  councillorStatusNote!: string | null;

  @Field(() => Int, { nullable: true, description: 'Approximate number of residents.' })
  @Column({ type: 'int', nullable: true })
  population!: number | null;

  @Field(() => String, {
    nullable: true,
    description: "The ward helpline's WhatsApp number, E.164 (e.g. `+919800000005`).",
  })
  @Column({ name: 'helpline_whatsapp_number', type: 'varchar', length: 16, nullable: true })
  helplineWhatsappNumber!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'WhatsApp Cloud API `phone_number_id` of the helpline; routes inbound messages.',
  })
  @Column({ name: 'whatsapp_phone_number_id', type: 'varchar', length: 64, nullable: true })
  whatsappPhoneNumberId!: string | null;

  @Field(() => ServiceHours, { description: 'When the helpline is staffed.' })
  @Column({ name: 'service_hours', type: 'jsonb' })
  serviceHours!: ServiceHours;

  @Field({ description: 'Inactive wards take no new requests.' })
  @Column({ default: true })
  active!: boolean;

  @Field(() => Date, { nullable: true, description: 'When the ward was deactivated.' })
  @Column({ name: 'deactivated_at', type: 'timestamptz', nullable: true })
  deactivatedAt!: Date | null;

  @Field(() => Int, { description: 'Optimistic-locking version; send it back with updates.' })
  @VersionColumn({ default: 1 })
  version!: number;

  @Field({ description: 'When the record was created.' })
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Field({ description: 'When the record last changed.' })
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
