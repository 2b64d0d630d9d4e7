// The content validator (`npm test` runs `npx tsx scripts/validate-content.ts`): reads content/ and reports every
// problem with the file it is in, then exits non-zero if there are any. The rules are pure functions of the file
// texts (validateContent), so scripts/validate-content.test.ts checks them on small in-memory cases.
//
// Checked: concept pages (front matter fields, summary <= 160 chars, required sections, >= 3 key points, >= 250 body
// words, links in prerequisites/related/parent and [text](concept:id) links, formulas and body math that KaTeX can
// render, no prerequisite cycles); every concept of content/README.md's list has a page; map.yaml (every edge end
// and node concept resolves, and the map matches the seed map's fixture: groups, nodes, labels, edges, styles,
// highlights and centrality); pathways.yaml (ids, fields, every step concept resolves); lab presets (id = file name,
// fields, notice length, concept ids, spec and compare.spec through the engine's validateSpec), every labPreset names
// a preset, and every page whose body says "In the lab" has one.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import katex from 'katex';
import { validateSpec } from '../engine/spec/validate';
import {
  CENTRALITIES,
  type Concept,
  type ConceptMap,
  conceptLinks,
  EDGE_STYLES,
  FIGURES,
  GROUP_IDS,
  type NodeHighlight,
  type Pathway,
  parseConcept,
  parseMap,
  parsePathways,
  sectionBullets,
  sectionTitles,
  stepConcepts,
} from '../src/state/curriculumParse';
import { cardDirProblems } from './validate/cards';
import { demoDirProblems } from './validate/demos';
import { problemDirProblems } from './validate/problems';
import { quizDirProblems } from './validate/quizzes';

export interface Problem {
  file: string;
  message: string;
}

export interface SeedFixture {
  groups: { key: string; title: string }[];
  nodes: { key: string; label: string; group: string }[];
  edges: { from: string; to: string; label: string; style: string }[];
  highlights: { key: string; fill: string; stroke: string; strokeWidth: number }[];
  centrality: Record<string, string>;
}

export interface ContentInput {
  /** Concept pages: file name (e.g. "dropout.md") and text. */
  concepts: { file: string; source: string }[];
  map?: string;
  pathways?: string;
  /** content/README.md, whose table lists every concept the atlas must have. */
  readme?: string;
  seed?: SeedFixture;
  /** Ids of the lab presets (content/presets/<id>.json); when given, every labPreset must be one of them. */
  presets?: string[];
  /** The preset files themselves (file name and JSON text), checked field by field; their ids count as presets. */
  presetFiles?: { file: string; source: string }[];
}

export const REQUIRED_SECTIONS = ['Definition', 'Intuition', 'Key points', 'Pitfalls'];
export const MIN_WORDS = 250;
export const MAX_SUMMARY = 160;
export const MIN_KEY_POINTS = 3;
/** Words in a preset's "what to notice" paragraph. */
export const NOTICE_WORDS = { min: 50, max: 140 };
export const MAX_PRESET_STEPS = 100_000;
/** A page that sends the learner to the lab must say which preset to open. */
const IN_THE_LAB = /in the lab/i;

/** Step counts of the seed notes' pathways. */
export const SEED_PATHWAYS: Record<string, number> = {
  'foundations-first': 8,
  'practitioners-path': 7,
  'architecture-focus': 7,
  'generative-models': 6,
  'critical-path': 5,
};

