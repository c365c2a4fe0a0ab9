import {
  Controller,
  Get,
  HttpCode,
  HttpException,
  Inject,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG, APP_LOGGER } from '../config/config.tokens';
import { WhatsAppInboxService } from './whatsapp-inbox.service';
import { webhookPayload } from './whatsapp-payload';
import { validSignature } from './whatsapp-signature';
import { unstorableJson } from './unstorable-json';

/**
 * The WhatsApp Cloud API webhook. A POST is verified over its raw bytes, stored, and
 * answered 200 at once; the work happens from the stored copy.
 */
@Controller('webhooks/whatsapp')
export class WhatsAppWebhookController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    private readonly inbox: WhatsAppInboxService,
  ) {}

  /** The subscription handshake: echo the challenge when the verify token matches. */
  @Get()
  verify(
    @Query('hub.mode') mode: string | undefined,
    @Query('hub.verify_token') token: string | undefined,
    @Query('hub.challenge') challenge: string | undefined,
    @Res() reply: FastifyReply,
  ): void {
    const expected = this.config.whatsapp.verifyToken;
    if (mode === 'subscribe' && expected && token === expected && challenge) {
      void reply.code(200).type('text/plain').send(challenge);
      return;
    }
    void reply.code(403).type('text/plain').send('Forbidden');
  }

  @Post()
  @HttpCode(200)
  async receive(
    @Req() request: FastifyRequest & { rawBody?: Buffer },
  ): Promise<{ received: true }> {
    const secret = this.config.whatsapp.appSecret;
    const raw = request.rawBody;
    if (!secret || !raw || !validSignature(raw, request.headers['x-hub-signature-256'], secret)) {
      this.logger.warn(
        { reason: secret ? 'bad signature' : 'no app secret configured' },
        'WhatsApp webhook refused',
      );
      throw new HttpException(
        { error: { code: 'UNAUTHENTICATED', message: 'Bad or missing signature' } },
        401,
      );
    }
    if (unstorableJson(raw.toString('utf8'))) {
      throw new HttpException(
        { error: { code: 'BAD_PAYLOAD', message: 'The payload holds text that cannot be stored' } },
        400,
      );
    }
    const parsed = webhookPayload.safeParse(request.body);
    if (!parsed.success) {
      throw new HttpException(
        { error: { code: 'BAD_PAYLOAD', message: 'Not a WhatsApp Business webhook payload' } },
        400,
      );
    }
    try {
      await this.inbox.store(parsed.data);
    } catch (error) {
      // Not stored (the database is unreachable): not a 200, so WhatsApp delivers it again.
      this.logger.warn({ err: error }, 'WhatsApp webhook not stored; it will be delivered again');
      throw new HttpException(
        { error: { code: 'SERVICE_UNAVAILABLE', message: 'Not stored; deliver it again later' } },
        503,
      );
    }
    return { received: true };
  }
}
