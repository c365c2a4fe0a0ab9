import { Controller, HttpCode, HttpException, Post, Req } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { AuthenticatorService } from '../auth/authenticator.service';
import { AppError } from '../common/errors/app.error';
import { ErrorCode } from '../common/errors/error-code';
import {
  BadCsvError,
  CsvTooLargeError,
  ImportBusyError,
  ImportResult,
  ResidentImportService,
  UploadTimeoutError,
} from './resident-import.service';

const STATUS_OF: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
};

function fail(status: number, code: string, message: string): never {
  throw new HttpException({ error: { code, message } }, status);
}

/**
 * `POST /imports/residents` with a `text/csv` body (UTF-8), by an administrator, a
 * coordinator (their wards) or an API client with `residents:write`.
 */
@Controller('imports')
export class ResidentImportController {
  constructor(
    private readonly authenticator: AuthenticatorService,
    private readonly imports: ResidentImportService,
  ) {}

  @Post('residents')
  @HttpCode(200)
  async importResidents(@Req() request: FastifyRequest): Promise<ImportResult> {
    const { actor } = await this.authenticator.authenticate(request);
    if (!actor) fail(401, ErrorCode.UNAUTHENTICATED, 'Sign in, or send a valid API key');
    if (!String(request.headers['content-type'] ?? '').startsWith('text/csv')) {
      fail(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the file as text/csv (UTF-8)');
    }
    try {
      return await this.imports.importCsv(actor, request.body as Readable);
    } catch (error) {
      if (error instanceof CsvTooLargeError) fail(413, 'PAYLOAD_TOO_LARGE', error.message);
      if (error instanceof UploadTimeoutError) fail(408, 'REQUEST_TIMEOUT', error.message);
      if (error instanceof ImportBusyError) fail(429, 'RATE_LIMITED', error.message);
      if (error instanceof BadCsvError) fail(400, 'BAD_CSV', error.message);
      if ((error as { code?: string })?.code === 'CSV_MAX_RECORD_SIZE') {
        fail(400, 'BAD_CSV', 'A row is longer than the limit (IMPORT_MAX_FIELD_CHARS characters)');
      }
      if ((error as { code?: string })?.code?.startsWith?.('CSV_')) {
        fail(400, 'BAD_CSV', `The file is not valid CSV: ${(error as Error).message}`);
      }
      if (error instanceof AppError && STATUS_OF[error.code])
        fail(STATUS_OF[error.code]!, error.code, error.message);
      throw error;
    }
  }
}
