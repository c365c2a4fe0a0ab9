import { Body, Controller, Inject, Post, Req, Res } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'pino';
import { exotelAuthorized } from '../callbacks/exotel-passthru';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG, APP_LOGGER } from '../config/config.tokens';
import { FeedbackService } from './feedback.service';

const text = (value: unknown, max: number) =>
  typeof value === 'string' && value.length <= max ? value : null;

/**
 * Exotel's incoming-SMS callback on the ward's number (a POST, form-encoded: `SmsSid`,
 * `From`, `To`, `Body`, `Date`), authenticated like the missed-call Passthru (HTTP Basic).
 */
@Controller('webhooks/exotel')
export class ExotelSmsController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    private readonly feedback: FeedbackService,
  ) {}

  @Post('sms')
  async incoming(
    @Body() body: Record<string, unknown> | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (
      !exotelAuthorized(request.headers.authorization, this.config.telephony.exotelWebhookSecret)
    ) {
      this.logger.warn({ ip: request.ip }, 'Exotel incoming SMS refused: bad credentials');
      void reply.code(401).type('text/plain').send('Unauthorized');
      return;
    }
    const smsSid = text(body?.SmsSid, 64);
    const from = text(body?.From, 40);
    const to = text(body?.To, 40);
    const message = text(body?.Body, 2000);
    if (!smsSid || !/^[A-Za-z0-9_-]{6,64}$/.test(smsSid) || !from || !to || message === null) {
      void reply.code(400).type('text/plain').send('BAD_SMS');
      return;
    }
    const outcome = await this.feedback.receiveSms({ smsSid, from, to, body: message });
    // The text itself is the resident's: only what was done with it is logged.
    this.logger.info({ sms: smsSid, outcome }, 'incoming SMS');
    void reply.code(200).type('text/plain').send(outcome);
  }
}
