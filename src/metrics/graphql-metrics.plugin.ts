import type { ApolloServerPlugin } from '@apollo/server';
import { MetricsService } from './metrics.service';

/**
 * Times every GraphQL operation from the request's arrival to its response, labelled by the
 * operation's name and type once parsed (`_invalid` when it never got that far).
 */
export function graphqlMetricsPlugin(metrics: MetricsService): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse(context) {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          // The errors as the caller got them (formatted), else as Apollo raised them.
          const body = context.response.body;
          const errors =
            (body.kind === 'single' ? body.singleResult.errors : undefined) ?? context.errors ?? [];
          const codes = errors.map((error) =>
            String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'),
          );
          metrics.observeGraphQL(
            {
              name: context.operationName ?? null,
              type: context.operation?.operation ?? null,
            },
            [...new Set(codes)],
            seconds,
          );
        },
      };
    },
  };
}
