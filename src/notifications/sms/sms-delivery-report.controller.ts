import { Controller, Get, HttpCode, HttpException, Inject, Post, Req } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { Logger } from 'pino';
import { sameSecret } from '../../common/crypto/same-secret';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG, APP_LOGGER } from '../../config/config.tokens';
import {
  postedReports,
  ReportVerdict,
  reportFromEvent,
  reportFromQuery,
  SmsDeliveryReportsService,
} from './sms-delivery-reports.service';

/**
 * Gupshup's real-time delivery reports. Gupshup does not sign them: the callback URL
 * registered with Gupshup carries our secret (`?secret=`), checked in constant time; a call
 * without it is refused before anything is read.
 */
@Controller('webhooks/sms/gupshup')
export class SmsDeliveryReportController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: Logger,
    private readonly reports: SmsDeliveryReportsService,
  ) {}

  /** One report in the query string (Gupshup's default callback). */
  @Get()
  @HttpCode(200)
  async one(@Req() request: FastifyRequest): Promise<{ verdicts: ReportVerdict[] }> {
    this.authenticate(request);
    const report = reportFromQuery(request.query);
    if (!report) throw badReport('externalId and status are required');
    const verdict = await this.reports.apply(report);
    if (verdict === 'REFUSED') throw badReport('the report does not fit the message it names');
    return { verdicts: [verdict] };
  }

  /** A batch of reports as a JSON array (Gupshup's POST callback). */
  @Post()
  @HttpCode(200)
  async batch(@Req() request: FastifyRequest): Promise<{ verdicts: ReportVerdict[] }> {
    this.authenticate(request);
    const events = postedReports.safeParse(request.body);
    if (!events.success) throw badReport('the body must be a JSON array of 1–100 reports');
    const verdicts: ReportVerdict[] = [];
    // One bad event must not hold back the others: it is refused on its own and logged.
    for (const event of events.data) {
      const report = reportFromEvent(event);
      verdicts.push(report ? await this.reports.apply(report) : 'REFUSED');
    }
    const refused = verdicts.filter((v) => v === 'REFUSED').length;
    if (refused) this.logger.warn({ refused }, 'SMS delivery reports refused in a batch');
    return { verdicts };
  }

  private authenticate(request: FastifyRequest): void {
    const expected = this.config.sms.provider === 'gupshup' ? this.config.sms.dlrSecret : '';
    const given = (request.query as Record<string, unknown> | undefined)?.secret;
    if (!sameSecret(typeof given === 'string' ? given : null, expected)) {
      this.logger.warn(
        { reason: expected ? 'bad secret' : 'no SMS provider configured' },
        'SMS delivery report refused',
      );
      throw new HttpException(
        { error: { code: 'UNAUTHENTICATED', message: 'Bad or missing secret' } },
        401,
      );
    }
  }
}

function badReport(message: string): HttpException {
  return new HttpException({ error: { code: 'BAD_REPORT', message } }, 400);
}
