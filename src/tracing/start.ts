/**
 * Imported first by `main.ts` (before anything loads `pg`, `graphql` or `http`). Tracing is
 * on only when an OTLP endpoint is configured; otherwise not even the SDK is loaded.
 */
function tracingWanted(env: NodeJS.ProcessEnv): boolean {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  return Boolean(endpoint) && env.OTEL_SDK_DISABLED !== 'true';
}

export const stopTracing: (() => Promise<void>) | null = tracingWanted(process.env)
  ? // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require('./tracing') as typeof import('./tracing')).startTracing(process.env)
  : null;
