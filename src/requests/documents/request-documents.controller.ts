import { Controller, HttpCode, HttpException, Put, Query, Req } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { AuthenticatorService } from '../../auth/authenticator.service';
import { AppError } from '../../common/errors/app.error';
import { ErrorCode } from '../../common/errors/error-code';
import { FileRefused, FilesService } from '../../files/files.service';
import { Refusal } from '../../common/errors/refusal';
import { RequestDocumentsService } from './request-documents.service';

const STATUS_OF: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.BAD_USER_INPUT]: 400,
};

function fail(status: number, code: string, message: string, field?: string): never {
  throw new HttpException({ error: { code, message, ...(field ? { field } : {}) } }, status);
}

/**
 * Reads at most `limit` bytes of a body; one byte more and it stops reading (the rest is
 * never buffered), so an oversize upload costs the server `limit` bytes at most.
 */
async function readBounded(body: Readable, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      body.destroy();
      return null;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * `PUT /uploads?grant=<grant>`: the bytes of one document, to the short-lived URL that
 * `createDocumentUpload` gave, with the same caller's token. Sent as
 * `application/octet-stream`: the type is read from the bytes, never taken from the client.
 */
@Controller('uploads')
export class RequestDocumentsController {
  constructor(
    private readonly authenticator: AuthenticatorService,
    private readonly files: FilesService,
    private readonly documents: RequestDocumentsService,
  ) {}

  @Put()
  @HttpCode(201)
  async upload(@Query('grant') token: string, @Req() request: FastifyRequest) {
    const { actor } = await this.authenticator.authenticate(request);
    if (!actor) fail(401, ErrorCode.UNAUTHENTICATED, 'Sign in, or send a valid API key');
    if (!String(request.headers['content-type'] ?? '').startsWith('application/octet-stream')) {
      fail(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the file as application/octet-stream');
    }
    try {
      const grant = this.documents.grantOf(String(token ?? ''), actor);
      const limit = this.files.maxBytes;
      const declared = Number(request.headers['content-length'] ?? 0);
      const bytes = declared > limit ? null : await readBounded(request.body as Readable, limit);
      if (!bytes) fail(413, 'TOO_LARGE', `at most ${limit} bytes are accepted`, 'file');
      const req = await this.documents.requestOf(grant);
      const file = await this.files.keep({
        municipalityId: req.municipalityId,
        wardId: req.wardId,
        bytes,
        source: 'UPLOAD',
      });
      const attachment = await this.documents.attach(actor, grant, file);
      return {
        attachment: {
          id: attachment.id,
          documentCode: attachment.documentCode,
          mimeType: attachment.mimeType,
          sizeBytes: attachment.sizeBytes,
          sha256: attachment.sha256,
          downloadUrl: attachment.downloadUrl,
        },
      };
    } catch (error) {
      if (error instanceof HttpException) throw error;
      if (error instanceof FileRefused) {
        const status = error.reason === 'TOO_LARGE' ? 413 : error.reason === 'EMPTY' ? 400 : 415;
        fail(status, error.reason, error.message, 'file');
      }
      if (error instanceof Refusal) {
        const [first] = error.errors;
        fail(400, first.code, first.message, first.field ?? undefined);
      }
      if (error instanceof AppError) fail(STATUS_OF[error.code] ?? 400, error.code, error.message);
      throw error;
    }
  }
}
