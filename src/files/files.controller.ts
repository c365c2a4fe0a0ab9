import { Controller, Get, HttpException, Param, Req, Res } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { AuthenticatorService } from '../auth/authenticator.service';
import { AppError } from '../common/errors/app.error';
import { ErrorCode } from '../common/errors/error-code';
import { FilesService } from './files.service';

const STATUS_OF: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.BAD_USER_INPUT]: 400,
};

/**
 * Staff fetch residents' files here with their token: `GET /files/:id`. Photos, PDFs and
 * voice notes open in the browser; nothing in them can run (sandboxed, no sniffing).
 */
@Controller('files')
export class FilesController {
  constructor(
    private readonly authenticator: AuthenticatorService,
    private readonly files: FilesService,
  ) {}

  @Get(':id')
  async fetch(
    @Param('id') id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { actor } = await this.authenticator.authenticate(request);
    if (!actor) refuse(401, ErrorCode.UNAUTHENTICATED, 'Sign in, or send a valid API key');
    try {
      const { file, content } = await this.files.open(actor, id);
      await reply
        .header('content-type', file.mimeType)
        .header('content-length', String(file.sizeBytes))
        .header('cache-control', 'private, max-age=3600')
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header(
          'content-disposition',
          `inline; filename*=UTF-8''${encodeURIComponent(file.originalName ?? file.id)}`,
        )
        .send(content);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      refuse(STATUS_OF[error.code] ?? 400, error.code, error.message);
    }
  }
}

function refuse(status: number, code: string, message: string): never {
  throw new HttpException({ error: { code, message } }, status);
}
