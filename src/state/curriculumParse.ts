// The curriculum's types and the pure parsing of its files: concept pages (Markdown with YAML front matter),
// map.yaml and pathways.yaml. No Vite-isms and no DOM, so the browser loaders (curriculum.ts) and the Node content
// validator (scripts/validate-content.ts) share one reading of the content. Parsers are lenient about shape and
// strict about nothing: they coerce what they can and leave the judging to the validator.
import { parse as parseYaml } from 'yaml';

export const GROUP_IDS = [
  'foundations',
  'optimization',
  'regularization',
  'normalization',
  'architectures',
  'generative',
  'scale',
] as const;
export type GroupId = (typeof GROUP_IDS)[number];

export const CENTRALITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Centrality = (typeof CENTRALITIES)[number];

export const EDGE_STYLES = ['primary', 'normal', 'applies', 'has-part'] as const;
/** primary `==>`, normal `-->`, applies `-.->`, has-part `--o` (as in the seed map). */
export type EdgeStyle = (typeof EDGE_STYLES)[number];

export const FIGURES = [
  'activations',
  'residual-block',
  'lstm-cell',
  'attention-matrix',
  'conv-kernel',
  'lr-schedules',
] as const;
export type FigureId = (typeof FIGURES)[number];

export interface Formula {
  label: string;
  tex: string;
}

export interface Concept {
  id: string;
  title: string;
  group: GroupId;
  /** Seed-map concepts only. */
  centrality?: Centrality;
  summary: string;
  prerequisites: string[];
  related: string[];
  /** Non-seed concepts: the concept it hangs under in the expanded map. */
  parent?: string;
  formulas: Formula[];
  figure?: FigureId;
  labPreset: string | null;
  /** The Markdown after the front matter. */
  body: string;
  /** Words of prose in the body (code and display math left out). */
  wordCount: number;
}

export interface GroupDef {
  id: GroupId;
  /** The subgraph name in the seed's Mermaid ("Foundations", "Architecture", ...). */
  key: string;
  title: string;
}

export interface NodeHighlight {
  fill: string;
  stroke: string;
  strokeWidth: number;
  /** What the colour means (the seed's diagram key). */
  meaning: string;
}

export interface MapNode {
  /** The seed's node name: LAYERS, BATCHNORM, ... */
  key: string;
  /** The concept id it stands for. */
  concept: string;
  label: string;
  group: GroupId;
  centrality: Centrality;
  highlight?: NodeHighlight;
}

export interface MapEdge {
  /** Node keys (MapNode.key). */
  from: string;
  to: string;
  /** The relation as the seed writes it ("uses", "optimized by"); '' when the seed leaves it unlabelled. */
  label: string;
  style: EdgeStyle;
}

export interface ConceptMap {
  groups: GroupDef[];
  nodes: MapNode[];
  edges: MapEdge[];
}

export interface PathwayStep {
  concept: string;
  /** Concepts read together with the main one in this step. */
  also?: string[];
  title: string;
  /** What the learner can do after this step. */
  outcome: string;
}

export interface Pathway {
  id: string;
  title: string;
  bestFor: string;
  /** Estimated sessions, e.g. "8-10". */
  sessions: string;
  /** One line on the route as a whole. */
  summary?: string;
  steps: PathwayStep[];
}

/** Every concept id a step names: the main concept first, then its `also`. */
export function stepConcepts(step: PathwayStep): string[] {
  return [step.concept, ...(step.also ?? [])];
}

// --- concept pages ------------------------------------------------------------------------------------------------

export class ContentError extends Error {}

