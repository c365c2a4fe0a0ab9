import { DynamicModule, Global, Module } from '@nestjs/common';
import { Logger } from 'pino';
import { AppConfig } from './app-config';
import { APP_CONFIG, APP_LOGGER } from './config.tokens';

/** Makes the validated configuration and the root logger injectable everywhere. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: APP_LOGGER, useValue: logger },
      ],
      exports: [APP_CONFIG, APP_LOGGER],
    };
  }
}
