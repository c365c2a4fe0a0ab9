import { PageArgs } from '../common/pagination/page.args';
import { Args, ID, Mutation, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Allow } from '../common/access/access-policy.decorator';
import { Actor } from '../common/access/actor';
import { CurrentActor } from '../common/access/current-actor.decorator';
import { Permission } from '../common/access/permission';
import { NotFoundError } from '../common/errors/app.error';
import { GraphQLContext } from '../common/graphql/graphql-context';
import { Ward } from '../wards/entities/ward.entity';
import { WardLoaders } from '../wards/ward.loaders';
import {
  CreateResidentInput,
  EraseResidentInput,
  MoveResidentInput,
  ResidentFilter,
  ResidentRefInput,
  UpdateResidentInput,
} from './dto/resident.inputs';
import { ResidentConnection, ResidentPayload } from './dto/resident.payloads';
import { ResidentWardMove } from './entities/resident-ward-move.entity';
import { Resident, ResidentAddress } from './entities/resident.entity';
import { ResidentLoaders } from './resident.loaders';
import { ResidentsService } from './residents.service';

/** Field resolvers take graphql-js's own arguments: Nest's fast path (see RequestResolver). */
@Resolver(() => Resident)
export class ResidentResolver {
  constructor(
    private readonly residentService: ResidentsService,
    private readonly loaders: ResidentLoaders,
    private readonly wardLoaders: WardLoaders,
  ) {}

  @Query(() => Resident, { description: 'One resident; NOT_FOUND outside the caller’s wards.' })
  @Allow(Permission.RESIDENTS_READ)
  resident(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID, description: 'The resident.' }) id: string,
  ) {
    return this.residentService.getVisible(actor, id);
  }

  @Query(() => Resident, {
    nullable: true,
    description:
      'The resident with this phone number, written any local way (Bengali digits too); null when nobody in the caller’s wards has it.',
  })
  @Allow(Permission.RESIDENTS_READ)
  residentByPhone(
    @CurrentActor() actor: Actor,
    @Args('phone', { description: 'Phone number in any local form.' }) phone: string,
  ) {
    return this.residentService.getByPhone(actor, phone);
  }

  @Query(() => ResidentConnection, {
    description:
      'Residents of the caller’s wards: ranked by closeness with `search`, else by name.',
  })
  @Allow(Permission.RESIDENTS_READ)
  residents(
    @CurrentActor() actor: Actor,
    @Args('filter', {
      type: () => ResidentFilter,
      nullable: true,
      description: 'Conditions to match.',
    })
    filter: ResidentFilter | null,
    @Args() { first, after }: PageArgs,
  ): Promise<ResidentConnection> {
    return this.residentService.list(actor, filter, first, after);
  }

  @Mutation(() => ResidentPayload, {
    description:
      'Registers a resident. A known phone number answers DUPLICATE with the existing resident’s id.',
  })
  @Allow(Permission.RESIDENTS_WRITE)
  createResident(@CurrentActor() actor: Actor, @Args('input') input: CreateResidentInput) {
    return this.residentService.create(actor, input);
  }

  @Mutation(() => ResidentPayload, {
    description: 'Changes a resident (optimistic locking on `version`).',
  })
  @Allow(Permission.RESIDENTS_WRITE)
  updateResident(@CurrentActor() actor: Actor, @Args('input') input: UpdateResidentInput) {
    return this.residentService.update(actor, input);
  }

  @Mutation(() => ResidentPayload, {
    description: 'Marks a resident as checked by the caller (idempotent).',
  })
  @Allow(Permission.RESIDENTS_WRITE)
  verifyResident(@CurrentActor() actor: Actor, @Args('input') input: ResidentRefInput) {
    return this.residentService.verify(actor, input);
  }

  @Mutation(() => ResidentPayload, {
    description: 'Moves a resident to another ward, keeping the history.',
  })
  @Allow(Permission.RESIDENTS_WRITE)
  moveResident(@CurrentActor() actor: Actor, @Args('input') input: MoveResidentInput) {
    return this.residentService.move(actor, input);
  }

  @Mutation(() => ResidentPayload, {
    description: 'Erases a resident’s personal data (DPDP Act): administrators only; irreversible.',
  })
  @Allow(Permission.RESIDENTS_ERASE)
  eraseResident(@CurrentActor() actor: Actor, @Args('input') input: EraseResidentInput) {
    return this.residentService.erase(actor, input);
  }

  @ResolveField(() => ResidentAddress, { description: 'The postal address.' })
  address(resident: Resident): ResidentAddress {
    const { houseNumber, locality, street, landmark, postOffice, pinCode } = resident;
    return { houseNumber, locality, street, landmark, postOffice, pinCode };
  }

  @ResolveField(() => Ward, { description: 'The ward the resident lives in.' })
  async ward(resident: Resident, _args: unknown, ctx: GraphQLContext): Promise<Ward> {
    const ward = await ctx.loaders.get(this.wardLoaders.wardById).load(resident.wardId);
    if (!ward) throw new NotFoundError('Ward');
    return ward;
  }

  @ResolveField(() => [ResidentWardMove], { description: 'Moves between wards, oldest first.' })
  wardMoves(resident: Resident, _args: unknown, ctx: GraphQLContext): Promise<ResidentWardMove[]> {
    return ctx.loaders.get(this.loaders.movesByResident).load(resident.id);
  }
}
