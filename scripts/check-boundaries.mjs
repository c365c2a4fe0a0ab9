/**
 * The module-boundary check of `npm run lint`: the rules of `.dependency-cruiser.cjs` (no file
 * cycles, no other module's entities, `common` and `database` below every module) and no
 * cycle between the top-level folders of `src/` (dependency-cruiser's own folder rules see
 * every nested folder separately, so this part is computed here from its module graph).
 *
 * `node scripts/check-boundaries.mjs [ROOT]` checks ROOT/src (default: this project); exit
 * code 1 with the findings when something breaks a rule.
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { cruise } from 'dependency-cruiser';

const require = createRequire(import.meta.url);
const config = require('../.dependency-cruiser.cjs');

/** Strongly connected components of a graph given as node → set of nodes (Tarjan). */
function cycles(graph) {
  let index = 0;
  const stack = [];
  const seen = new Map();
  const found = [];
  const visit = (node) => {
    const entry = { index, low: index, onStack: true };
    seen.set(node, entry);
    index += 1;
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const other = seen.get(next);
      if (!other) {
        visit(next);
        entry.low = Math.min(entry.low, seen.get(next).low);
      } else if (other.onStack) {
        entry.low = Math.min(entry.low, other.index);
      }
    }
    if (entry.low === entry.index) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        seen.get(member).onStack = false;
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!seen.has(node)) visit(node);
  return found;
}

/** `src/whatsapp/inbox.ts` → `whatsapp`; files directly in src/ are the composition root. */
const folderOf = (path) => {
  const parts = path.split('/');
  return parts.length > 2 ? parts[1] : '(root)';
};

export async function checkBoundaries(root) {
  const previous = process.cwd();
  process.chdir(root);
  try {
    const { output } = await cruise(['src'], {
      ...config.options,
      validate: true,
      ruleSet: { forbidden: config.forbidden },
      outputType: 'json',
    });
    const result = typeof output === 'string' ? JSON.parse(output) : output;
    const problems = result.summary.violations.map(
      (v) => `${v.rule.name}: ${v.from} → ${v.to}${v.cycle ? ` (cycle)` : ''}`,
    );
    const graph = new Map();
    const example = new Map();
    for (const module of result.modules) {
      if (!module.source.startsWith('src/')) continue;
      const from = folderOf(module.source);
      if (!graph.has(from)) graph.set(from, new Set());
      for (const dependency of module.dependencies) {
        if (!dependency.resolved.startsWith('src/')) continue;
        const to = folderOf(dependency.resolved);
        if (to === from) continue;
        graph.get(from).add(to);
        if (!example.has(`${from}>${to}`)) {
          example.set(`${from}>${to}`, `${module.source} → ${dependency.resolved}`);
        }
      }
    }
    for (const component of cycles(graph)) {
      const inside = new Set(component);
      const links = component.flatMap((from) =>
        [...graph.get(from)]
          .filter((to) => inside.has(to))
          .map((to) => example.get(`${from}>${to}`)),
      );
      problems.push(`no-folder-cycles: ${component.join(' ↔ ')}\n    ${links.join('\n    ')}`);
    }
    return problems;
  } finally {
    process.chdir(previous);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = resolve(process.argv[2] ?? new URL('..', import.meta.url).pathname);
  const problems = await checkBoundaries(root);
  if (problems.length) {
    console.error(`module boundaries: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log('module boundaries: no problems');
}
