import {
  Args,
  Context,
  ID,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import { DataSource } from 'typeorm';
import { Allow } from '../common/access/access-policy.decorator';
import { Actor } from '../common/access/actor';
import { CurrentActor } from '../common/access/current-actor.decorator';
import { Permission } from '../common/access/permission';
import { GraphQLContext, LoaderFactory } from '../common/graphql/graphql-context';
import { PageArgs } from '../common/pagination/page.args';
import { progressOf } from './announcement-progress';
import { AnnouncementSettingsService } from './announcement-settings.service';
import { AnnouncementsService } from './announcements.service';
import {
  AnnouncementSettings,
  AnnouncementSettingsPayload,
} from './dto/announcement-settings.type';
import {
  Announcement,
  AnnouncementAudiencePayload,
  AnnouncementConnection,
  AnnouncementPayload,
  AnnouncementProgress,
} from './dto/announcement.type';
import {
  AnnouncementAudienceInput,
  AnnouncementFilter,
  AnnouncementRefInput,
  CreateAnnouncementInput,
  SaveAnnouncementSettingsInput,
  ScheduleAnnouncementInput,
} from './dto/announcement.inputs';

@Resolver(() => Announcement)
export class AnnouncementsResolver {
  private readonly progressLoader: LoaderFactory<string, AnnouncementProgress> = {
    create: () =>
      new DataLoader(async (ids) => {
        const found = await progressOf(this.dataSource.manager, ids);
        return ids.map((id) => found.get(id) as AnnouncementProgress);
      }),
  };

  constructor(
    private readonly service: AnnouncementsService,
    private readonly settings: AnnouncementSettingsService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Query(() => AnnouncementConnection, {
    description: 'Announcements reaching the caller’s wards, newest first, with their progress.',
  })
  @Allow(Permission.RESIDENTS_READ)
  announcements(
    @CurrentActor() actor: Actor,
    @Args('filter', { type: () => AnnouncementFilter, nullable: true, description: 'Conditions.' })
    filter: AnnouncementFilter | null,
    @Args() { first, after }: PageArgs,
  ) {
    return this.service.list(actor, filter, first, after);
  }

  @Query(() => Announcement, {
    description: 'One announcement; NOT_FOUND outside the caller’s wards.',
  })
  @Allow(Permission.RESIDENTS_READ)
  announcement(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID, description: 'The announcement.' }) id: string,
  ) {
    return this.service.get(actor, id);
  }

  @Query(() => AnnouncementAudiencePayload, {
    description: 'The exact number of residents an announcement would reach, per channel.',
  })
  @Allow(Permission.RESIDENTS_WRITE)
  announcementAudience(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The audience.' }) input: AnnouncementAudienceInput,
  ) {
    return this.service.preview(actor, input);
  }

  @Query(() => AnnouncementSettings, {
    description: 'The municipality’s announcement templates and messaging tier.',
  })
  @Allow(Permission.RESIDENTS_READ)
  announcementSettings(@CurrentActor() actor: Actor) {
    return this.settings.read(actor);
  }

  @Mutation(() => AnnouncementSettingsPayload, {
    description: 'Records the approved templates (WhatsApp name, SMS DLT id) and the tier.',
  })
  @Allow(Permission.NOTIFICATIONS_MANAGE)
  saveAnnouncementSettings(
    @CurrentActor() actor: Actor,
    @Args('input') input: SaveAnnouncementSettingsInput,
  ) {
    return this.settings.save(actor, input);
  }

  @Mutation(() => AnnouncementPayload, {
    description:
      'Writes an announcement (a coordinator: their own ward; an administrator: several wards or the municipality, which then needs a second administrator’s approval).',
  })
  @Allow(Permission.RESIDENTS_WRITE)
  createAnnouncement(@CurrentActor() actor: Actor, @Args('input') input: CreateAnnouncementInput) {
    return this.service.create(actor, input);
  }

  @Mutation(() => AnnouncementPayload, {
    description: 'A second administrator approves a municipality-wide announcement.',
  })
  @Allow(Permission.NOTIFICATIONS_MANAGE)
  approveAnnouncement(@CurrentActor() actor: Actor, @Args('input') input: AnnouncementRefInput) {
    return this.service.approve(actor, input.id);
  }

  @Mutation(() => AnnouncementPayload, { description: 'Sends it at `sendAt` (or now).' })
  @Allow(Permission.RESIDENTS_WRITE)
  scheduleAnnouncement(
    @CurrentActor() actor: Actor,
    @Args('input') input: ScheduleAnnouncementInput,
  ) {
    return this.service.schedule(actor, input);
  }

  @Mutation(() => AnnouncementPayload, { description: 'Stops sending until resumed.' })
  @Allow(Permission.RESIDENTS_WRITE)
  pauseAnnouncement(@CurrentActor() actor: Actor, @Args('input') input: AnnouncementRefInput) {
    return this.service.pause(actor, input.id);
  }

  @Mutation(() => AnnouncementPayload, { description: 'Carries on where it was paused.' })
  @Allow(Permission.RESIDENTS_WRITE)
  resumeAnnouncement(@CurrentActor() actor: Actor, @Args('input') input: AnnouncementRefInput) {
    return this.service.resume(actor, input.id);
  }

  @Mutation(() => AnnouncementPayload, {
    description: 'Cancels it: what has not gone out yet never will.',
  })
  @Allow(Permission.RESIDENTS_WRITE)
  cancelAnnouncement(@CurrentActor() actor: Actor, @Args('input') input: AnnouncementRefInput) {
    return this.service.cancel(actor, input.id);
  }

  @ResolveField(() => AnnouncementProgress, {
    description: 'How many are queued, sent, delivered, read and failed (by reason).',
  })
  progress(@Parent() announcement: Announcement, @Context() ctx: GraphQLContext) {
    return ctx.loaders.get(this.progressLoader).load(announcement.id);
  }
}
