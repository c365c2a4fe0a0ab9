import { Field, Int, ObjectType } from '@nestjs/graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

@ObjectType('RequestFeedback', {
  description: 'The resident’s rating of a finished request (asked once after the outcome).',
})
@Entity('request_feedback')
@Unique('uq_request_feedback_request', ['wardId', 'requestId'])
@Index('ix_request_feedback_resident', ['residentId', 'askedAt'])
export class RequestFeedback {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'municipality_id', type: 'uuid' })
  municipalityId!: string;

  @Column({ name: 'ward_id', type: 'uuid' })
  wardId!: string;

  @Column({ name: 'request_id', type: 'uuid' })
  requestId!: string;

  @Column({ name: 'resident_id', type: 'uuid' })
  residentId!: string;

  @Field({ description: 'When the resident was asked.' })
  @Column({ name: 'asked_at', type: 'timestamptz', default: () => 'now()' })
  askedAt!: Date;

  @Field({ description: 'Until when an answer is taken (later ones are thanked and ignored).' })
  @Column({ name: 'closes_at', type: 'timestamptz' })
  closesAt!: Date;

  @Field(() => Int, {
    nullable: true,
    description: '1 (bad) to 5 (very good); null until answered.',
  })
  @Column({ type: 'smallint', nullable: true })
  rating!: number | null;

  @Field(() => String, { nullable: true, description: 'What the resident added.' })
  @Column({ type: 'text', nullable: true })
  comment!: string | null;

  @Field(() => Date, { nullable: true, description: 'When the rating came.' })
  @Column({ name: 'answered_at', type: 'timestamptz', nullable: true })
  answeredAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'How it came: SMS, WHATSAPP or STAFF.' })
  @Column({ name: 'answered_via', type: 'varchar', length: 10, nullable: true })
  answeredVia!: string | null;
}
