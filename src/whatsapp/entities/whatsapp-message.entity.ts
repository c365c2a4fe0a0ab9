import { Field, Float, ID, ObjectType } from '@nestjs/graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { Conversation } from './conversation.entity';

@ObjectType({ description: 'A place a resident shared on WhatsApp (a location pin).' })
export class SharedLocation {
  @Field(() => Float, { description: 'Latitude in degrees.' })
  latitude!: number;

  @Field(() => Float, { description: 'Longitude in degrees.' })
  longitude!: number;

  @Field(() => String, { nullable: true, description: 'Name of the place, when one was chosen.' })
  name!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Address of the place, when WhatsApp gave one.',
  })
  address!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Link to the place, when WhatsApp gave one.',
  })
  url!: string | null;
}

@ObjectType({ description: 'An emoji reaction, or its removal.' })
export class MessageReaction {
  @Field(() => String, { nullable: true, description: 'The emoji; null when it was taken back.' })
  emoji!: string | null;

  @Field({ description: 'WhatsApp id of the message reacted to.' })
  messageId!: string;

  @Field({ description: 'When it was given (or taken back).' })
  at!: Date;
}

@ObjectType({ description: 'One message of a helpline conversation, either way.' })
@Entity('whatsapp_messages')
@Unique('uq_whatsapp_messages_wamid', ['wamid'])
@Index('ix_whatsapp_messages_conversation', ['conversationId', 'createdAt', 'id'])
export class WhatsAppMessage {
  @Field(() => ID, { description: 'Unique identifier.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** WhatsApp's id of an inbound message: the deduplication key. */
  @Column({ type: 'varchar', length: 128, nullable: true })
  wamid!: string | null;

  @Field({ description: '`IN` (from the resident) or `OUT`.' })
  @Column({ length: 3 })
  direction!: string;

  @Column({ name: 'phone_number_id', length: 64 })
  phoneNumberId!: string;

  @Column({ name: 'wa_id', length: 160 })
  waId!: string;

  @Column({ name: 'conversation_id', type: 'uuid', nullable: true })
  conversationId!: string | null;

  @ManyToOne(() => Conversation, { nullable: true })
  @JoinColumn({
    name: 'conversation_id',
    foreignKeyConstraintName: 'whatsapp_messages_conversation_id_fkey',
  })
  private readonly conversationRow?: Conversation;

  @Column({ name: 'ward_id', type: 'uuid', nullable: true })
  wardId!: string | null;

  @Field({ description: '`RESIDENT`, `BOT` or `STAFF`.' })
  @Column({ length: 10 })
  author!: string;

  @Field(() => String, { nullable: true, description: 'Staff username for staff messages.' })
  @Column({ name: 'author_name', type: 'varchar', length: 200, nullable: true })
  authorName!: string | null;

  @Field({ description: 'WhatsApp message type (`text`, `image`, `interactive`, …).' })
  @Column({ length: 20 })
  type!: string;

  @Field(() => String, { nullable: true, description: 'The text (or the chosen option’s title).' })
  @Column({ type: 'text', nullable: true })
  text!: string | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Media: id, MIME type, caption.' })
  @Column({ type: 'jsonb', nullable: true })
  media!: Record<string, unknown> | null;

  @Field(() => SharedLocation, {
    nullable: true,
    description: 'The place, for a location message.',
  })
  @Column({ type: 'jsonb', nullable: true })
  location!: SharedLocation | null;

  @Field(() => MessageReaction, {
    nullable: true,
    description:
      'For a reaction message, what it reacted to; for a resident’s message, the latest reaction it got.',
  })
  @Column({ type: 'jsonb', nullable: true })
  reaction!: MessageReaction | null;

  @Field(() => String, {
    nullable: true,
    description: 'The message (wamid) the resident replied to, when they used WhatsApp’s "reply".',
  })
  @Column({ name: 'context_wamid', type: 'varchar', length: 128, nullable: true })
  contextWamid!: string | null;

  @Field({ description: 'When it was written (WhatsApp’s timestamp for inbound messages).' })
  @Column({ name: 'sent_at', type: 'timestamptz' })
  sentAt!: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', default: () => 'clock_timestamp()' })
  createdAt!: Date;
}
