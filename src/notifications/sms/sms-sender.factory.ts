import { Logger } from 'pino';
import { EntityManager } from 'typeorm';
import type { AppConfig } from '../../config/app-config';
import { LogSender } from '../channels/log.sender';
import { NotificationSender } from '../channels/notification-sender';
import { SmsSender } from '../channels/sms.sender';
import { GupshupSmsProvider } from './gupshup-sms.provider';

/** The SMS channel's sender for the configured provider: the log unless one is set up. */
export function smsSender(
  config: AppConfig,
  logger: Logger,
  manager: EntityManager,
): NotificationSender {
  if (config.sms.provider === 'gupshup') {
    return new SmsSender(new GupshupSmsProvider(config.sms), manager, logger, config.isProduction);
  }
  return new LogSender(logger, 'SMS', !config.isProduction);
}
