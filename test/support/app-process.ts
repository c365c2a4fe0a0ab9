import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { graphqlAt, TestApp } from './test-app';

/** What `npm start` runs after building (`npm test` builds first). */
export const MAIN = resolve(__dirname, '../../dist/src/main.js');

/** The real service as a process of its own: `node dist/src/main.js`. */
export interface AppProcess {
  child: ChildProcess;
  /** Base address, e.g. http://127.0.0.1:41234 (from the banner's health line). */
  url: string;
  /** The GraphQL endpoint as the banner prints it. */
  graphqlUrl: string;
  gql: TestApp['gql'];
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (null when a signal ended it) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `dist/src/main.js` with only PATH and the given variables, and resolves once its
 * banner says it is serving.
 */
export function startAppProcess(env: Record<string, string>): Promise<AppProcess> {
  if (!existsSync(MAIN))
    throw new Error(`${MAIN} is missing: run \`npm run build\` (npm test does)`);
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      LOG_LEVEL: 'warn',
      // Residents' files are content-addressed, so every test process may share one folder.
      FILES_DIR: join(tmpdir(), 'duare-test-files'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner in time:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const graphql = output.match(/GraphQL:\s+(http:\/\/\S+\/graphql)/);
      const health = output.match(/Health:\s+(http:\/\/\S+)\/health\/ready/);
      if (graphql && health) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stderr?.off('data', onData);
        const keep = (more: Buffer) => (output += more.toString());
        child.stdout?.on('data', keep);
        child.stderr?.on('data', keep);
        resolveStart({
          child,
          url: health[1],
          graphqlUrl: graphql[1],
          gql: graphqlAt(health[1]),
          output: () => output,
          exited,
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code ?? signal}) before serving:\n${output}`));
    });
  });
}

/** Ends the process at once, as a crash or an OOM kill would: no shutdown code runs. */
export async function killHard(app: AppProcess): Promise<void> {
  app.child.kill('SIGKILL');
  await app.exited;
}
