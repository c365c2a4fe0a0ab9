import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { canAccess } from '../common/access/access-control';
import { Actor } from '../common/access/actor';
import { CurrentActor } from '../common/access/current-actor.decorator';
import { Permission } from '../common/access/permission';
import { GraphQLContext } from '../common/graphql/graphql-context';
import { ServiceRequest } from '../requests/entities/service-request.entity';
import { RequestLoaders } from '../requests/queue/request.loaders';
import { CertificateLoaders } from './certificate.loaders';
import { Certificate, CertificateStatus } from './entities/certificate.entity';

/** From a certificate to its request and back, batched per HTTP request. */
@Resolver(() => Certificate)
export class CertificateRequestResolver {
  constructor(private readonly requestLoaders: RequestLoaders) {}

  @ResolveField(() => ServiceRequest, {
    nullable: true,
    description: 'The request it was issued for; null for callers who may not read requests.',
  })
  async request(
    @Parent() certificate: Certificate,
    @Context() ctx: GraphQLContext,
    @CurrentActor() actor: Actor,
  ): Promise<ServiceRequest | null> {
    if (!canAccess(actor, certificate, Permission.REQUESTS_READ)) return null;
    return ctx.loaders.get(this.requestLoaders.requestById).load(certificate.requestId);
  }
}

@Resolver(() => ServiceRequest)
export class RequestCertificateResolver {
  constructor(private readonly loaders: CertificateLoaders) {}

  @ResolveField(() => Certificate, {
    nullable: true,
    description:
      'The request’s certificate: the valid one, else the latest issued (revoked or superseded); null before issuance and for callers who may not read certificates.',
  })
  async certificate(
    @Parent() request: ServiceRequest,
    @Context() ctx: GraphQLContext,
    @CurrentActor() actor: Actor,
  ): Promise<Certificate | null> {
    if (!canAccess(actor, request, Permission.CERTIFICATES_READ)) return null;
    const all = await ctx.loaders.get(this.loaders.byRequest).load(request.id);
    return all.find((c) => c.status === CertificateStatus.ISSUED) ?? all.at(-1) ?? null;
  }
}
