import { Global, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { FastifyInstance } from 'fastify';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { StateMetricsCollector } from './state-metrics.collector';

/**
 * Prometheus metrics at `/metrics`. Global: the GraphQL options take `MetricsService` for
 * their timing plugin. HTTP requests are timed by a Fastify hook, labelled by route pattern
 * (`/files/:id`, never the id), so the label stays bounded.
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsService, StateMetricsCollector],
  exports: [MetricsService],
})
export class MetricsModule implements OnModuleInit {
  constructor(
    private readonly adapter: HttpAdapterHost,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapter.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onResponse', async (request, reply) => {
      this.metrics.observeHttp(
        request.method,
        request.routeOptions.url,
        reply.statusCode,
        reply.elapsedTime / 1000,
      );
    });
  }
}
