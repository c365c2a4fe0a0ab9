import { Field, ID, ObjectType } from '@nestjs/graphql';
import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

@ObjectType({ description: 'A municipality (urban local body) and its wards.' })
@Entity('municipalities')
export class Municipality {
  @Field(() => ID, { description: 'Unique identifier.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field({ description: 'Short code used in tracking and certificate numbers, e.g. `BSR`.' })
  @Column()
  code!: string;

  @Field({ description: 'Name in Bengali.' })
  @Column({ name: 'name_bn' })
  nameBn!: string;

  @Field({ description: 'Name in English.' })
  @Column({ name: 'name_en' })
  nameEn!: string;

  @Field({ description: 'District, in English.' })
  @Column()
  district!: string;

  @Field({ description: 'State, in English.' })
  @Column()
  state!: string;

  @Field({ description: 'When the record was created.' })
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Field({ description: 'When the record last changed.' })
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
