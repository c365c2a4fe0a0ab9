/**
 * Fault injection, shutdown with the embedded database (issue 30 item 8): Ctrl-C in a
 * terminal sends SIGINT to the whole foreground process group. The embedded PostgreSQL runs
 * in a group of its own, so it keeps serving while the app drains, and is stopped by the app
 * afterwards: the process exits 0 well inside SHUTDOWN_TIMEOUT_MS and leaves no server.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAIN } from '../support/app-process';
import { waitFor } from '../support/wait';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('faults: Ctrl-C with the embedded database', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'duare-faults-pg-'));
  // As root, the server runs as the `postgres` user: it must reach the directory.
  chmodSync(dataDir, 0o755);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('item 8: a SIGINT to the whole process group drains the app first, then stops PostgreSQL; exit 0', async () => {
    // Detached: the test plays the terminal and signals the app's whole group.
    const child = spawn(process.execPath, [MAIN], {
      env: {
        PATH: process.env.PATH ?? '',
        PORT: '0',
        LOG_LEVEL: 'info',
        DEMO_DATA: 'false',
        EMBEDDED_PG_DIR: join(dataDir, 'pg'),
        SHUTDOWN_TIMEOUT_MS: '8000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<{ code: number | null; signal: string | null }>((done) =>
      child.once('exit', (code, signal) => done({ code, signal })),
    );
    try {
      const health = await waitFor(
        'the banner',
        () => {
          if (child.exitCode !== null) throw new Error('the app exited before serving');
          return output.match(/Health:\s+(http:\/\/\S+\/health\/ready)/)?.[1];
        },
        60_000,
      );
      expect((await fetch(health)).status).toBe(200);
      const postmaster = Number(
        readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0],
      );
      expect(alive(postmaster)).toBe(true);
      // Its own process group: not the app's.
      const group = (pid: number) => Number(execFileSync('ps', ['-o', 'pgid=', '-p', String(pid)]));
      expect(group(child.pid!)).toBe(child.pid);
      expect(group(postmaster)).not.toBe(child.pid);
      const started = Date.now();
      process.kill(-child.pid!, 'SIGINT');
      const { code } = await exited;
      const took = Date.now() - started;
      expect(output).not.toContain('shutdown timed out');
      expect(code).toBe(0);
      expect(took).toBeLessThan(8000);
      expect(output).toMatch(/"msg":"stopped"/);
      await waitFor('the server to be gone', () => !alive(postmaster), 10_000);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${output.slice(-3000)}`);
    } finally {
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
    }
  }, 90_000);
});
