#!/usr/bin/env node
// Reports the JavaScript the first route (Home) downloads, gzipped: the entry chunk, its static imports and the
// lazily loaded home page. Fails when it exceeds the budget (200 KB) so Mermaid, d3 and the engine stay lazy.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET = 200 * 1024;
const dist = 'dist';
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const entries = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
const assets = readdirSync(join(dist, 'assets'));
const home = assets.filter((f) => /^HomePage-.*\.js$/.test(f)).map((f) => `assets/${f}`);

const seen = new Set();
const queue = [...entries, ...home];
while (queue.length) {
  const file = queue.shift();
  if (seen.has(file)) continue;
  seen.add(file);
  const code = readFileSync(join(dist, file), 'utf8');
  // Static imports only: dynamic import() targets are other routes and load on demand.
  for (const m of code.matchAll(/(?:^|[;\n}])\s*import\s*(?:[\w*{}\s,$]+from\s*)?["']\.\/([^"']+\.js)["']/g)) {
    queue.push(`assets/${m[1]}`);
  }
}
let total = 0;
for (const file of seen) total += gzipSync(readFileSync(join(dist, file))).length;
const kb = (total / 1024).toFixed(1);
console.log(`first-route JavaScript: ${kb} KB gzipped across ${seen.size} files (budget ${BUDGET / 1024} KB)`);
if (total > BUDGET) {
  console.error('first-route JavaScript is over budget: keep Mermaid, d3, KaTeX and the engine behind lazy imports');
  process.exit(1);
}