export function validateContent(input: ContentInput): Problem[] {
  const problems: Problem[] = [];
  const report = (file: string, message: string) => problems.push({ file, message });

  // --- concept pages ---
  const concepts = new Map<string, Concept>();
  for (const { file, source } of input.concepts) {
    const path = `content/concepts/${file}`;
    const fileId = file.replace(/\.md$/, '');
    try {
      const c = parseConcept(source, fileId);
      if (c.id !== fileId) report(path, `id "${c.id}" differs from the file name "${fileId}"`);
      if (concepts.has(c.id)) report(path, `duplicate concept id "${c.id}"`);
      concepts.set(c.id, c);
    } catch (e) {
      report(path, (e as Error).message);
    }
  }
  const map = input.map != null ? tryParse(() => parseMap(input.map as string), 'content/map.yaml', report) : undefined;
  const seedConcepts = new Set(map?.nodes.map((n) => n.concept) ?? []);

  const presetIds =
    input.presets || input.presetFiles
      ? new Set([...(input.presets ?? []), ...(input.presetFiles ?? []).map((f) => f.file.replace(/\.json$/, ''))])
      : undefined;
  for (const c of concepts.values()) {
    checkConcept(c, concepts, seedConcepts, map, (m) => report(pathOf(c.id), m));
    if (c.labPreset && presetIds && !presetIds.has(c.labPreset)) {
      report(pathOf(c.id), `labPreset "${c.labPreset}" has no content/presets/${c.labPreset}.json`);
    }
    if (presetIds && !c.labPreset && IN_THE_LAB.test(c.body)) {
      report(pathOf(c.id), 'says "In the lab" but has no labPreset: name the preset the learner should open');
    }
  }
  for (const { file, source } of input.presetFiles ?? []) {
    checkPreset(file, source, concepts, (m) => report(`content/presets/${file}`, m));
  }
  for (const cycle of prerequisiteCycles(concepts)) {
    report(pathOf(cycle[0]), `prerequisite cycle: ${cycle.join(' -> ')}`);
  }

  // --- README's list of concepts ---
  if (input.readme != null) {
    for (const { id, parent, nodeKey } of readmeConcepts(input.readme)) {
      const c = concepts.get(id);
      if (!c) {
        report('content/README.md', `lists concept "${id}" but content/concepts/${id}.md does not exist`);
        continue;
      }
      if (parent && c.parent !== parent) {
        report(pathOf(id), `parent is "${c.parent ?? '(none)'}" but content/README.md hangs it under "${parent}"`);
      }
      if (nodeKey && map && !map.nodes.some((n) => n.key === nodeKey && n.concept === id)) {
        report('content/map.yaml', `content/README.md names node ${nodeKey} for "${id}", but map.yaml does not`);
      }
    }
  }

  // --- map.yaml ---
  if (map) checkMap(map, concepts, input.seed, (m) => report('content/map.yaml', m));

  // --- pathways.yaml ---
  if (input.pathways != null) {
    const pathways = tryParse(() => parsePathways(input.pathways as string), 'content/pathways.yaml', report);
    if (pathways) checkPathways(pathways, concepts, (m) => report('content/pathways.yaml', m));
  }
  return problems;
}

const pathOf = (id: string) => `content/concepts/${id}.md`;

