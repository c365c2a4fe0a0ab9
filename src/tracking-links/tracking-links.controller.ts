import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../common/errors/app.error';
import { ErrorCode } from '../common/errors/error-code';
import {
  TRACKING_PAGE_HEADERS,
  trackingBusyPage,
  trackingGonePage,
  trackingPage,
} from './tracking-page';
import { TrackingLinksService } from './tracking-links.service';

/** `/t/<token>`: a request's page for its resident, no account, no scripts. */
@Controller()
export class TrackingLinksController {
  constructor(private readonly links: TrackingLinksService) {}

  @Get('t/:token')
  async page(
    @Param('token') token: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    try {
      const view = await this.links.view(token, request.ip);
      this.html(reply, view ? 200 : 404, view ? trackingPage(view) : trackingGonePage());
    } catch (error) {
      if (error instanceof AppError && error.code === ErrorCode.RATE_LIMITED) {
        this.html(reply, 429, trackingBusyPage());
        return;
      }
      throw error;
    }
  }

  private html(reply: FastifyReply, status: number, body: string): void {
    void reply.code(status).headers(TRACKING_PAGE_HEADERS).send(body);
  }
}
