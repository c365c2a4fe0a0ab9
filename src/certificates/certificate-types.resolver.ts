import { Args, Context, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Allow } from '../common/access/access-policy.decorator';
import { Actor } from '../common/access/actor';
import { CurrentActor } from '../common/access/current-actor.decorator';
import { Permission } from '../common/access/permission';
import { GraphQLContext } from '../common/graphql/graphql-context';
import { ServiceType } from '../requests/dto/service-type.dto';
import { CertificateLoaders } from './certificate.loaders';
import { CertificateTypesService } from './certificate-types.service';
import {
  CertificateTypePayload,
  CreateCertificateTypeInput,
  RetireCertificateTypeInput,
  UpdateCertificateTypeInput,
} from './dto/certificate-type.inputs';
import { CertificateType } from './entities/certificate-type.entity';

@Resolver(() => CertificateType)
export class CertificateTypesResolver {
  constructor(private readonly types: CertificateTypesService) {}

  @Mutation(() => CertificateTypePayload, {
    description:
      'Creates a certificate type (administrators). The texts’ placeholders are checked now, not at issuance.',
  })
  @Allow(Permission.CATALOGUE_MANAGE)
  createCertificateType(
    @CurrentActor() actor: Actor,
    @Args('input') input: CreateCertificateTypeInput,
  ) {
    return this.types.create(actor, input);
  }

  @Mutation(() => CertificateTypePayload, {
    description:
      'Changes a certificate type: its next version. Certificates already issued keep their text.',
  })
  @Allow(Permission.CATALOGUE_MANAGE)
  updateCertificateType(
    @CurrentActor() actor: Actor,
    @Args('input') input: UpdateCertificateTypeInput,
  ) {
    return this.types.update(actor, input);
  }

  @Mutation(() => CertificateTypePayload, {
    description: 'Retires a certificate type: no more are issued; issued ones stay valid.',
  })
  @Allow(Permission.CATALOGUE_MANAGE)
  retireCertificateType(
    @CurrentActor() actor: Actor,
    @Args('input') input: RetireCertificateTypeInput,
  ) {
    return this.types.retire(actor, input);
  }
}

/** The catalogue's link from a service to the certificate type it issues. */
@Resolver(() => ServiceType)
export class ServiceTypeCertificateResolver {
  constructor(private readonly loaders: CertificateLoaders) {}

  @ResolveField(() => CertificateType, {
    nullable: true,
    description:
      'The active certificate type this service issues (by `certificateTypeCode`); null for other services, or when no active type has the code.',
  })
  certificateType(
    @Parent() service: ServiceType,
    @Context() ctx: GraphQLContext,
    @CurrentActor() actor: Actor,
  ) {
    if (!service.certificateTypeCode) return null;
    // Callers only ever read their own municipality's catalogue.
    return ctx.loaders
      .get(this.loaders.activeTypeByCode)
      .load({ municipalityId: actor.municipalityId, code: service.certificateTypeCode });
  }
}