/** Splits `---\nyaml\n---\nbody`. Throws when the page has no front matter. */
export function splitFrontMatter(source: string): { data: Record<string, unknown>; body: string } {
  const text = source.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  const m = /^---\n([\s\S]*?)\n---[ \t]*(?:\n|$)/.exec(text);
  if (!m) throw new ContentError('no front matter (the page must start with a --- block)');
  let data: unknown;
  try {
    data = parseYaml(m[1]);
  } catch (e) {
    throw new ContentError(`front matter is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ContentError('front matter is not a YAML mapping');
  }
  return { data: data as Record<string, unknown>, body: text.slice(m[0].length) };
}

/** Words of prose: fenced code, display math and HTML comments are left out; inline math counts as one word. */
export function countWords(markdown: string): number {
  const prose = markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/\$\$[\s\S]*?\$\$/g, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/\$[^$\n]+\$/g, ' math ')
    .replace(/\]\([^)]*\)/g, ']');
  const tokens = prose.split(/\s+/).filter((t) => /[\p{L}\p{N}]/u.test(t));
  return tokens.length;
}

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : v == null ? '' : String(v));
const strList = (v: unknown): string[] => (Array.isArray(v) ? v.map(str).filter(Boolean) : []);

export function parseConcept(source: string, fileId?: string): Concept {
  const { data, body } = splitFrontMatter(source);
  const formulas = Array.isArray(data.formulas)
    ? data.formulas.map((f) => {
        const o = (f ?? {}) as Record<string, unknown>;
        return { label: str(o.label), tex: str(o.tex) };
      })
    : [];
  const concept: Concept = {
    id: str(data.id) || fileId || '',
    title: str(data.title),
    group: str(data.group) as GroupId,
    summary: str(data.summary),
    prerequisites: strList(data.prerequisites),
    related: strList(data.related),
    formulas,
    labPreset: data.labPreset == null || data.labPreset === '' ? null : str(data.labPreset),
    body,
    wordCount: countWords(body),
  };
  if (data.centrality != null) concept.centrality = str(data.centrality) as Centrality;
  if (data.parent != null && str(data.parent)) concept.parent = str(data.parent);
  if (data.figure != null && str(data.figure)) concept.figure = str(data.figure) as FigureId;
  return concept;
}

/** `## Heading` titles of the body, in order. */
export function sectionTitles(body: string): string[] {
  return [...body.matchAll(/^##[ \t]+(.+?)\s*#*\s*$/gm)].map((m) => m[1].trim());
}

/** The bullets of one `## Title` section (top-level `-`/`*` items only). */
export function sectionBullets(body: string, title: string): string[] {
  const lines = body.split('\n');
  const start = lines.findIndex((l) => new RegExp(`^##[ \\t]+${escapeRe(title)}\\s*$`, 'i').test(l));
  if (start < 0) return [];
  const out: string[] = [];
  for (let i = start + 1; i < lines.length && !/^##[ \t]/.test(lines[i]); i++) {
    const m = /^[-*][ \t]+(.*)$/.exec(lines[i]);
    if (m) out.push(m[1]);
  }
  return out;
}

/** Every `[text](concept:id)` link target in a Markdown body. */
export function conceptLinks(body: string): string[] {
  return [...body.matchAll(/\]\(concept:([^)\s#]+)(?:#[^)\s]*)?\)/g)].map((m) => m[1]);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// --- map.yaml and pathways.yaml -------------------------------------------------------------------------------------

function yamlObject(source: string, what: string): Record<string, unknown> {
  let data: unknown;
  try {
    data = parseYaml(source);
  } catch (e) {
    throw new ContentError(`${what} is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ContentError(`${what} is not a YAML mapping`);
  }
  return data as Record<string, unknown>;
}

const objList = (v: unknown): Record<string, unknown>[] =>
  Array.isArray(v) ? v.map((x) => (x && typeof x === 'object' ? (x as Record<string, unknown>) : {})) : [];

export function parseMap(source: string): ConceptMap {
  const data = yamlObject(source, 'map.yaml');
  const groups = objList(data.groups).map((g) => ({
    id: str(g.id) as GroupId,
    key: str(g.key),
    title: str(g.title),
  }));
  const nodes = objList(data.nodes).map((n) => {
    const node: MapNode = {
      key: str(n.key),
      concept: str(n.concept),
      label: str(n.label),
      group: str(n.group) as GroupId,
      centrality: str(n.centrality) as Centrality,
    };
    if (n.highlight && typeof n.highlight === 'object') {
      const h = n.highlight as Record<string, unknown>;
      node.highlight = {
        fill: str(h.fill),
        stroke: str(h.stroke),
        strokeWidth: Number(h.strokeWidth ?? 2),
        meaning: str(h.meaning),
      };
    }
    return node;
  });
  const edges = objList(data.edges).map((e) => ({
    from: str(e.from),
    to: str(e.to),
    label: str(e.label),
    style: str(e.style) as EdgeStyle,
  }));
  return { groups, nodes, edges };
}

export function parsePathways(source: string): Pathway[] {
  const data = yamlObject(source, 'pathways.yaml');
  return objList(data.pathways).map((p) => {
    const pathway: Pathway = {
      id: str(p.id),
      title: str(p.title),
      bestFor: str(p.bestFor),
      sessions: str(p.sessions),
      steps: objList(p.steps).map((s) => {
        const step: PathwayStep = { concept: str(s.concept), title: str(s.title), outcome: str(s.outcome) };
        const also = strList(s.also);
        if (also.length) step.also = also;
        return step;
      }),
    };
    if (p.summary != null && str(p.summary)) pathway.summary = str(p.summary);
    return pathway;
  });
}
