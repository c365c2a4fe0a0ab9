import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import DataLoader from 'dataloader';
import { AnnouncementRepliesService } from '../../announcements/announcement-replies.service';
import { Announcement } from '../../announcements/dto/announcement.type';
import { GraphQLContext, LoaderFactory } from '../../common/graphql/graphql-context';
import { WhatsAppMessage } from '../entities/whatsapp-message.entity';

/** Marks a resident's message in the thread that answers an announcement. */
@Resolver(() => WhatsAppMessage)
export class AnnouncementReplyResolver {
  private readonly byWamid: LoaderFactory<string, Announcement | null> = {
    create: () =>
      new DataLoader(async (wamids) => {
        const found = await this.replies.repliedTo(wamids);
        return wamids.map((wamid) => found.get(wamid) ?? null);
      }),
  };

  constructor(private readonly replies: AnnouncementRepliesService) {}

  @ResolveField(() => Announcement, {
    nullable: true,
    description: 'The announcement this resident’s message replies to, if any.',
  })
  inReplyToAnnouncement(@Parent() message: WhatsAppMessage, @Context() ctx: GraphQLContext) {
    if (message.direction !== 'IN' || !message.wamid) return null;
    return ctx.loaders.get(this.byWamid).load(message.wamid);
  }
}
