/**
 * Child processes of a benchmark: the servers under test run as their own processes,
 * pinned to one CPU with `taskset` where it exists (the load generator stays on another),
 * and their resident memory is sampled while a scenario runs.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { sleep } from './measure';

let tasksetChecked: boolean | undefined;

/** Whether `taskset` can pin processes here (util-linux; missing on macOS). */
export function canPin(): boolean {
  if (tasksetChecked === undefined) {
    try {
      execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
      tasksetChecked = true;
    } catch {
      tasksetChecked = false;
    }
  }
  return tasksetChecked;
}

/** Pins a running process (all its threads) to the CPUs given (`0`, `1`, `0,1`); false if not. */
export function pin(pid: number, cpus: string): boolean {
  if (!canPin()) return false;
  try {
    execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  url: string;
  /** Whether it is pinned to its CPU. */
  pinned: boolean;
  stop(): Promise<void>;
}

/**
 * Starts `node <args>` with `env` (its output into `logFile`, or discarded), pinned to
 * `cpus` when taskset is there, and waits until `readyPath` on `url` answers 200.
 */
export async function startNodeServer(options: {
  args: string[];
  env: Record<string, string>;
  url: string;
  readyPath: string;
  cpus?: string;
  logFile?: string;
  timeoutMs?: number;
}): Promise<ServerProcess> {
  const out = options.logFile ? openSync(options.logFile, 'a') : 'ignore';
  const child = spawn(process.execPath, options.args, {
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['ignore', out, out],
  });
  let exited: string | null = null;
  child.once('exit', (code, signal) => {
    exited = `exited with ${code ?? signal}`;
  });
  // Pinned from the start: Node starts its worker threads early, `-a` takes them all.
  const pinned =
    options.cpus !== undefined && child.pid !== undefined && pin(child.pid, options.cpus);
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (exited) throw new Error(`${options.args.join(' ')} ${exited} before it was ready`);
    try {
      const response = await fetch(`${options.url}${options.readyPath}`);
      await response.arrayBuffer();
      if (response.status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${options.args.join(' ')} was not ready in time`);
    }
    await sleep(200);
  }
  // Threads started after the first pin (libuv's pool starts lazily) are pinned now.
  if (pinned && child.pid) pin(child.pid, options.cpus!);
  return {
    child,
    pid: child.pid!,
    url: options.url,
    pinned,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** Resident memory of a process now (VmRSS, bytes); NaN where /proc is missing. */
export function rssOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; gives the peak (bytes). */
export function sampleRss(pid: number, everyMs = 50): () => number {
  let peak = rssOf(pid);
  const timer = setInterval(() => {
    const now = rssOf(pid);
    if (!(now <= peak)) peak = Number.isNaN(peak) ? now : Math.max(peak, now);
  }, everyMs);
  return () => {
    clearInterval(timer);
    const now = rssOf(pid);
    return Number.isNaN(peak) ? now : Math.max(peak, now || 0);
  };
}
