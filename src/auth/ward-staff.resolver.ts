import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Allow } from '../common/access/access-policy.decorator';
import { Actor } from '../common/access/actor';
import { CurrentActor } from '../common/access/current-actor.decorator';
import { Permission } from '../common/access/permission';
import { StaffRole } from '../common/access/staff-role';
import {
  CreateFieldAgentInput,
  FieldAgentPayload,
  FieldAgentRefInput,
  WardStaffMember,
} from './dto/ward-staff.dto';
import { WardStaffService } from './ward-staff.service';

@Resolver(() => WardStaffMember)
export class WardStaffResolver {
  constructor(private readonly people: WardStaffService) {}

  @Query(() => [WardStaffMember], {
    description:
      'The people of a ward: its coordinators and field agents (or the roles asked for), by role, active first, then by name. For its coordinators and administrators; NOT_FOUND for another ward.',
  })
  @Allow(Permission.WARD_STAFF_MANAGE)
  wardStaff(
    @CurrentActor() actor: Actor,
    @Args('wardId', { type: () => ID, description: 'The ward.' }) wardId: string,
    @Args('roles', {
      type: () => [StaffRole],
      nullable: true,
      description: 'Only these roles (default: WARD_COORDINATOR and FIELD_AGENT).',
    })
    roles: StaffRole[] | null,
  ): Promise<WardStaffMember[]> {
    return this.people.list(actor, wardId, roles);
  }

  @Mutation(() => FieldAgentPayload, {
    description:
      'A coordinator creates a field agent account for their ward; the first-sign-in password is in the answer, once.',
  })
  @Allow(Permission.WARD_STAFF_MANAGE)
  createFieldAgent(@CurrentActor() actor: Actor, @Args('input') input: CreateFieldAgentInput) {
    return this.people.createFieldAgent(actor, input);
  }

  @Mutation(() => FieldAgentPayload, {
    description: 'Deactivates a field agent of the caller’s wards; their sessions end at once.',
  })
  @Allow(Permission.WARD_STAFF_MANAGE)
  deactivateFieldAgent(@CurrentActor() actor: Actor, @Args('input') input: FieldAgentRefInput) {
    return this.people.deactivateFieldAgent(actor, input.accountId);
  }

  @Mutation(() => FieldAgentPayload, {
    description:
      'Gives a field agent of the caller’s wards a new first-sign-in password (in the answer, once); their sessions end.',
  })
  @Allow(Permission.WARD_STAFF_MANAGE)
  resetFieldAgentPassword(@CurrentActor() actor: Actor, @Args('input') input: FieldAgentRefInput) {
    return this.people.resetFieldAgentPassword(actor, input.accountId);
  }
}
