import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CertificateLoaders } from '../certificates/certificate.loaders';
import { Actor } from '../common/access/actor';
import { CurrentActor } from '../common/access/current-actor.decorator';
import { GraphQLContext } from '../common/graphql/graphql-context';
import { DeliveryLoaders } from '../deliveries/delivery.loaders';
import { UNDER_WAY_STATUSES } from '../deliveries/delivery.entity';
import { ServiceRequest } from '../requests/entities/service-request.entity';
import { RequestLoaders } from '../requests/queue/request.loaders';
import { NextStep } from './next-step.type';
import { nextSteps } from './next-steps';

@Resolver(() => ServiceRequest)
export class NextStepsResolver {
  constructor(
    private readonly requestLoaders: RequestLoaders,
    private readonly certificateLoaders: CertificateLoaders,
    private readonly deliveryLoaders: DeliveryLoaders,
  ) {}

  @ResolveField(() => [NextStep], {
    description:
      'Every step the workflow allows from here — including issuing the certificate and the delivery’s steps — with whether the caller may take it and, if not, who may (docs/workflow.md).',
  })
  async nextSteps(
    @Parent() request: ServiceRequest,
    @Context() ctx: GraphQLContext,
    @CurrentActor() actor: Actor,
  ): Promise<NextStep[]> {
    const [serviceType, deliveries] = await Promise.all([
      ctx.loaders.get(this.requestLoaders.serviceTypeAsMade).load(request),
      ctx.loaders.get(this.deliveryLoaders.byRequest).load(request.id),
    ]);
    const type = serviceType.certificateTypeCode
      ? await ctx.loaders
          .get(this.certificateLoaders.activeTypeByCode)
          .load({ municipalityId: request.municipalityId, code: serviceType.certificateTypeCode })
      : null;
    const delivery = deliveries.find((d) => UNDER_WAY_STATUSES.includes(d.status)) ?? null;
    return nextSteps(
      {
        request,
        doorstepDelivery: serviceType.doorstepDelivery,
        signerRole: type?.signerRole ?? null,
        delivery,
      },
      actor,
    );
  }
}
