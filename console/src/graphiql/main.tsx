import 'graphiql/style.css';
import './graphiql.css';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { createRoot } from 'react-dom/client';

/**
 * The developers' GraphQL IDE, served by the API itself at `GET /graphql` (browsers only,
 * outside production). Its requests are ordinary `POST application/json`, so the API's CSRF
 * prevention applies to them as to any client; a token goes in the headers tab
 * (`{"authorization": "Bearer …"}`).
 */
const fetcher = createGraphiQLFetcher({
  url: '/graphql',
  subscriptionUrl: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
});

createRoot(document.getElementById('graphiql')!).render(
  <GraphiQL fetcher={fetcher} defaultQuery={'{\n  __typename\n}\n'} />,
);
