import { Field, ID, ObjectType } from '@nestjs/graphql';
import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';

@ObjectType({ description: 'A municipality (urban local body) and its wards.' })
@Entity('municipalities')
@Unique('uq_municipalities_code', ['code'])
export class Municipality {
  @Field(() => ID, { description: 'Unique identifier.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field({ description: 'Short code used in tracking and certificate numbers, e.g. `BSR`.' })
  @Column({ length: 16 })
  code!: string;

  @Field({ description: 'Name in Bengali.' })
  @Column({ name: 'name_bn', length: 200 })
  nameBn!: string;

  @Field({ description: 'Name in English.' })
  @Column({ name: 'name_en', length: 200 })
  nameEn!: string;

  @Field({ description: 'District, in English.' })
  @Column({ length: 200 })
  district!: string;

  @Field({ description: 'State, in English.' })
  @Column({ length: 200 })
  state!: string;

  @Field({ description: 'When the record was created.' })
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Field({ description: 'When the record last changed.' })
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