/** One content/presets/<id>.json: the format of content/README.md ("Lab presets"). */
export function checkPreset(
  file: string,
  source: string,
  concepts: Map<string, Concept>,
  report: (m: string) => void,
): void {
  let raw: unknown;
  try {
    raw = JSON.parse(source);
  } catch (e) {
    report(`is not valid JSON: ${(e as Error).message}`);
    return;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    report('must be a JSON object');
    return;
  }
  const p = raw as Record<string, unknown>;
  const known = ['id', 'title', 'concepts', 'summary', 'notice', 'steps', 'spec', 'compare'];
  for (const k of Object.keys(p)) if (!known.includes(k)) report(`unknown field "${k}" (allowed: ${known.join(', ')})`);
  const fileId = file.replace(/\.json$/, '');
  if (p.id !== fileId) report(`id ${JSON.stringify(p.id)} differs from the file name "${fileId}"`);
  for (const f of ['title', 'summary', 'notice'] as const) {
    if (typeof p[f] !== 'string' || !(p[f] as string).trim()) report(`${f} must be a non-empty string`);
  }
  if (typeof p.summary === 'string' && [...p.summary].length > MAX_SUMMARY) {
    report(`summary is ${[...p.summary].length} characters (at most ${MAX_SUMMARY})`);
  }
  if (typeof p.notice === 'string') {
    const n = p.notice.split(/\s+/).filter(Boolean).length;
    if (n < NOTICE_WORDS.min || n > NOTICE_WORDS.max) {
      report(`notice has ${n} words (${NOTICE_WORDS.min} to ${NOTICE_WORDS.max})`);
    }
  }
  if (!Array.isArray(p.concepts) || p.concepts.length === 0) report('concepts must list at least one concept id');
  else {
    for (const id of p.concepts) {
      if (typeof id !== 'string' || !concepts.has(id)) report(`concept ${JSON.stringify(id)} has no concept page`);
    }
  }
  if (typeof p.steps !== 'number' || !Number.isInteger(p.steps) || p.steps < 1 || p.steps > MAX_PRESET_STEPS) {
    report(`steps must be a whole number from 1 to ${MAX_PRESET_STEPS}`);
  }
  const spec = (where: string, value: unknown) => {
    const v = validateSpec(value);
    if (!v.ok) for (const e of v.errors) report(`${where}: ${e.message}`);
    else if (typeof p.steps === 'number' && v.value.training.steps !== p.steps) {
      report(`${where}.training.steps is ${v.value.training.steps} but steps is ${p.steps}: they must agree`);
    }
  };
  spec('spec', p.spec);
  if (p.compare !== undefined) {
    const c = p.compare as Record<string, unknown> | null;
    if (typeof c !== 'object' || c === null || Array.isArray(c)) report('compare must be an object');
    else {
      for (const f of ['labelA', 'labelB'] as const) {
        if (typeof c[f] !== 'string' || !(c[f] as string).trim()) report(`compare.${f} must be a non-empty string`);
      }
      for (const k of Object.keys(c)) {
        if (!['labelA', 'labelB', 'spec'].includes(k)) report(`unknown field "compare.${k}"`);
      }
      spec('compare.spec', c.spec);
    }
  }
}

function tryParse<T>(parse: () => T, file: string, report: (f: string, m: string) => void): T | undefined {
  try {
    return parse();
  } catch (e) {
    report(file, (e as Error).message);
    return undefined;
  }
}

function checkConcept(
  c: Concept,
  concepts: Map<string, Concept>,
  seedConcepts: Set<string>,
  map: ConceptMap | undefined,
  report: (m: string) => void,
): void {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(c.id)) report(`id "${c.id}" is not lowercase-with-hyphens`);
  if (!c.title) report('no title');
  if (!(GROUP_IDS as readonly string[]).includes(c.group)) {
    report(`group "${c.group}" is not one of ${GROUP_IDS.join(', ')}`);
  }
  if (!c.summary) report('no summary');
  else if ([...c.summary].length > MAX_SUMMARY) {
    report(`summary is ${[...c.summary].length} characters (at most ${MAX_SUMMARY})`);
  }

  const isSeed = seedConcepts.has(c.id);
  if (c.centrality !== undefined && !(CENTRALITIES as readonly string[]).includes(c.centrality)) {
    report(`centrality "${c.centrality}" is not one of ${CENTRALITIES.join(', ')}`);
  }
  const node = map?.nodes.find((n) => n.concept === c.id);
  if (node && c.centrality && c.centrality !== node.centrality) {
    report(`centrality "${c.centrality}" differs from map.yaml's "${node.centrality}" (the seed's concept index)`);
  }
  if (isSeed && c.parent) report(`is a seed-map node but has a parent ("${c.parent}")`);
  if (map && !isSeed && !c.parent) report('has no parent: the expanded map cannot place it');

  if (c.figure !== undefined && !(FIGURES as readonly string[]).includes(c.figure)) {
    report(`figure "${c.figure}" is not one of ${FIGURES.join(', ')}`);
  }

  const links: [string, string[]][] = [
    ['prerequisites', c.prerequisites],
    ['related', c.related],
    ['parent', c.parent ? [c.parent] : []],
    ['body link', conceptLinks(c.body)],
  ];
  for (const [field, ids] of links) {
    for (const id of ids) {
      if (id === c.id) report(`${field} names the page itself`);
      else if (!concepts.has(id)) report(`${field} "${id}" does not resolve to a concept page`);
    }
  }

  const sections = sectionTitles(c.body).map((s) => s.toLowerCase());
  for (const s of REQUIRED_SECTIONS) {
    if (!sections.includes(s.toLowerCase())) report(`missing section "## ${s}"`);
  }
  const points = sectionBullets(c.body, 'Key points').length;
  if (sections.includes('key points') && points < MIN_KEY_POINTS) {
    report(`"Key points" has ${points} bullet${points === 1 ? '' : 's'} (at least ${MIN_KEY_POINTS})`);
  }
  if (c.wordCount < MIN_WORDS) report(`body has ${c.wordCount} words (at least ${MIN_WORDS})`);

  c.formulas.forEach((f, i) => {
    if (!f.tex) report(`formula ${i + 1} has no tex`);
    else {
      const err = katexError(f.tex, true);
      if (err) report(`formula ${i + 1} ("${f.label}") does not render: ${err}`);
    }
    if (!f.label) report(`formula ${i + 1} has no label`);
  });
  for (const { tex, display } of bodyMath(c.body)) {
    const err = katexError(tex, display);
    if (err) report(`math ${display ? '$$' : '$'}${clip(tex)}${display ? '$$' : '$'} does not render: ${err}`);
  }
}

