import { Controller, Get, HttpException, Inject, Req, Res } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { sameSecret } from '../common/crypto/same-secret';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { MetricsService } from './metrics.service';
import { StateMetricsCollector } from './state-metrics.collector';

/**
 * Prometheus scrapes `GET /metrics` on the API's own port with `Authorization: Bearer
 * <METRICS_TOKEN>`: the numbers name wards and show load, so they are not public. Without a
 * token configured the endpoint is off (404).
 */
@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: MetricsService,
    private readonly state: StateMetricsCollector,
  ) {}

  @Get()
  async scrape(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const token = this.config.metrics.token;
    if (!token) {
      throw new HttpException(
        { error: { code: 'NOT_FOUND', message: 'Metrics are off: set METRICS_TOKEN' } },
        404,
      );
    }
    const header = request.headers.authorization;
    const given = typeof header === 'string' ? /^Bearer (.+)$/i.exec(header)?.[1] : undefined;
    if (!sameSecret(given, token)) {
      void reply.header('www-authenticate', 'Bearer realm="metrics"');
      throw new HttpException(
        { error: { code: 'UNAUTHENTICATED', message: 'Bad or missing bearer token' } },
        401,
      );
    }
    await this.state.refresh();
    void reply
      .code(200)
      .type(this.metrics.registry.contentType)
      .send(await this.metrics.registry.metrics());
  }
}
