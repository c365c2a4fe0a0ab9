import { Args, Context, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Allow, Public } from '../common/access/access-policy.decorator';
import { Actor } from '../common/access/actor';
import { CurrentActor } from '../common/access/current-actor.decorator';
import { Permission } from '../common/access/permission';
import { GraphQLContext } from '../common/graphql/graphql-context';
import { PageArgs } from '../common/pagination/page.args';
import { CertificateSigningService } from './certificate-signing.service';
import { CertificatesService } from './certificates.service';
import {
  CertificateChangeInput,
  CertificateConnection,
  CertificateFilter,
  CertificatePayloadType,
  CertificateSigningKey,
  CertificateVerification,
  IssueCertificateInput,
} from './dto/certificate.dto';
import { Certificate } from './entities/certificate.entity';
import { CertificateType } from './entities/certificate-type.entity';
import { searchText } from '../common/text/search-text';

@Resolver(() => Certificate)
export class CertificatesResolver {
  constructor(
    private readonly certificatesService: CertificatesService,
    private readonly signing: CertificateSigningService,
  ) {}

  @Query(() => [CertificateType], {
    description: 'The certificate types of the caller’s municipality.',
  })
  @Allow(Permission.CATALOGUE_READ)
  certificateTypes(@CurrentActor() actor: Actor) {
    return this.certificatesService.listTypes(actor);
  }

  @Query(() => CertificateConnection, {
    description: 'Certificates of the caller’s wards, newest first.',
  })
  @Allow(Permission.CERTIFICATES_READ)
  certificates(
    @CurrentActor() actor: Actor,
    @Args('filter', { type: () => CertificateFilter, nullable: true, description: 'Conditions.' })
    filter: CertificateFilter | null,
    @Args() { first, after }: PageArgs,
  ) {
    searchText(filter?.search, 'filter.search'); // refused before any SQL when too long
    return this.certificatesService.list(actor, filter, first, after);
  }

  @Query(() => Certificate, {
    description: 'One certificate; NOT_FOUND outside the caller’s wards.',
  })
  @Allow(Permission.CERTIFICATES_READ)
  certificate(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID, description: 'The certificate.' }) id: string,
  ) {
    return this.certificatesService.getVisible(actor, id);
  }

  @Mutation(() => CertificatePayloadType, {
    description:
      'Issues and signs the certificate of an APPROVED request (the type’s signer role only); the request becomes READY.',
  })
  @Allow(Permission.CERTIFICATES_ISSUE)
  issueCertificate(@CurrentActor() actor: Actor, @Args('input') input: IssueCertificateInput) {
    return this.certificatesService.issue(actor, input);
  }

  @Mutation(() => CertificatePayloadType, {
    description: 'Revokes a certificate, with the reason.',
  })
  @Allow(Permission.CERTIFICATES_ISSUE)
  revokeCertificate(@CurrentActor() actor: Actor, @Args('input') input: CertificateChangeInput) {
    return this.certificatesService.revoke(actor, input);
  }

  @Mutation(() => CertificatePayloadType, {
    description:
      'Issues a corrected certificate from the holder’s record as it is now; the old one becomes SUPERSEDED.',
  })
  @Allow(Permission.CERTIFICATES_ISSUE)
  reissueCertificate(@CurrentActor() actor: Actor, @Args('input') input: CertificateChangeInput) {
    return this.certificatesService.reissue(actor, input);
  }

  @Query(() => CertificateVerification, {
    description:
      'Public check of a certificate by its number and the code printed on it. A wrong code answers like an unknown number; limited per client address.',
  })
  @Public()
  verifyCertificate(
    @Args('number', { description: 'E.g. `BSR/RES/2026-27/000123`.' }) number: string,
    @Args('code', { description: 'The verification code printed on the certificate.' })
    code: string,
    @Context() ctx: GraphQLContext,
  ) {
    return this.certificatesService.verify(number, code, ctx.req.ip);
  }

  @Query(() => [CertificateSigningKey], {
    description:
      'Every key that signs or signed certificates (also at /.well-known/duare-keys.json).',
  })
  @Public()
  certificateSigningKeys() {
    return this.signing.publishedKeys();
  }
}