const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 37)}...` : s);

export function katexError(tex: string, display: boolean): string | undefined {
  try {
    katex.renderToString(tex, { throwOnError: true, displayMode: display, strict: 'ignore' });
    return undefined;
  } catch (e) {
    return (e as Error).message.replace(/^KaTeX parse error: /, '').split('\n')[0];
  }
}

/** Display ($$...$$) and inline ($...$) math in a Markdown body, outside code. `\$` is a literal dollar. */
export function bodyMath(body: string): { tex: string; display: boolean }[] {
  const out: { tex: string; display: boolean }[] = [];
  const text = body.replace(/```[\s\S]*?```/g, ' ').replace(/`[^`\n]*`/g, ' ');
  const rest = text.replace(/\$\$([\s\S]+?)\$\$/g, (_, tex: string) => {
    out.push({ tex: tex.trim(), display: true });
    return ' ';
  });
  for (const m of rest.matchAll(/(?<![\\$])\$(?!\s)([^$\n]+?)(?<![\s\\])\$(?!\d)/g)) {
    out.push({ tex: m[1], display: false });
  }
  return out;
}

/** Every cycle in the prerequisite graph (each reported once, starting from its smallest id). */
export function prerequisiteCycles(concepts: Map<string, Concept>): string[][] {
  const cycles = new Map<string, string[]>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string) => {
    state.set(id, 'open');
    stack.push(id);
    for (const next of concepts.get(id)?.prerequisites ?? []) {
      if (!concepts.has(next)) continue;
      if (state.get(next) === 'open') {
        const cycle = stack.slice(stack.indexOf(next));
        const start = cycle.indexOf([...cycle].sort()[0]);
        const canon = [...cycle.slice(start), ...cycle.slice(0, start)];
        cycles.set(canon.join('>'), [...canon, canon[0]]);
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(id, 'done');
  };
  for (const id of [...concepts.keys()].sort()) if (!state.has(id)) visit(id);
  return [...cycles.values()];
}

/** The concept table of content/README.md: `id [NODE]` in the seed column, `id (parent)` in the expanded one. */
export function readmeConcepts(readme: string): { id: string; parent?: string; nodeKey?: string }[] {
  const out: { id: string; parent?: string; nodeKey?: string }[] = [];
  for (const line of readme.split('\n')) {
    const cells = line.split('|').map((s) => s.trim());
    if (cells.length < 5 || !(GROUP_IDS as readonly string[]).includes(cells[1])) continue;
    for (const m of cells[2].matchAll(/([a-z0-9-]+)\s*\[(\w+)\]/g)) out.push({ id: m[1], nodeKey: m[2] });
    for (const m of cells[3].matchAll(/([a-z0-9-]+)\s*\(([a-z0-9-]+)\)/g)) out.push({ id: m[1], parent: m[2] });
  }
  return out;
}

function checkMap(
  map: ConceptMap,
  concepts: Map<string, Concept>,
  seed: SeedFixture | undefined,
  report: (m: string) => void,
): void {
  const groupIds = new Set<string>();
  for (const g of map.groups) {
    if (!(GROUP_IDS as readonly string[]).includes(g.id))
      report(`group "${g.id}" is not one of ${GROUP_IDS.join(', ')}`);
    if (groupIds.has(g.id)) report(`group "${g.id}" appears twice`);
    groupIds.add(g.id);
    if (!/^\w+$/.test(g.key)) report(`group "${g.id}" has no usable key ("${g.key}")`);
  }
  const keys = new Set<string>();
  for (const n of map.nodes) {
    if (!/^\w+$/.test(n.key)) report(`node key "${n.key}" is not a plain word`);
    if (keys.has(n.key)) report(`node ${n.key} appears twice`);
    keys.add(n.key);
    const c = concepts.get(n.concept);
    if (!c) report(`node ${n.key}: concept "${n.concept}" does not resolve to a concept page`);
    else if (c.group !== n.group) report(`node ${n.key}: group "${n.group}" but the page says "${c.group}"`);
    if (!groupIds.has(n.group)) report(`node ${n.key}: group "${n.group}" is not a map group`);
    if (!(CENTRALITIES as readonly string[]).includes(n.centrality)) {
      report(`node ${n.key}: centrality "${n.centrality}" is not one of ${CENTRALITIES.join(', ')}`);
    }
  }
  map.edges.forEach((e, i) => {
    for (const end of [e.from, e.to])
      if (!keys.has(end)) report(`edge ${i + 1} (${e.from} -> ${e.to}): no node ${end}`);
    if (!(EDGE_STYLES as readonly string[]).includes(e.style)) {
      report(`edge ${i + 1} (${e.from} -> ${e.to}): style "${e.style}" is not one of ${EDGE_STYLES.join(', ')}`);
    }
  });
  if (seed) for (const m of compareWithSeed(map, seed)) report(m);
}

/** Differences between map.yaml and the seed map's fixture, as messages (none when they match). */
export function compareWithSeed(map: ConceptMap, seed: SeedFixture): string[] {
  const out: string[] = [];
  const groupKey = new Map(map.groups.map((g) => [g.id, g.key]));
  const have = map.groups.map((g) => `${g.key} "${g.title}"`);
  const want = seed.groups.map((g) => `${g.key} "${g.title}"`);
  diff('group', have, want, out);
  diff(
    'node',
    map.nodes.map((n) => `${n.key} "${n.label}" in ${groupKey.get(n.group) ?? n.group}`),
    seed.nodes.map((n) => `${n.key} "${n.label}" in ${n.group}`),
    out,
  );
  const edge = (e: { from: string; to: string; label: string; style: string }) =>
    `${e.from} -[${e.style}${e.label ? `: ${e.label}` : ''}]-> ${e.to}`;
  diff('edge', map.edges.map(edge), seed.edges.map(edge), out);
  diff(
    'highlight',
    map.nodes.filter((n) => n.highlight).map((n) => hl(n.key, n.highlight as NodeHighlight)),
    seed.highlights.map((h) => hl(h.key, h)),
    out,
  );
  diff(
    'centrality',
    map.nodes.map((n) => `${n.key} ${n.centrality}`),
    Object.entries(seed.centrality).map(([k, v]) => `${k} ${v}`),
    out,
  );
  return out;
}

const hl = (key: string, h: { fill: string; stroke: string; strokeWidth: number }) =>
  `${key} fill ${h.fill.toLowerCase()} stroke ${h.stroke.toLowerCase()} width ${h.strokeWidth}`;

function diff(what: string, have: string[], want: string[], out: string[]): void {
  const h = new Set(have);
  const w = new Set(want);
  for (const x of want) if (!h.has(x)) out.push(`seed map mismatch: missing ${what} ${x}`);
  for (const x of have) if (!w.has(x)) out.push(`seed map mismatch: ${what} ${x} is not in the seed map`);
}

function checkPathways(pathways: Pathway[], concepts: Map<string, Concept>, report: (m: string) => void): void {
  const ids = new Set<string>();
  for (const p of pathways) {
    const where = `pathway "${p.id || p.title || '?'}"`;
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(p.id)) report(`${where}: id is not lowercase-with-hyphens`);
    if (ids.has(p.id)) report(`${where}: id appears twice`);
    ids.add(p.id);
    for (const field of ['title', 'bestFor', 'sessions'] as const) if (!p[field]) report(`${where}: no ${field}`);
    if (!p.steps.length) report(`${where}: no steps`);
    p.steps.forEach((s, i) => {
      const at = `${where} step ${i + 1}`;
      if (!s.title) report(`${at}: no title`);
      if (!s.outcome) report(`${at}: no outcome`);
      for (const id of stepConcepts(s)) {
        if (!id) report(`${at}: no concept`);
        else if (!concepts.has(id)) report(`${at}: concept "${id}" does not resolve to a concept page`);
      }
    });
  }
  for (const [id, n] of Object.entries(SEED_PATHWAYS)) {
    const p = pathways.find((x) => x.id === id);
    if (!p) report(`pathway "${id}" of the seed notes is missing`);
    else if (p.steps.length !== n) report(`pathway "${id}" has ${p.steps.length} steps; the seed notes give ${n}`);
  }
}

