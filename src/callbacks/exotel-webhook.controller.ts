import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG, APP_LOGGER } from '../config/config.tokens';
import { CallbacksService, maskedPhone } from './callbacks.service';
import { exotelAuthorized, parsePassthru } from './exotel-passthru';

/**
 * Exotel's Passthru applet on a ward's missed-call number (docs/residents-loop.md). Answers
 * 200 once the call is stored (Exotel retries otherwise), 401 without the credentials.
 */
@Controller('webhooks/exotel')
export class ExotelWebhookController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    private readonly callbacks: CallbacksService,
  ) {}

  @Get('missed-call')
  async missedCall(
    @Query() query: Record<string, unknown>,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const secret = this.config.telephony.exotelWebhookSecret;
    if (!exotelAuthorized(request.headers.authorization, secret)) {
      // The header itself is never logged (it is the secret, or someone's guess at it).
      this.logger.warn(
        { reason: secret ? 'bad credentials' : 'EXOTEL_WEBHOOK_SECRET not set', ip: request.ip },
        'Exotel missed-call webhook refused',
      );
      void reply
        .code(401)
        .header('www-authenticate', 'Basic realm="duare-telephony"')
        .type('text/plain')
        .send('Unauthorized');
      return;
    }
    const parsed = parsePassthru(query ?? {}, new Date());
    if (!parsed.ok) {
      this.logger.warn({ problem: parsed.problem }, 'Exotel missed call not understood');
      void reply.code(400).type('text/plain').send(parsed.problem);
      return;
    }
    const outcome = await this.callbacks.receive(parsed.call);
    this.logger.info(
      { call: parsed.call.callSid, from: maskedPhone(parsed.call.from), outcome },
      'missed call received',
    );
    // An unknown number is Exotel's set-up, not a retryable failure: 200, logged.
    void reply.code(200).type('text/plain').send(outcome);
  }
}
