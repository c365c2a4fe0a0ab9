import { Field, ID, ObjectType } from '@nestjs/graphql';

@ObjectType({
  description: 'One document the service asks for, and where this request stands on it.',
})
export class RequestDocumentStatus {
  @Field({ description: 'The document’s code (e.g. `aadhaar`).' })
  code!: string;

  @Field({ description: 'Name in Bengali.' })
  labelBn!: string;

  @Field({ description: 'Name in English.' })
  labelEn!: string;

  @Field({ description: 'Whether approval waits for it.' })
  required!: boolean;

  @Field(() => [ID], { description: 'The attachments that are this document.' })
  attachmentIds!: string[];

  @Field(() => String, { nullable: true, description: 'Why it was waived; null if it was not.' })
  waiverReason!: string | null;

  @Field({ description: 'Required, and neither attached nor waived: approval is refused.' })
  missing!: boolean;
}