// --- command line ---------------------------------------------------------------------------------------------------

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function readContent(root: string): ContentInput {
  const dir = join(root, 'content/concepts');
  const read = (p: string) => {
    try {
      return readFileSync(join(root, p), 'utf8');
    } catch {
      return undefined;
    }
  };
  const seedText = read('scripts/fixtures/seed-map.json');
  return {
    concepts: readdirSync(dir)
      .filter((f) => f.endsWith('.md'))
      .sort()
      .map((file) => ({ file, source: readFileSync(join(dir, file), 'utf8') })),
    map: read('content/map.yaml') ?? '',
    pathways: read('content/pathways.yaml') ?? '',
    readme: read('content/README.md'),
    presetFiles: listDir(join(root, 'content/presets'))
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((file) => ({ file, source: readFileSync(join(root, 'content/presets', file), 'utf8') })),
    seed: seedText ? (JSON.parse(seedText) as SeedFixture) : undefined,
  };
}

function main(): void {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const input = readContent(root);
  if (!input.seed) console.error('scripts/fixtures/seed-map.json is missing: the map is not checked against the seed');
  const problems = [
    ...validateContent(input),
    ...quizDirProblems(root, input.concepts),
    ...cardDirProblems(root),
    ...problemDirProblems(root, input),
    ...demoDirProblems(root, input.concepts),
  ];
  if (!problems.length) {
    console.log(
      `content OK: ${input.concepts.length} concept pages, ${input.presetFiles?.length ?? 0} lab presets, map.yaml and pathways.yaml check out`,
    );
    return;
  }
  const byFile = new Map<string, string[]>();
  for (const p of problems) byFile.set(p.file, [...(byFile.get(p.file) ?? []), p.message]);
  for (const [file, messages] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) {
    console.error(`\n${file}`);
    for (const m of messages) console.error(`  - ${m}`);
  }
  console.error(`\n${problems.length} content problem${problems.length === 1 ? '' : 's'} in ${byFile.size} files`);
  process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
