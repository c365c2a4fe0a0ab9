/**
 * What a result was measured on: the machine, the versions and the commit, recorded with
 * every benchmark's results.
 */
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { Client } from 'pg';

export interface MachineInfo {
  date: string;
  node: string;
  cpu: string;
  logicalCpus: number;
  memory: string;
  postgres: string;
  gitCommit: string;
}

function gitCommit(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      encoding: 'utf8',
    });
    return `${commit.trim()}${dirty.trim() ? ' (with uncommitted changes)' : ''}`;
  } catch {
    return 'unknown';
  }
}

/** The machine, Node, PostgreSQL (asked through `db`) and the git commit. */
export async function machineInfo(db: Client): Promise<MachineInfo> {
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    logicalCpus: cpus().length,
    memory: `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    postgres: (await db.query('SHOW server_version')).rows[0].server_version,
    gitCommit: gitCommit(),
  };
}

/** The machine as Markdown list items. */
export function machineLines(info: MachineInfo): string[] {
  return [
    `- date: ${info.date}`,
    `- git commit: ${info.gitCommit}`,
    `- cpu: ${info.cpu} (${info.logicalCpus} logical CPUs)`,
    `- memory: ${info.memory}`,
    `- node: ${info.node}`,
    `- postgres: ${info.postgres}`,
  ];
}
