// The bundle budget, checked by every build: the JavaScript a first visit must download
// (the entry chunk and everything it imports statically) at most 200 KB gzipped, so the
// console opens in seconds on a slow 3G-like connection. Lazy chunks are not counted.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_BYTES = 200 * 1024;
const outDir = join(import.meta.dirname, '../../dist/console');
const manifest = JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8'));

/** The console page's entry chunk and its static imports, each once. */
function initialFiles() {
  const seen = new Set();
  const visit = (key) => {
    const chunk = manifest[key];
    if (!chunk || seen.has(chunk.file)) return;
    seen.add(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  // The console's page only: GraphiQL (graphiql.html) is a developer tool of its own.
  visit('index.html');
  return [...seen].filter((file) => file.endsWith('.js'));
}

const files = initialFiles();
const total = files.reduce(
  (sum, file) => sum + gzipSync(readFileSync(join(outDir, file)), { level: 9 }).length,
  0,
);
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const line = `console initial JS: ${kb(total)} gzipped in ${files.length} file(s); budget ${kb(BUDGET_BYTES)}`;
if (total > BUDGET_BYTES) {
  process.stderr.write(`${line} — over budget: split a route (React.lazy) or drop a library\n`);
  process.exit(1);
}
process.stdout.write(`${line}\n`);
