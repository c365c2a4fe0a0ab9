/**
 * The signed-in session. The access token (15 minutes) lives only in memory, so a script
 * that reads storage never finds a usable one. The refresh token is returned by the API in
 * the response body only; it is kept in this tab's sessionStorage so a reload does not sign
 * the person out, and it is gone when the tab closes. Every refresh rotates it (the API
 * ends the whole session if a used one is ever presented again).
 */
const REFRESH_KEY = 'duare.refresh';
const REFRESH_MARGIN_MS = 60_000;

export interface Tokens {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
}

type Listener = (signedIn: boolean, reason?: 'expired') => void;

let access: { token: string; expiresAt: number } | null = null;
let refreshing: Promise<boolean> | null = null;
const listeners = new Set<Listener>();

const REFRESH = `mutation Refresh($input: RefreshSessionInput!) {
  refreshSession(input: $input) { accessToken accessTokenExpiresAt refreshToken errors { code message } }
}`;

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function hasSession(): boolean {
  return access !== null || sessionStorage.getItem(REFRESH_KEY) !== null;
}

export function startSession(tokens: Tokens): void {
  access = { token: tokens.accessToken, expiresAt: Date.parse(tokens.accessTokenExpiresAt) };
  sessionStorage.setItem(REFRESH_KEY, tokens.refreshToken);
  listeners.forEach((l) => l(true));
}

/** Forgets the tokens here (the caller ends the session on the server first). */
export function endSession(reason?: 'expired'): void {
  access = null;
  sessionStorage.removeItem(REFRESH_KEY);
  listeners.forEach((l) => l(false, reason));
}

/** A valid access token, refreshed first when it is about to expire; null when signed out. */
export async function accessToken(): Promise<string | null> {
  if (access && access.expiresAt - Date.now() > REFRESH_MARGIN_MS) return access.token;
  if (!sessionStorage.getItem(REFRESH_KEY)) return null;
  // One refresh at a time: two would present the same refresh token twice, which the API
  // treats as theft and answers by ending the session.
  refreshing ??= refresh().finally(() => (refreshing = null));
  return (await refreshing) ? (access?.token ?? null) : null;
}

async function refresh(): Promise<boolean> {
  const refreshToken = sessionStorage.getItem(REFRESH_KEY);
  if (!refreshToken) return false;
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: REFRESH, variables: { input: { refreshToken } } }),
  });
  const body = (await response.json()) as {
    data?: { refreshSession?: (Tokens & { errors: unknown[] }) | null };
  };
  const tokens = body.data?.refreshSession;
  if (!tokens?.accessToken) {
    endSession('expired');
    return false;
  }
  startSession(tokens);
  return true;
}
