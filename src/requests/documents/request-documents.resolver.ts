import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { Allow } from '../../common/access/access-policy.decorator';
import { Actor } from '../../common/access/actor';
import { CurrentActor } from '../../common/access/current-actor.decorator';
import { Permission } from '../../common/access/permission';
import {
  CreateDocumentUploadInput,
  DocumentUploadPayload,
  DocumentWaiverPayload,
  WaiveRequiredDocumentInput,
} from '../dto/request-documents.dto';
import { refusable } from '../../common/errors/refusal';
import { RequestDocumentsService } from './request-documents.service';

@Resolver()
export class RequestDocumentsResolver {
  constructor(private readonly documents: RequestDocumentsService) {}

  @Mutation(() => DocumentUploadPayload, {
    description:
      'A short-lived URL to PUT one document’s file to (docs/api.md#documents): type read from the bytes, size limited, kept by SHA-256.',
  })
  @Allow(Permission.REQUESTS_WRITE)
  async createDocumentUpload(
    @CurrentActor() actor: Actor,
    @Args('input') input: CreateDocumentUploadInput,
  ): Promise<DocumentUploadPayload> {
    return refusable('upload', async () => {
      const { url, expiresAt } = await this.documents.createUpload(actor, input);
      return { uploadUrl: url, expiresAt };
    });
  }

  @Mutation(() => DocumentWaiverPayload, {
    description:
      'Lets the request be approved without one required document; the reason goes on the timeline and into the audit trail.',
  })
  @Allow(Permission.REQUESTS_WRITE)
  async waiveRequiredDocument(
    @CurrentActor() actor: Actor,
    @Args('input') input: WaiveRequiredDocumentInput,
  ): Promise<DocumentWaiverPayload> {
    return refusable('waiver', () => this.documents.waive(actor, input));
  }
}
