// The engine's seams, checked on every import statement of engine/ and src/ (static imports and re-exports,
// dynamic import() and `new URL(..., import.meta.url)` module references):
// - engine/graph (the compiler) depends on no backend and not on live training;
// - engine/backends (non-test files) know nothing of live sessions;
// - the UI (src/) reaches the engine only through engine/index.ts and the worker client (and the worker entry, as a
//   URL for `new Worker`);
// - the engine is framework-free: no react, nothing from src/.
// The rules run over the real tree, and over a planted set of files first, so they cannot pass by matching nothing.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Test files under engine/graph that check the compiler against a backend on purpose, and why. */
const GRAPH_TESTS_USING_BACKENDS: Record<string, string> = {
  'engine/graph/memory.test.ts': "checks the memory plan against the CPU kernels' in-place table",
};

interface Source {
  /** Repository-relative, '/'-separated. */
  path: string;
  text: string;
}

interface ImportRef {
  from: string;
  /** A repository-relative module path without extension ('engine/index'), or the bare package name. */
  target: string;
  kind: 'import' | 'url';
}

const STATIC = /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"\n]+)['"]/g;
const DYNAMIC = /\bimport\(\s*(?:\/\*[^*]*\*\/\s*)?['"]([^'"\n]+)['"]\s*\)/g;
const URL_REF = /\bnew URL\(\s*['"]([^'"\n]+)['"]\s*,\s*import\.meta\.url/g;

function resolve(from: string, spec: string, isDir: (p: string) => boolean): string {
  const bare = spec.split('?')[0];
  if (!bare.startsWith('.')) return bare;
  let p = normalize(join(dirname(from), bare))
    .split('\\')
    .join('/');
  p = p.replace(/\.(ts|tsx|js|mjs)$/, '');
  return isDir(p) ? `${p}/index` : p;
}

function importsOf(file: Source, isDir: (p: string) => boolean): ImportRef[] {
  const out: ImportRef[] = [];
  for (const [re, kind] of [
    [STATIC, 'import'],
    [DYNAMIC, 'import'],
    [URL_REF, 'url'],
  ] as const)
    for (const m of file.text.matchAll(re))
      out.push({ from: file.path, target: resolve(file.path, m[1], isDir), kind });
  return out;
}

const under = (p: string, dir: string) => p === dir || p.startsWith(`${dir}/`);
const isTest = (p: string) => /\.test\.tsx?$/.test(p);
const isReact = (t: string) => t === 'react' || t.startsWith('react/') || t.startsWith('react-dom');

/** The rules, as data: which files they cover and which import targets they refuse. */
const RULES: { name: string; covers: (path: string) => boolean; refuses: (ref: ImportRef) => boolean }[] = [
  {
    name: 'engine/graph imports neither engine/backends nor engine/live',
    covers: (p) => under(p, 'engine/graph'),
    refuses: (r) =>
      under(r.target, 'engine/live') || (under(r.target, 'engine/backends') && !(r.from in GRAPH_TESTS_USING_BACKENDS)),
  },
  {
    name: 'engine/backends (non-test) does not import engine/live',
    covers: (p) => under(p, 'engine/backends') && !isTest(p),
    refuses: (r) => under(r.target, 'engine/live'),
  },
  {
    name: 'src imports from engine only engine/index.ts and engine/worker/client.ts',
    covers: (p) => under(p, 'src'),
    refuses: (r) =>
      under(r.target, 'engine') &&
      r.target !== 'engine/index' &&
      r.target !== 'engine/worker/client' &&
      !(r.kind === 'url' && r.target === 'engine/worker/worker'),
  },
  {
    name: 'engine imports neither react nor src',
    covers: (p) => under(p, 'engine'),
    refuses: (r) => isReact(r.target) || under(r.target, 'src'),
  },
];

function violations(files: Source[], isDir: (p: string) => boolean): string[] {
  const out: string[] = [];
  for (const f of files)
    for (const ref of importsOf(f, isDir))
      for (const rule of RULES)
        if (rule.covers(f.path) && rule.refuses(ref)) out.push(`${f.path} imports ${ref.target}: ${rule.name}`);
  return out;
}

function sources(dir: string): Source[] {
  const out: Source[] = [];
  const walk = (abs: string) => {
    for (const name of readdirSync(abs)) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const child = join(abs, name);
      if (statSync(child).isDirectory()) walk(child);
      else if (/\.(ts|tsx|mts)$/.test(name))
        out.push({ path: relative(ROOT, child).split('\\').join('/'), text: readFileSync(child, 'utf8') });
    }
  };
  walk(join(ROOT, dir));
  return out;
}

const treeIsDir = (p: string) => {
  try {
    return statSync(join(ROOT, p)).isDirectory();
  } catch {
    return false;
  }
};

describe('module boundaries', () => {
  it('the scanner finds every kind of violation in planted files (the rules are not vacuous)', () => {
    const planted: Source[] = [
      { path: 'engine/graph/a.ts', text: "import { x } from '../backends/cpu/index';\n" },
      { path: 'engine/graph/b.ts', text: "export type {\n  Y,\n} from '../live/types';\n" },
      { path: 'engine/backends/webgpu/c.ts', text: "const m = await import('../../live/session');\n" },
      { path: 'src/d.tsx', text: "import { LiveSession } from '../engine/live/session';\n" },
      { path: 'src/e.ts', text: "import type { Program } from '../engine/graph/program';\n" },
      { path: 'engine/f.ts', text: "import { useState } from 'react';\n" },
      { path: 'engine/live/g.ts', text: "import { App } from '../../src/app/App';\n" },
    ];
    const found = violations(planted, () => false);
    expect(found.map((v) => v.slice(0, v.indexOf(' ')))).toEqual(planted.map((f) => f.path));
    const allowed: Source[] = [
      { path: 'engine/backends/cpu/h.test.ts', text: "import { LiveSession } from '../../live/session';\n" },
      {
        path: 'src/i.ts',
        text: "import { EngineClient } from '../engine/worker/client';\nimport { x } from '../engine';\n",
      },
      { path: 'src/j.ts', text: "new Worker(new URL('../engine/worker/worker.ts', import.meta.url));\n" },
      { path: 'engine/graph/k.ts', text: "// see engine/backends\nimport { y } from '../shared/stats';\n" },
    ];
    expect(violations(allowed, (p) => p === 'engine')).toEqual([]);
  });

  it('engine/ and src/ keep the seams', () => {
    const files = [...sources('engine'), ...sources('src')];
    const refs = files.flatMap((f) => importsOf(f, treeIsDir));
    // The scan saw the tree: many files, and imports in each covered area.
    expect(files.length).toBeGreaterThan(200);
    for (const dir of ['engine/graph', 'engine/backends', 'src'])
      expect(refs.filter((r) => under(r.from, dir)).length, dir).toBeGreaterThan(50);
    expect(refs.some((r) => r.from.startsWith('src/') && r.target === 'engine/index')).toBe(true);
    expect(violations(files, treeIsDir)).toEqual([]);
  });
});
