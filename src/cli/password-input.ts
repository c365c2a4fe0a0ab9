import { CliError, CliIo, ExitCode } from './cli-command';

const PASSWORD_VARIABLE = 'DUARE_ADMIN_PASSWORD';

/**
 * The new account's password: typed (not echoed, asked twice) at a terminal, or the whole of
 * standard input when it is a pipe (`printf '%s' "$PW" | node dist/cli.js ...`), or the
 * DUARE_ADMIN_PASSWORD variable. Never an argument: arguments are visible to every user of
 * the machine (`ps`) and stay in shell histories.
 */
export async function readNewPassword(io: CliIo): Promise<string> {
  const fromEnv = io.env[PASSWORD_VARIABLE];
  if (fromEnv) return fromEnv;
  if (io.stdin.isTTY && io.stdin.setRawMode) {
    const first = await readHidden(io, 'Password for the new administrator: ');
    const again = await readHidden(io, 'The same password again: ');
    if (first !== again) throw new CliError('The two passwords differ; nothing was changed');
    return first;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }
  const password = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (!password) {
    throw new CliError(
      `No password: pipe it on standard input, type it at a terminal, or set ${PASSWORD_VARIABLE}`,
      ExitCode.USAGE,
    );
  }
  return password;
}

/** One line typed at the terminal without echo. */
function readHidden(io: CliIo, prompt: string): Promise<string> {
  const stdin = io.stdin;
  io.err(prompt);
  stdin.setRawMode?.(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const done = (error: Error | null) => {
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      io.err('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: Buffer | string) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return done(null);
        if (char === '\u0003') return done(new CliError('Interrupted; nothing was changed'));
        if (char === '\u007f' || char === '\b') typed = [...typed].slice(0, -1).join('');
        else typed += char;
      }
    };
    stdin.on('data', onData);
  });
}
