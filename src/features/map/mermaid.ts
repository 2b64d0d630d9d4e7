// The concept map as Mermaid flowchart text, generated from map.yaml (+ the concept pages for the expanded view,
// + the learner's progress, + a highlighted route). Pure: no DOM and no Mermaid import, so it is cheap to test and
// the diagram text is never kept by hand.
import type { Concept, ConceptMap, EdgeStyle, GroupDef, GroupId } from '../../state/curriculum';

export type MapView = 'seed' | 'expanded';
export type ConceptStatus = 'new' | 'read' | 'done';

export interface GraphNode {
  key: string;
  concept: string;
  label: string;
  group: GroupId;
  /** One of the 27 nodes of the seed map. */
  seed: boolean;
}

export interface GraphEdge {
  from: string;
  to: string;
  label: string;
  style: EdgeStyle | 'route';
}

export interface MapGraph {
  groups: GroupDef[];
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Node key by concept id. */
  keyOf: Map<string, string>;
}

/** Mermaid node key for a concept outside the seed map: `cross-entropy` -> `CROSS_ENTROPY`. */
export function expandedKey(id: string): string {
  return id.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

/**
 * The nodes and edges of a view. The seed view is map.yaml as it stands; the expanded view adds every other concept
 * (with a page) to its group and hangs it under its front-matter parent with a has-part edge.
 */
export function buildGraph(map: ConceptMap, view: MapView, concepts?: Map<string, Concept>): MapGraph {
  const nodes: GraphNode[] = map.nodes.map((n) => ({
    key: n.key,
    concept: n.concept,
    label: n.label,
    group: n.group,
    seed: true,
  }));
  const edges: GraphEdge[] = map.edges.map((e) => ({ ...e }));
  const keyOf = new Map(nodes.map((n) => [n.concept, n.key]));
  if (view === 'expanded' && concepts) {
    const extra = [...concepts.values()].filter((c) => !keyOf.has(c.id));
    const used = new Set(nodes.map((n) => n.key));
    for (const c of extra) {
      let key = expandedKey(c.id);
      while (used.has(key)) key += '_';
      used.add(key);
      keyOf.set(c.id, key);
      nodes.push({ key, concept: c.id, label: c.title || c.id, group: c.group, seed: false });
    }
    for (const c of extra) {
      const parent = c.parent && keyOf.get(c.parent);
      if (parent) edges.push({ from: parent, to: keyOf.get(c.id) as string, label: '', style: 'has-part' });
    }
  }
  return { groups: map.groups, nodes, edges, keyOf };
}

/** Colours the diagram is drawn with, read from the theme's CSS tokens. */
export interface MapPalette {
  dark: boolean;
  surface: string;
  surface2: string;
  border: string;
  borderStrong: string;
  text: string;
  text2: string;
  muted: string;
  accent: string;
  accentSoft: string;
  ok: string;
  okSoft: string;
}

export const LIGHT_PALETTE: MapPalette = {
  dark: false,
  surface: '#ffffff',
  surface2: '#f1efe9',
  border: '#e3e0d8',
  borderStrong: '#cfcabd',
  text: '#1b1d23',
  text2: '#4a4f5c',
  muted: '#6b7080',
  accent: '#5b3cc4',
  accentSoft: '#ece7fb',
  ok: '#1f8a4c',
  okSoft: '#e2f4e9',
};

/** A hue per group, tinting its subgraph. */
const GROUP_HUES: Record<GroupId, string> = {
  foundations: '#0e9f9e',
  optimization: '#1976d2',
  regularization: '#d08a1c',
  normalization: '#f57c00',
  architectures: '#388e3c',
  generative: '#7b1fa2',
  scale: '#5c6b8a',
};

export interface MermaidOptions {
  palette?: MapPalette;
  status?: (concept: string) => ConceptStatus;
  /** Concept ids of a pathway in reading order: its nodes and the links between consecutive ones are emphasised. */
  route?: string[];
  /** Flow direction: top-down as in the seed, or left-to-right for wide screens. */
  direction?: 'TD' | 'LR';
  /** Draw the groups as subgraphs (default true). */
  clusters?: boolean;
}

export interface MermaidResult {
  text: string;
  /** The edges in the order Mermaid numbers them (map edges, then route links). */
  edges: GraphEdge[];
  /** Per edge index: on the route (true), dimmed (false) or no route shown (undefined). */
  edgeOnRoute: (boolean | undefined)[];
  /** Route concept ids that have no node in this view. */
  offView: string[];
}

const ARROW: Record<GraphEdge['style'], string> = {
  primary: '==>',
  normal: '-->',
  applies: '-.->',
  'has-part': '--o',
  route: '==>',
};

/** Mermaid's label text: quoted, with characters that would end the string escaped as entities. */
function quote(label: string): string {
  return `"${label.replace(/"/g, '#quot;')}"`;
}

export function toMermaid(map: ConceptMap, graph: MapGraph, options: MermaidOptions = {}): MermaidResult {
  const pal = options.palette ?? LIGHT_PALETTE;
  const status = options.status ?? (() => 'new' as const);
  const lines: string[] = [`flowchart ${options.direction ?? 'TD'}`];

  const route = (options.route ?? []).filter((id, i, all) => all.indexOf(id) === i);
  const routeKeys = route.map((id) => graph.keyOf.get(id)).filter((k): k is string => !!k);
  const offView = route.filter((id) => !graph.keyOf.has(id));
  const onRoute = new Set(routeKeys);
  const showRoute = routeKeys.length > 0;
  const stepOf = new Map(routeKeys.map((k, i) => [k, i + 1]));

  const nodeLine = (n: GraphNode, indent: string) => {
    const step = stepOf.get(n.key);
    const mark = status(n.concept) === 'done' ? '✓ ' : '';
    const label = step ? `<span class='ga-route-step'>${step}</span> ${mark}${n.label}` : `${mark}${n.label}`;
    return `${indent}${n.key}[${quote(label)}]`;
  };
  const clusters = options.clusters ?? true;
  for (const group of graph.groups) {
    const members = graph.nodes.filter((n) => n.group === group.id);
    if (!members.length) continue;
    if (clusters) lines.push(`  subgraph ${group.key}[${quote(group.title)}]`);
    for (const n of members) lines.push(nodeLine(n, clusters ? '    ' : '  '));
    if (clusters) lines.push('  end');
  }
  // Nodes whose group is unknown still show, outside any subgraph.
  const grouped = new Set(graph.groups.map((g) => g.id));
  for (const n of graph.nodes) if (!grouped.has(n.group)) lines.push(`  ${n.key}[${quote(n.label)}]`);

  // Route links between consecutive steps that no map edge joins already.
  const edges: GraphEdge[] = [...graph.edges];
  const joined = (a: string, b: string) =>
    graph.edges.some((e) => (e.from === a && e.to === b) || (e.from === b && e.to === a));
  for (let i = 0; i + 1 < routeKeys.length; i++) {
    if (!joined(routeKeys[i], routeKeys[i + 1])) {
      edges.push({ from: routeKeys[i], to: routeKeys[i + 1], label: '', style: 'route' });
    }
  }
  const consecutive = new Set(routeKeys.slice(1).map((k, i) => `${routeKeys[i]}>${k}`));
  const edgeOnRoute = edges.map((e) =>
    showRoute ? consecutive.has(`${e.from}>${e.to}`) || consecutive.has(`${e.to}>${e.from}`) : undefined,
  );

  for (const e of edges) {
    lines.push(`  ${e.from} ${ARROW[e.style]}${e.label ? `|${quote(e.label)}|` : ''} ${e.to}`);
  }

  // Progress classes (also land on each node's <g> as class names the page's CSS can use).
  const sc = statusColors(pal);
  for (const s of ['new', 'read', 'done'] as const) {
    lines.push(
      `  classDef status-${s} fill:${sc[s].fill},stroke:${sc[s].stroke},stroke-width:${s === 'done' ? 2 : 1.5}px,color:${pal.text}`,
    );
  }
  for (const s of ['new', 'read', 'done'] as const) {
    const keys = graph.nodes.filter((n) => status(n.concept) === s).map((n) => n.key);
    if (keys.length) lines.push(`  class ${keys.join(',')} status-${s}`);
  }
  const seedKeys = graph.nodes.filter((n) => n.seed).map((n) => n.key);
  if (seedKeys.length) lines.push(`  class ${seedKeys.join(',')} seed`);
  if (showRoute) {
    lines.push(`  class ${[...onRoute].join(',')} on-route`);
    const off = graph.nodes.filter((n) => !onRoute.has(n.key)).map((n) => n.key);
    if (off.length) lines.push(`  class ${off.join(',')} off-route`);
  }

  // The seed's highlighted nodes keep their colours (adapted to a dark theme); progress takes the fill once read.
  for (const n of map.nodes) {
    if (!n.highlight || !graph.keyOf.has(n.concept)) continue;
    const { fill, stroke, strokeWidth } = n.highlight;
    const s = pal.dark ? mix(stroke, '#ffffff', 0.35) : stroke;
    const f = pal.dark ? mix(stroke, pal.surface, 0.3) : fill;
    const fillPart = status(n.concept) === 'new' ? `fill:${f},` : '';
    lines.push(`  style ${n.key} ${fillPart}stroke:${s},stroke-width:${strokeWidth}px`);
  }

  // Group subgraphs: a faint tint of the group's hue.
  for (const g of clusters ? graph.groups : []) {
    const hue = GROUP_HUES[g.id] ?? pal.muted;
    lines.push(
      `  style ${g.key} fill:${mix(hue, pal.surface2, pal.dark ? 0.1 : 0.07)},stroke:${mix(hue, pal.surface, pal.dark ? 0.45 : 0.38)},stroke-width:1px,color:${pal.text2}`,
    );
  }

  // Edges: route links in the accent colour; with a route shown, other edges fade.
  edges.forEach((e, i) => {
    if (edgeOnRoute[i]) lines.push(`  linkStyle ${i} stroke:${pal.accent},stroke-width:4px`);
    else if (e.style === 'has-part') lines.push(`  linkStyle ${i} stroke:${pal.muted},stroke-width:1.2px`);
  });

  return { text: `${lines.join('\n')}\n`, edges, edgeOnRoute, offView };
}

/** Fill and stroke of a node by the learner's progress (the map's legend uses the same). */
export function statusColors(pal: MapPalette): Record<ConceptStatus, { fill: string; stroke: string }> {
  return {
    new: { fill: pal.surface, stroke: pal.borderStrong },
    read: { fill: mix(pal.accent, pal.surface, pal.dark ? 0.3 : 0.16), stroke: pal.accent },
    done: { fill: mix(pal.ok, pal.surface, pal.dark ? 0.32 : 0.2), stroke: pal.ok },
  };
}

/** Mixes two #rrggbb colours: t = 1 gives `a`, t = 0 gives `b`. Other colour syntaxes come back as `a`. */
export function mix(a: string, b: string, t: number): string {
  const pa = parseHex(a);
  const pb = parseHex(b);
  if (!pa || !pb) return a;
  const c = pa.map((v, i) => Math.round(v * t + pb[i] * (1 - t)));
  return `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

function parseHex(c: string): [number, number, number] | undefined {
  let h = c.trim().replace(/^#/, '');
  if (/^[0-9a-f]{3}$/i.test(h)) h = [...h].map((x) => x + x).join('');
  if (!/^[0-9a-f]{6}$/i.test(h)) return undefined;
  return [0, 2, 4].map((i) => Number.parseInt(h.slice(i, i + 2), 16)) as [number, number, number];
}
