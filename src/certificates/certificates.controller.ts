import { Controller, Get, HttpException, Param, Query, Req, Res } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuthenticatorService } from '../auth/authenticator.service';
import { AppError } from '../common/errors/app.error';
import { ErrorCode } from '../common/errors/error-code';
import { CertificatePdfService } from './certificate-pdf.service';
import { CertificateSigningService } from './certificate-signing.service';
import { CertificatesService } from './certificates.service';
import { normalizeVerificationCode, parseShortReference } from './certificate-content';
import { PublicCertificateStatus } from './dto/certificate.dto';
import { VERIFY_PAGE_HEADERS, verificationFormPage, verificationPage } from './verification-page';

/** What a certificate number may be written with: letters, digits (also Bengali), `/`, `-`, spaces. */
const NUMBER_SHAPE = /^[A-Za-z0-9০-৯/\- ]{0,60}$/;
const CODE_SHAPE = /^[A-Za-z0-9০-৯\- ]{0,16}$/;

/** Every query value a verification route reads is one string: `?c=X&c=Y` is refused. */
function queryIsPlain(query: Record<string, unknown> | undefined): boolean {
  return Object.values(query ?? {}).every((value) => typeof value === 'string');
}

const fontFile = (pkg: string, file: string) => {
  let bytes: Buffer | null = null;
  return () =>
    (bytes ??= readFileSync(join(require.resolve(`${pkg}/package.json`), '..', 'files', file)));
};
const FONT_FILES: Record<string, () => Buffer> = {
  'noto-sans-bengali-400.woff2': fontFile(
    '@fontsource/noto-sans-bengali',
    'noto-sans-bengali-bengali-400-normal.woff2',
  ),
  'noto-sans-bengali-700.woff2': fontFile(
    '@fontsource/noto-sans-bengali',
    'noto-sans-bengali-bengali-700-normal.woff2',
  ),
  'noto-sans-400.woff2': fontFile('@fontsource/noto-sans', 'noto-sans-latin-400-normal.woff2'),
  'noto-sans-700.woff2': fontFile('@fontsource/noto-sans', 'noto-sans-latin-700-normal.woff2'),
};

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

  /** What the QR code opens: `/v/BSR-RES-2627-000001-XY18TGNY` (any case). */
  @Get(['v/:ref', 'V/:ref'])
  async short(
    @Param('ref') ref: string,
    @Query() query: Record<string, unknown>,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    if (!queryIsPlain(query)) return this.badRequest(reply);
    const parsed = parseShortReference(ref);
    if (!parsed) return this.notFound(reply);
    await this.answer(parsed.number, parsed.code, request, reply);
  }

  /**
   * The full signed content behind a short reference, for an offline check against the
   * published keys (`npm run verify-certificate -- signed.json --keys duare-keys.json`).
   */
  @Get(['v/:ref/signed', 'V/:ref/signed'])
  async signed(
    @Param('ref') ref: string,
    @Query() query: Record<string, unknown>,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const parsed = queryIsPlain(query) ? parseShortReference(ref) : null;
    if (!parsed)
      throw new HttpException({ error: { code: 'NOT_FOUND', message: 'Not found' } }, 404);
    try {
      const result = await this.certificates.verify(parsed.number, parsed.code, request.ip);
      if (result.status === PublicCertificateStatus.UNKNOWN || !result.signedPayload)
        throw new HttpException({ error: { code: 'NOT_FOUND', message: 'Not found' } }, 404);
      void reply
        .code(200)
        .header('content-type', 'application/json; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="${parsed.number.replace(/\//g, '-')}.signed.json"`,
        )
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff')
        .send({
          format: 'duare-signed-certificate/1',
          status: result.status,
          keyId: result.keyId,
          payload: result.signedPayload,
          signature: result.signature,
          keys: '/.well-known/duare-keys.json',
        });
    } catch (error) {
      asHttp(error);
    }
  }

  /** The form to type a number and a code, and where it is sent (`?n=…&c=…`). */
  @Get('verify')
  async form(
    @Query() query: Record<string, unknown>,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    if (!queryIsPlain(query)) return this.badRequest(reply);
    const number = typeof query.n === 'string' ? query.n : '';
    const code = typeof query.c === 'string' ? query.c : '';
    if (!number.trim()) return this.html(reply, 200, verificationFormPage({ code }));
    const short = parseShortReference(number);
    if (short) return this.answer(short.number, short.code, request, reply);
    await this.answer(number, code, request, reply);
  }

  /**
   * A number after `/verify/`, its slashes plain (`/verify/BSR/RES/2026-27/000001?c=…`) or
   * encoded as old QR codes have them; without a code, the form with the number filled in.
   */
  @Get('verify/*')
  async page(
    @Param('*') path: string,
    @Query() query: Record<string, unknown>,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    if (!queryIsPlain(query)) return this.badRequest(reply);
    const short = parseShortReference(path);
    if (short) return this.answer(short.number, short.code, request, reply);
    await this.answer(path, typeof query.c === 'string' ? query.c : '', request, reply);
  }

  /** The page's fonts, from npm: Bengali reads the same on every phone. */
  @Get('verify-assets/:file')
  asset(@Param('file') file: string, @Res() reply: FastifyReply) {
    const font = FONT_FILES[file];
    if (!font) throw new HttpException({ error: { code: 'NOT_FOUND', message: 'Not found' } }, 404);
    void reply
      .code(200)
      .header('content-type', 'font/woff2')
      .header('cache-control', 'public, max-age=604800, immutable')
      .header('x-content-type-options', 'nosniff')
      .send(font());
  }

  private async answer(
    number: string,
    code: string,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<void> {
    if (!NUMBER_SHAPE.test(number) || !CODE_SHAPE.test(code))
      return this.badRequest(reply, number, code);
    if (!code.trim()) return this.html(reply, 200, verificationFormPage({ number }));
    try {
      const result = await this.certificates.verify(number, code, request.ip);
      this.html(
        reply,
        result.status === PublicCertificateStatus.UNKNOWN ? 404 : 200,
        verificationPage(result, { number, code: normalizeVerificationCode(code) }),
      );
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

  private html(reply: FastifyReply, status: number, body: string): void {
    void reply.code(status).headers(VERIFY_PAGE_HEADERS).send(body);
  }

  private badRequest(reply: FastifyReply, number?: string, code?: string): void {
    const printable = (text?: string) =>
      text && NUMBER_SHAPE.test(text) && text.length <= 60 ? text : undefined;
    this.html(
      reply,
      400,
      verificationFormPage({
        number: printable(number),
        code: printable(code),
        message: {
          bn: 'নম্বর বা কোড ঠিকমতো লেখা হয়নি।',
          en: 'The number or code is not written correctly.',
        },
      }),
    );
  }

  private notFound(reply: FastifyReply): void {
    this.html(
      reply,
      404,
      verificationFormPage({
        message: {
          bn: 'এই লিংকটি কোনো শংসাপত্রের নয়; নম্বর ও কোড লিখুন।',
          en: 'This link is not a certificate’s; type the number and code.',
        },
      }),
    );
  }

  @Get('.well-known/duare-keys.json')
  async keys() {
    return { keys: await this.signing.publishedKeys() };
  }
}
