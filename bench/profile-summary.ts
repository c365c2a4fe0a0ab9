/**
 * Where a CPU profile's time went: the top functions by self time, and self time by
 * package (a node_modules package, a folder of src/, Node's internals, GC, idle).
 *
 *   npm run bench:profile -- PROFILE.cpuprofile [--top 25] [--out FILE.md]
 *
 * The profile is the one `node --cpu-prof` writes at exit (the scale benchmark's
 * `--cpu-prof` starts the server so): nodes with call frames, the sampled node ids and the
 * time between samples.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { markdownTable } from './support/results';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** The package or source folder of a script URL. */
function packageOf(url: string, name: string): string {
  if (name === '(garbage collector)' || name === '(idle)' || name === '(program)') return name;
  if (!url) return '(native)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return 'node (internal)';
  const src = url.indexOf('/src/');
  if (src >= 0) return `src/${url.slice(src + 5).split('/')[0]}`;
  return url;
}

export function summarise(profile: Profile, top: number): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const functions = new Map<string, number>();
  const packages = new Map<string, number>();
  for (const [id, micros] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const name = functionName || '(anonymous)';
    const where = url ? `${url.replace(/^.*\/(node_modules|src)\//, '$1/')}:${lineNumber + 1}` : '';
    const key = `${name} ${where}`.trim();
    functions.set(key, (functions.get(key) ?? 0) + micros);
    const pkg = packageOf(url, name);
    packages.set(pkg, (packages.get(pkg) ?? 0) + micros);
  }
  const share = (micros: number) => `${((100 * micros) / total).toFixed(1)} %`;
  const ms = (micros: number) => (micros / 1000).toFixed(0);
  const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]).slice(0, top);
  const busy = total - (packages.get('(idle)') ?? 0);
  return [
    `Samples: ${profile.samples.length}, ${(total / 1e6).toFixed(1)} s profiled, ` +
      `${(busy / 1e6).toFixed(1)} s not idle.`,
    '',
    `Self time by package (top ${top}):`,
    '',
    ...markdownTable(
      [' Package', 'Self ms', 'Share'],
      sorted(packages).map(([name, micros]) => [name, ms(micros), share(micros)]),
    ),
    '',
    `Functions by self time (top ${top}):`,
    '',
    ...markdownTable(
      [' Function', 'Self ms', 'Share'],
      sorted(functions).map(([name, micros]) => [
        `\`${name.replace(/`/g, "'")}\``,
        ms(micros),
        share(micros),
      ]),
    ),
    '',
  ].join('\n');
}

function main(): void {
  const { values, positionals } = parseArgs({
    options: { top: { type: 'string', default: '25' }, out: { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals.length !== 1) {
    throw new Error('usage: profile-summary PROFILE.cpuprofile [--top N] [--out FILE.md]');
  }
  const profile: Profile = JSON.parse(readFileSync(positionals[0], 'utf8'));
  const text = `# CPU profile ${basename(positionals[0])}\n\n${summarise(profile, Number(values.top))}`;
  if (values.out) writeFileSync(values.out, text);
  process.stdout.write(text);
}

if (require.main === module) main();
