import { Controller, Get, HttpException, Param, Query, Req, Res } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { AuthenticatorService } from '../auth/authenticator.service';
import { AppError } from '../common/errors/app.error';
import { ErrorCode } from '../common/errors/error-code';
import { CertificatePdfService } from './certificate-pdf.service';
import { CertificateSigningService } from './certificate-signing.service';
import { CertificatesService } from './certificates.service';
import { verificationPage } from './verification-page';

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.RATE_LIMITED]: 429,
  [ErrorCode.SERVICE_UNAVAILABLE]: 503,
};

function asHttp(error: unknown): never {
  if (error instanceof AppError && HTTP_STATUS[error.code]) {
    throw new HttpException(
      { error: { code: error.code, message: error.message } },
      HTTP_STATUS[error.code]!,
    );
  }
  throw error;
}

/** The certificate PDF for staff, the public verification page and the published keys. */
@Controller()
export class CertificatesController {
  constructor(
    private readonly authenticator: AuthenticatorService,
    private readonly certificates: CertificatesService,
    private readonly pdf: CertificatePdfService,
    private readonly signing: CertificateSigningService,
  ) {}

  @Get('certificates/:file')
  async download(
    @Param('file') file: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const id = /^([0-9a-f-]{36})\.pdf$/i.exec(file)?.[1];
    if (!id) throw new HttpException({ error: { code: 'NOT_FOUND', message: 'Not found' } }, 404);
    try {
      const { actor } = await this.authenticator.authenticate(request);
      if (!actor) throw new AppError(ErrorCode.UNAUTHENTICATED, 'Sign in, or send a valid API key');
      const certificate = await this.certificates.getVisible(actor, id);
      const bytes = await this.pdf.render(
        certificate,
        await this.certificates.payloadOf(certificate),
      );
      void reply
        .code(200)
        .header('content-type', 'application/pdf')
        .header(
          'content-disposition',
          `inline; filename="${certificate.number.replace(/\//g, '-')}.pdf"`,
        )
        .header('cache-control', 'private, no-store')
        .send(bytes);
    } catch (error) {
      asHttp(error);
    }
  }

  /** What the QR code opens: a plain HTML page, no scripts, in Bengali and English. */
  @Get('verify/:number')
  async page(
    @Param('number') number: string,
    @Query('c') code: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    try {
      const result = await this.certificates.verify(number, code ?? '', request.ip);
      void reply
        .code(200)
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .send(verificationPage(result));
    } catch (error) {
      if (error instanceof AppError && error.code === ErrorCode.RATE_LIMITED) {
        void reply
          .code(429)
          .header('content-type', 'text/plain; charset=utf-8')
          .send('অনেকবার চেষ্টা হয়েছে, একটু পরে আবার চেষ্টা করুন। Too many checks; try again shortly.');
        return;
      }
      throw error;
    }
  }

  @Get('.well-known/duare-keys.json')
  async keys() {
    return { keys: await this.signing.publishedKeys() };
  }
}
