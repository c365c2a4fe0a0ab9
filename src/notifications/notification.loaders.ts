import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { groupByKeys, LoaderFactory } from '../common/graphql/graphql-context';
import { Notification } from './entities/notification.entity';
import { NotificationsService } from './notifications.service';

@Injectable()
export class NotificationLoaders {
  constructor(private readonly notifications: NotificationsService) {}

  readonly byRequest: LoaderFactory<string, Notification[]> = {
    create: () =>
      new DataLoader(async (requestIds) => {
        const rows = await this.notifications.byRequests(requestIds);
        return groupByKeys(requestIds, rows, (row) => row.requestId as string);
      }),
  };
}
