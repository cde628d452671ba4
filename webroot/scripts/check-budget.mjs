// Fails the build when the table page's first load (its HTML, entry script, the chunks that entry imports statically,
// and their CSS), gzipped, is over budget. Chunks loaded on demand (PixiJS's renderer backends) are not counted.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_BYTES = 150 * 1024;
const dist = join(import.meta.dirname, '..', 'dist');
const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'));

function firstLoad(key, files = new Set()) {
  const chunk = manifest[key];
  if (!chunk || files.has(chunk.file)) return files;
  files.add(chunk.file);
  for (const css of chunk.css ?? []) files.add(css);
  for (const imported of chunk.imports ?? []) firstLoad(imported, files);
  return files;
}

const files = firstLoad('table.html');
let total = gzipSync(readFileSync(join(dist, 'table.html')), { level: 9 }).length;
for (const file of files) {
  if (file.endsWith('.html')) continue;
  total += gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
}
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
if (total > BUDGET_BYTES) {
  console.error(`table page first load is ${kb(total)} gzipped, over the ${kb(BUDGET_BYTES)} budget: ${[...files].join(', ')}`);
  process.exit(1);
}
console.log(`table page first load: ${kb(total)} gzipped (budget ${kb(BUDGET_BYTES)}; ${files.size} files)`);
