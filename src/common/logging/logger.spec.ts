import { Writable } from 'node:stream';
import { createLogger, wantsPrettyLogs } from './logger';

function capture(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, stream };
}

describe('createLogger', () => {
  it('redacts personal data and secrets at the top level and nested', () => {
    const { lines, stream } = capture();
    const logger = createLogger('info', stream);
    logger.info(
      {
        phone: '+919876543210',
        resident: { fullName: 'রহিম শেখ', address: { street: 'Station Road' } },
        headers: { authorization: 'Bearer abc' },
        wardNumber: 5,
      },
      'hello',
    );
    const line = lines.join('');
    expect(line).not.toContain('9876543210');
    expect(line).not.toContain('রহিম');
    expect(line).not.toContain('Station Road');
    expect(line).not.toContain('Bearer abc');
    expect(JSON.parse(line)).toMatchObject({ wardNumber: 5, phone: '[redacted]', msg: 'hello' });
  });

  it('logs the path of a request, never its query string', () => {
    const { lines, stream } = capture();
    createLogger('info', stream).info(
      { req: { id: 'r1', method: 'GET', url: '/graphql?variables=%7B%22phone%22%3A1%7D' } },
      'request',
    );
    expect(JSON.parse(lines[0]).req).toEqual({ id: 'r1', method: 'GET', path: '/graphql' });
  });
});

describe('wantsPrettyLogs', () => {
  it('is pretty only for a terminal in development', () => {
    expect(wantsPrettyLogs('development', true)).toBe(true);
    expect(wantsPrettyLogs('development', false)).toBe(false);
    expect(wantsPrettyLogs('development', undefined)).toBe(false);
    expect(wantsPrettyLogs('production', true)).toBe(false);
    expect(wantsPrettyLogs('test', true)).toBe(false);
  });
});
