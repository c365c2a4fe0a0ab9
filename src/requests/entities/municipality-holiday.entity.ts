import { Field, ObjectType } from '@nestjs/graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

@ObjectType({
  description: 'A day the municipality’s offices are closed: working-day SLAs skip it.',
})
@Entity('municipality_holidays')
export class MunicipalityHoliday {
  @PrimaryColumn({ name: 'municipality_id', type: 'uuid' })
  municipalityId!: string;

  @Field({ description: 'The date (YYYY-MM-DD, Indian calendar).' })
  @PrimaryColumn({ type: 'date' })
  date!: string;

  @Field({ description: 'What it is, e.g. Durga Puja.' })
  @Column({ length: 200 })
  name!: string;
}
