import { Authentication } from './graphql-context';

/** The parts of a graphql-ws socket the session watch needs (a `ws` WebSocket). */
export interface WatchedSocket {
  on(event: 'close', listener: () => void): void;
  close(code: number, reason: string): void;
}

/** graphql-ws's close code for a connection whose credentials are (no longer) good. */
export const SOCKET_FORBIDDEN = 4403;

/**
 * Keeps a subscription socket's authentication true for its whole life. A socket is
 * authenticated once, when it connects; without this, a signed-out session, a deactivated
 * account, a revoked API key or an expired access token would keep receiving events for as
 * long as the socket stayed open. Every `everyMs` the credentials are checked again and the
 * socket is closed with 4403 once they no longer hold; a client then reconnects with a fresh
 * token. A check that cannot run (the database is restarting) keeps the socket: it is the
 * next check's turn.
 */
export function watchSocketSession(
  socket: WatchedSocket,
  recheck: () => Promise<Authentication>,
  everyMs: number,
  onClose: () => void,
): void {
  let checking = false;
  const timer = setInterval(() => {
    if (checking) return;
    checking = true;
    recheck()
      .then((again) => {
        if (!again.actor) socket.close(SOCKET_FORBIDDEN, `Forbidden: ${again.problem}`);
      })
      .catch(() => undefined)
      .finally(() => (checking = false));
  }, everyMs);
  timer.unref();
  socket.on('close', () => {
    clearInterval(timer);
    onClose();
  });
}
