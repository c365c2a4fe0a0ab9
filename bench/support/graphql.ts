/**
 * A small GraphQL-over-HTTP client for benchmark set-up: throws on HTTP errors, GraphQL
 * errors and refusals (`errors` in a payload), so that set-up never goes on silently wrong.
 */
export type GraphQLClient = (query: string, variables?: Record<string, unknown>) => Promise<any>;

export function graphqlClient(url: string, token: string | null): GraphQLClient {
  return async (query, variables = {}) => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    let parsed: { data?: Record<string, any>; errors?: unknown } | undefined;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Reported below.
    }
    const refusals = Object.values(parsed?.data ?? {}).filter(
      (value) => value && Array.isArray(value.errors) && value.errors.length > 0,
    );
    if (response.status !== 200 || !parsed?.data || parsed.errors || refusals.length > 0) {
      throw new Error(`GraphQL: HTTP ${response.status}: ${text.slice(0, 1000)}`);
    }
    return parsed.data;
  };
}

/** Signs a staff account in; the client sends its access token. */
export async function signIn(url: string, login: string, password: string): Promise<GraphQLClient> {
  return graphqlClient(url, await accessToken(url, login, password));
}

export async function accessToken(url: string, login: string, password: string): Promise<string> {
  const data = await graphqlClient(url, null)(
    `mutation ($input: SignInInput!) { signIn(input: $input) { accessToken errors { message } } }`,
    { input: { login, password } },
  );
  const token: string | undefined = data.signIn?.accessToken;
  if (!token) throw new Error(`sign-in of ${login} failed`);
  return token;
}
