import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { BoundedLabels } from './bounded-labels';

/** Distinct GraphQL operation names (and error codes) kept as labels; later ones are `_other`. */
const MAX_OPERATION_NAMES = 150;
const MAX_ERROR_CODES = 60;
/** Seconds: from a cached read (a few ms) to an export's long statement. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The application's Prometheus registry (one per app, so that several apps in one process —
 * the tests — do not share counters), with Node's default metrics (memory, event-loop lag,
 * GC, handles) and the HTTP and GraphQL request metrics.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly operations = new BoundedLabels(MAX_OPERATION_NAMES);
  private readonly errorCodes = new BoundedLabels(MAX_ERROR_CODES, '_other', /^[A-Z0-9_]{1,40}$/);

  private readonly http = new Histogram({
    name: 'duare_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status code, and how long they took.',
    labelNames: ['method', 'route', 'status_code'],
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });

  private readonly graphql = new Histogram({
    name: 'duare_graphql_operation_duration_seconds',
    help: 'GraphQL operations by name, type and outcome (ok or error), and how long they took. Anonymous operations are `_anonymous`; names past the first 150 are `_other`.',
    labelNames: ['operation', 'type', 'outcome'],
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });

  private readonly graphqlErrors = new Counter({
    name: 'duare_graphql_errors_total',
    help: 'Errors in GraphQL responses by extensions.code (NOT_FOUND, FORBIDDEN, INTERNAL_SERVER_ERROR …).',
    labelNames: ['code'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  observeHttp(method: string, route: string | undefined, status: number, seconds: number): void {
    this.http.observe(
      { method, route: route ?? 'unmatched', status_code: String(status) },
      seconds,
    );
  }

  observeGraphQL(
    operation: { name: string | null; type: string | null },
    errorCodes: string[],
    seconds: number,
  ): void {
    const name = operation.type
      ? operation.name
        ? this.operations.label(operation.name)
        : '_anonymous'
      : '_invalid';
    this.graphql.observe(
      {
        operation: name,
        type: operation.type ?? 'none',
        outcome: errorCodes.length ? 'error' : 'ok',
      },
      seconds,
    );
    for (const code of errorCodes) this.graphqlErrors.inc({ code: this.errorCodes.label(code) });
  }
}
