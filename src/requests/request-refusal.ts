import { UserError } from '../common/errors/user-error.type';
import { RequestPayload } from './dto/request.payloads';

/**
 * Thrown inside a request transaction to roll it back and answer with payload errors:
 * nothing of a refused change is kept (not even its idempotency key).
 */
export class Refusal extends Error {
  constructor(readonly errors: UserError[]) {
    super('refused');
  }
}

export const refusedRequest = (errors: UserError[]): RequestPayload => ({ request: null, errors });
