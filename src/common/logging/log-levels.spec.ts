import { levelForGraphQLCode, levelForStatus } from './log-levels';

describe('log levels', () => {
  it('logs what the caller caused at info, and what may be an attack at warn', () => {
    for (const code of ['NOT_FOUND', 'CONFLICT', 'BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED']) {
      expect(levelForGraphQLCode(code)).toBe('info');
    }
    for (const code of ['UNAUTHENTICATED', 'FORBIDDEN', 'RATE_LIMITED', 'QUERY_TOO_COSTLY']) {
      expect(levelForGraphQLCode(code)).toBe('warn');
    }
  });

  it('logs our own faults, and codes it does not know, at error', () => {
    expect(levelForGraphQLCode('INTERNAL_SERVER_ERROR')).toBe('error');
    expect(levelForGraphQLCode('SOMETHING_NEW')).toBe('error');
    expect(levelForGraphQLCode(undefined)).toBe('error');
  });

  it('maps HTTP statuses: 5xx error, refusals warn, the rest info', () => {
    expect(levelForStatus(200)).toBe('info');
    expect(levelForStatus(404)).toBe('info');
    expect(levelForStatus(400)).toBe('info');
    expect(levelForStatus(401)).toBe('warn');
    expect(levelForStatus(403)).toBe('warn');
    expect(levelForStatus(429)).toBe('warn');
    expect(levelForStatus(500)).toBe('error');
    expect(levelForStatus(503)).toBe('error');
  });
});
