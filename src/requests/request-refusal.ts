import { UserError } from '../common/errors/user-error.type';
import { RequestPayload } from './dto/request.payloads';
import { ServiceRequest } from './entities/service-request.entity';

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

/** Runs a request change; a Refusal thrown inside becomes the payload's errors. */
export async function refusable(work: () => Promise<ServiceRequest>): Promise<RequestPayload> {
  try {
    return { request: await work(), errors: [] };
  } catch (error) {
    if (error instanceof Refusal) return refusedRequest(error.errors);
    throw error;
  }
}
