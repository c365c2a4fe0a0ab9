import { JobsModule } from './jobs/jobs.module';
import { DynamicModule, Module } from '@nestjs/common';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import { AuthenticatorService } from './auth/authenticator.service';
import { RateLimitModule } from './common/rate-limit/rate-limit.module';
import { RateLimiterService } from './common/rate-limit/rate-limiter.service';
import { LiveQueueModule } from './live-queue/live-queue.module';
import { IntegrationModule } from './integration/integration.module';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { WORKERS } from './database/worker-data-source';
import { Logger } from 'pino';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CertificatesModule } from './certificates/certificates.module';
import { DeliveriesModule } from './deliveries/deliveries.module';
import { NextStepsModule } from './next-steps/next-steps.module';
import { buildGraphQLOptions } from './common/graphql/graphql-options';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { buildDataSourceOptions } from './database/data-source-options';
import { QueryCounter } from './database/query-counter';
import { DemoModule } from './demo/demo.module';
import { HealthModule } from './health/health.module';
import { NotificationsModule } from './notifications/notifications.module';
import { AnnouncementsModule } from './announcements/announcements.module';
import { RequestsModule } from './requests/requests.module';
import { HousekeepingModule } from './housekeeping/housekeeping.module';
import { ResidentsModule } from './residents/residents.module';
import { StatisticsModule } from './statistics/statistics.module';
import { TrackingLinksModule } from './tracking-links/tracking-links.module';
import { CallbacksModule } from './callbacks/callbacks.module';
import { FeedbackModule } from './feedback/feedback.module';
import { WardsModule } from './wards/wards.module';
import { FilesModule } from './files/files.module';
import { WhatsAppModule } from './whatsapp/whatsapp.module';
import { graphqlMetricsPlugin } from './metrics/graphql-metrics.plugin';
import { MetricsModule } from './metrics/metrics.module';
import { MetricsService } from './metrics/metrics.service';

export interface AppModuleOptions {
  config: AppConfig;
  logger: Logger;
  databaseUrl: string;
  /** Tests pass one to pin SQL statement counts. */
  queryCounter?: QueryCounter;
  /** The same for the background workers' pool (the inbox's cost per message). */
  workerQueryCounter?: QueryCounter;
}

@Module({})
export class AppModule {
  static forRoot({
    config,
    logger,
    databaseUrl,
    queryCounter,
    workerQueryCounter,
  }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config, logger),
        JobsModule,
        TypeOrmModule.forRoot({
          ...buildDataSourceOptions(
            databaseUrl,
            config.database.poolSize,
            queryCounter,
            config.graphql.operationTimeoutMs,
          ),
          autoLoadEntities: true,
          // Fail fast at boot; the app's own start-up decides about retrying.
          retryAttempts: 0,
        }),
        // The background workers' own small pool: a crowd of API calls, imports or exports
        // can take every connection of the main pool, never these.
        TypeOrmModule.forRootAsync({
          name: WORKERS,
          inject: [getDataSourceToken()],
          useFactory: (main: DataSource) => ({
            ...buildDataSourceOptions(
              databaseUrl,
              config.database.workerPoolSize,
              workerQueryCounter,
              config.graphql.operationTimeoutMs,
            ),
            name: WORKERS,
            extra: {
              ...(buildDataSourceOptions(databaseUrl, 1).extra as Record<string, unknown>),
              max: config.database.workerPoolSize,
              application_name: 'duare-workers',
              statement_timeout: config.graphql.operationTimeoutMs,
              lock_timeout: config.graphql.operationTimeoutMs,
            },
            entities: main.entityMetadatas.map((metadata) => metadata.target),
            retryAttempts: 0,
          }),
        }),
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          imports: [AuthModule, RateLimitModule],
          inject: [AuthenticatorService, RateLimiterService, MetricsService],
          useFactory: (
            authenticator: AuthenticatorService,
            limiter: RateLimiterService,
            metrics: MetricsService,
          ) =>
            buildGraphQLOptions(
              config,
              logger,
              (request) => authenticator.authenticate(request),
              {
                limit: config.graphql.ratePerMinute,
                spend: (actor, points) =>
                  limiter.spend(
                    `api:${actor.type}:${actor.id}`,
                    points,
                    config.graphql.ratePerMinute,
                    60,
                  ),
                settle: (spent, actual) => limiter.settle(spent, actual),
                authenticateAndSpend: (request, points) =>
                  authenticator.authenticateAndCharge(request, (caller, firstParam, condition) =>
                    limiter.planSpend(
                      `api:${caller.type}:${caller.id}`,
                      points,
                      config.graphql.ratePerMinute,
                      60,
                      firstParam,
                      condition,
                    ),
                  ),
              },
              [graphqlMetricsPlugin(metrics)],
            ),
        }),
        MetricsModule,
        HealthModule,
        AuditModule,
        AuthModule,
        WardsModule,
        ResidentsModule,
        RequestsModule,
        NotificationsModule,
        AnnouncementsModule,
        FilesModule,
        WhatsAppModule,
        CertificatesModule,
        DeliveriesModule,
        NextStepsModule,
        LiveQueueModule,
        IntegrationModule,
        StatisticsModule,
        TrackingLinksModule,
        CallbacksModule,
        FeedbackModule,
        HousekeepingModule,
        DemoModule,
      ],
    };
  }
}
