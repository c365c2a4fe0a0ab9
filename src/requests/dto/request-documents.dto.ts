import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { UserError } from '../../common/errors/user-error.type';
import { RequestDocumentWaiver } from '../entities/request-document-waiver.entity';

@InputType({ description: 'Which document of which request a file will be.' })
export class CreateDocumentUploadInput {
  @Field(() => ID, { description: 'The request (open, in the caller’s wards).' })
  requestId!: string;

  @Field({ description: 'The document’s code in the service (e.g. `aadhaar`).' })
  documentCode!: string;
}

@ObjectType({ description: 'Where to send one file, for a short while.' })
export class DocumentUpload {
  @Field({
    description:
      'PUT the bytes here (relative to the API’s address) as `application/octet-stream`, with your token; at most FILES_MAX_BYTES.',
  })
  uploadUrl!: string;

  @Field({ description: 'When the URL stops working (10 minutes).' })
  expiresAt!: Date;
}

@ObjectType({ description: 'Result of createDocumentUpload.' })
export class DocumentUploadPayload {
  @Field(() => DocumentUpload, { nullable: true, description: 'The URL; null when refused.' })
  upload!: DocumentUpload | null;

  @Field(() => [UserError], { description: 'What to fix; empty on success.' })
  errors!: UserError[];
}

@InputType({ description: 'Lets a request go without one document, saying why.' })
export class WaiveRequiredDocumentInput {
  @Field(() => ID, { description: 'The request.' })
  requestId!: string;

  @Field({ description: 'The document’s code in the service.' })
  documentCode!: string;

  @Field({ description: 'Why (kept on the timeline and in the audit trail).' })
  reason!: string;
}

@ObjectType({ description: 'Result of waiveRequiredDocument.' })
export class DocumentWaiverPayload {
  @Field(() => RequestDocumentWaiver, { nullable: true, description: 'The waiver.' })
  waiver!: RequestDocumentWaiver | null;

  @Field(() => [UserError], { description: 'What to fix; empty on success.' })
  errors!: UserError[];
}
