import { Context, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { WardStaffMember } from '../auth/dto/ward-staff.dto';
import { StaffRole } from '../common/access/staff-role';
import { GraphQLContext } from '../common/graphql/graphql-context';
import { DeliveryLoaders } from './delivery.loaders';

/** What deliveries add to a ward's people (auth knows nothing of deliveries). */
@Resolver(() => WardStaffMember)
export class WardStaffDeliveriesResolver {
  constructor(private readonly loaders: DeliveryLoaders) {}

  @ResolveField(() => Int, {
    description:
      'Deliveries this field agent has under way (scheduled, on the way or locked); 0 for other roles.',
  })
  async deliveriesUnderWay(
    @Parent() member: WardStaffMember,
    @Context() ctx: GraphQLContext,
  ): Promise<number> {
    if (member.role !== StaffRole.FIELD_AGENT) return 0;
    return ctx.loaders.get(this.loaders.underWayCountByAgent).load(member.id);
  }
}
