import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
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

export enum ConversationStatus {
  BOT = 'BOT',
  HUMAN = 'HUMAN',
}
registerEnumType(ConversationStatus, {
  name: 'ConversationStatus',
  description: 'Who answers the resident.',
  valuesMap: {
    BOT: { description: 'The helpline bot.' },
    HUMAN: { description: 'Handed over to a coordinator; the bot is quiet.' },
  },
});

/** Where the bot is with the resident. */
export type ConversationStep =
  'IDLE' | 'CHOOSING' | 'ANSWERING' | 'CONFIRMING' | 'CONFIRMING_CANCEL' | 'CHOOSING_REQUEST';

/** What the bot remembers between messages. */
export interface ConversationData {
  /** Service ids in the order the menu numbered them. */
  menu?: string[];
  draft?: {
    serviceTypeId: string;
    /** Attribute codes still to ask, in order. */
    pending: string[];
    answers: Record<string, unknown>;
    attachments: Array<{
      kind: string;
      source: string;
      mediaRef: string;
      mimeType: string;
      sizeBytes: number;
      sha256: string;
      caption: string | null;
    }>;
    /** "Since birth" was the answer to this years question: the age is asked next. */
    askAgeFor?: string;
  };
  /** Services offered when a message named several (menu numbers). */
  offered?: number[];
  /** A request the resident asked to cancel, awaiting their yes. */
  cancelling?: { requestId: string; trackingNumber: string };
  /** What a resident sent while several requests await information: which one it is for. */
  pendingInfo?: {
    text: string | null;
    media: { id: string; mimeType: string; sha256?: string; caption?: string; type: string } | null;
    requestIds: string[];
  };
}

@ObjectType({ description: 'A resident’s conversation with a ward’s WhatsApp helpline.' })
@Entity('conversations')
@Unique('uq_conversations_helpline_wa', ['phoneNumberId', 'waId'])
@Index('ix_conversations_ward', ['wardId', 'status', 'lastActivityAt', 'id'])
@Index('ix_conversations_attention', ['wardId', 'attentionAt'], { where: 'attention IS NOT NULL' })
@Index('ix_conversations_handed_over', ['handedOverAt'], {
  where: "status = 'HUMAN' AND escalated_at IS NULL",
})
export class Conversation {
  @Field(() => ID, { description: 'Unique identifier.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'phone_number_id', length: 64 })
  phoneNumberId!: string;

  @Column({ name: 'wa_id', length: 160 })
  waId!: string;

  @Column({ name: 'municipality_id', type: 'uuid' })
  municipalityId!: string;

  @Field(() => ID, { description: 'The ward whose helpline it is.' })
  @Column({ name: 'ward_id', type: 'uuid' })
  wardId!: string;

  @Field(() => ID, { description: 'The resident.' })
  @Column({ name: 'resident_id', type: 'uuid' })
  residentId!: string;

  @Field({ description: '`bn` or `en`.' })
  @Column({ type: 'varchar', length: 2 })
  language!: string;

  @Field(() => ConversationStatus, { description: 'Who answers.' })
  @Column({ type: 'varchar', length: 12, default: ConversationStatus.BOT })
  status!: ConversationStatus;

  @Field(() => String, {
    description: 'Where the bot is: IDLE, CHOOSING, ANSWERING or CONFIRMING.',
  })
  @Column({ type: 'varchar', length: 20, default: 'IDLE' })
  step!: ConversationStep;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  data!: ConversationData;

  @Field(() => Date, { nullable: true, description: 'The resident’s last message.' })
  @Column({ name: 'last_inbound_at', type: 'timestamptz', nullable: true })
  lastInboundAt!: Date | null;

  @Field({ description: 'Last message either way.' })
  @Column({ name: 'last_activity_at', type: 'timestamptz', default: () => 'now()' })
  lastActivityAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it was handed to a person.' })
  @Column({ name: 'handed_over_at', type: 'timestamptz', nullable: true })
  handedOverAt!: Date | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Why staff should look at this conversation although the bot carries on: `VOICE_NOTE` (a voice message to listen to). Cleared when staff reply or hand it back.',
  })
  @Column({ type: 'varchar', length: 20, nullable: true })
  attention!: string | null;

  @Field(() => Date, { nullable: true, description: 'Since when it needs attention.' })
  @Column({ name: 'attention_at', type: 'timestamptz', nullable: true })
  attentionAt!: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When an unanswered hand-over was escalated to the administrators.',
  })
  @Column({ name: 'escalated_at', type: 'timestamptz', nullable: true })
  escalatedAt!: Date | null;

  @VersionColumn({ default: 1 })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
