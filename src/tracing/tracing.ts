import { IncomingMessage } from 'node:http';
import type { Span } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/** Routes whose requests are not traced: scrapes and probes would drown the rest. */
const UNTRACED = /^\/(metrics|health)(\/|\?|$)/;

/**
 * Query strings are not kept in spans: a GET /graphql carries its variables (names, phone
 * numbers) there, and a callback URL its secret.
 */
function dropQuery(span: Span): void {
  span.setAttribute('url.query', '[not recorded]');
}

/** Outbound calls' URLs without their query (a customer's webhook URL may hold a token). */
function withoutQuery(url: string): string {
  const at = url.indexOf('?');
  return at < 0 ? url : `${url.slice(0, at)}?[not recorded]`;
}

export interface TracingOptions {
  /** Instead of OTLP (tests): where the finished spans go. */
  exporter?: SpanExporter;
}

/**
 * OpenTelemetry traces of HTTP requests, GraphQL operations (parse, validate, execute),
 * their SQL, and outbound HTTP (WhatsApp, SMS, webhooks), sent over OTLP/HTTP when
 * `OTEL_EXPORTER_OTLP_ENDPOINT` (or `…_TRACES_ENDPOINT`) is set, and off otherwise. It must
 * run before `pg`, `graphql` and `http` are first loaded (the instrumentations patch them
 * as they load): `main.ts` imports `tracing/start` first. Returns the stop function (flushes
 * what is buffered), or null when tracing is off.
 */
export function startTracing(
  env: NodeJS.ProcessEnv = process.env,
  options: TracingOptions = {},
): (() => Promise<void>) | null {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (env.OTEL_SDK_DISABLED === 'true' || (!endpoint && !options.exporter)) return null;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME || 'duare' }),
    // The exporter reads OTEL_EXPORTER_OTLP_* (endpoint, headers, timeout) itself; the batch
    // processor OTEL_BSP_* (delay, queue size).
    spanProcessors: [new BatchSpanProcessor(options.exporter ?? new OTLPTraceExporter())],
  });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request: IncomingMessage) => UNTRACED.test(request.url ?? ''),
        requestHook: (span, request) => {
          if (request instanceof IncomingMessage && request.url?.includes('?')) dropQuery(span);
        },
      }),
      new UndiciInstrumentation({
        requestHook: (span, request) => {
          span.setAttribute('url.full', withoutQuery(`${request.origin}${request.path}`));
        },
      }),
      // Names and types of operations; never argument values (they hold personal data).
      new GraphQLInstrumentation({ allowValues: false, ignoreTrivialResolveSpans: true }),
      // SQL text with its $1 placeholders, never the values. Statements outside a traced
      // operation (the background workers' polling) are not traced.
      new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
    ],
  });
  return () => provider.shutdown();
}
