import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Concept, parseConcept, parseMap } from '../../state/curriculumParse';
import { readMapUrl, writeMapUrl } from './mapUrl';
import { buildGraph, type ConceptStatus, expandedKey, mix, toMermaid } from './mermaid';
import { searchConcepts } from './search';

const map = parseMap(readFileSync('content/map.yaml', 'utf8'));
const concepts = new Map<string, Concept>(
  readdirSync('content/concepts')
    .filter((f) => f.endsWith('.md'))
    .map((f) => {
      const c = parseConcept(readFileSync(`content/concepts/${f}`, 'utf8'), f.slice(0, -3));
      return [c.id, c];
    }),
);
const CRITICAL = ['adam', 'learning-rate', 'batch-normalization', 'skip-connections', 'resnet'];

describe('the Mermaid text of the map', () => {
  it('draws the seed map: 7 subgraphs, 27 nodes, 26 edges with their arrows and labels', () => {
    const { text } = toMermaid(map, buildGraph(map, 'seed'));
    expect(text.startsWith('flowchart TD\n')).toBe(true);
    expect(text.match(/^ {2}subgraph /gm)).toHaveLength(7);
    expect(text).toContain('subgraph Foundations["Network Foundations"]');
    expect(text).toContain('subgraph Architecture["Advanced Architectures"]');
    expect(text.match(/^ {4}[A-Z_]+\["/gm)).toHaveLength(27);
    expect(text.match(/^ {2}[A-Z_]+ (==>|-->|-\.->|--o)/gm)).toHaveLength(26);
    expect(text).toContain('  LAYERS ==>|"optimized by"| LOSS');
    expect(text).toContain('  MOMENTUM -->|"adaptive"| ADAM');
    expect(text).toContain('  ADAM -.->|"requires"| LR');
    expect(text).toContain('  VAE --o LATENT');
    expect(text).toContain('  style ADAM fill:#e3f2fd,stroke:#1976d2,stroke-width:3px');
    expect(text).toContain('  style GAN fill:#f3e5f5,stroke:#7b1fa2,stroke-width:2px');
  });

  it('expands to every concept, each hung under its parent with a has-part edge', () => {
    const graph = buildGraph(map, 'expanded', concepts);
    expect(graph.nodes).toHaveLength(concepts.size);
    const { text } = toMermaid(map, graph);
    expect(text).toContain(`  ACTIV --o ${expandedKey('relu')}`);
    expect(text).toContain(`  ${expandedKey('rnn')} --o ${expandedKey('lstm')}`);
    const extra = [...concepts.values()].filter((c) => c.parent && !map.nodes.some((n) => n.concept === c.id));
    expect(text.match(/ --o /g)?.length).toBe(extra.length + 1);
  });

  it('colours nodes by progress and keeps the seed highlight stroke once read', () => {
    const status = (id: string): ConceptStatus => (id === 'adam' ? 'done' : id === 'dropout' ? 'read' : 'new');
    const { text } = toMermaid(map, buildGraph(map, 'seed'), { status });
    expect(text).toMatch(/^ {2}class ADAM status-done$/m);
    expect(text).toMatch(/^ {2}class DROPOUT status-read$/m);
    expect(text).toContain('ADAM["✓ Adam/AdamW"]');
    expect(text).toContain('  style ADAM stroke:#1976d2,stroke-width:3px');
  });

  it('draws a pathway as a route: numbered nodes, emphasised links, the rest dimmed', () => {
    const r = toMermaid(map, buildGraph(map, 'seed'), { route: CRITICAL });
    expect(r.text).toMatch(/^ {2}class ADAM,LR,BATCHNORM,SKIP,RESNET on-route$/m);
    expect(r.text).toContain(`ADAM["<span class='ga-route-step'>1</span> Adam/AdamW"]`);
    // LR -> BATCHNORM and BATCHNORM -> SKIP have no map edge: route links are added.
    expect(r.edges.slice(26)).toEqual([
      { from: 'LR', to: 'BATCHNORM', label: '', style: 'route' },
      { from: 'BATCHNORM', to: 'SKIP', label: '', style: 'route' },
    ]);
    expect(r.edgeOnRoute.filter((x) => x === true)).toHaveLength(4);
    expect(r.edgeOnRoute.filter((x) => x === false)).toHaveLength(24);
    expect(r.offView).toEqual([]);
  });

  it('reports route steps that the view does not show', () => {
    const r = toMermaid(map, buildGraph(map, 'seed'), { route: ['vanishing-exploding-gradients', 'skip-connections'] });
    expect(r.offView).toEqual(['vanishing-exploding-gradients']);
  });

  it('mixes colours', () => {
    expect(mix('#ffffff', '#000000', 0.5)).toBe('#808080');
    expect(mix('#f00', '#00f', 1)).toBe('#ff0000');
    expect(mix('rgb(1 2 3)', '#000', 0.5)).toBe('rgb(1 2 3)');
  });
});

describe('the map URL', () => {
  it('round-trips view, route and focus and ignores junk', () => {
    const s = readMapUrl('?view=expanded&route=critical-path&focus=dropout');
    expect(s).toEqual({ view: 'expanded', route: 'critical-path', focus: 'dropout' });
    expect(writeMapUrl(s)).toBe('?view=expanded&route=critical-path&focus=dropout');
    expect(readMapUrl('?view=weird&focus=<script>')).toEqual({ view: 'seed', route: null, focus: null });
    expect(writeMapUrl({ view: 'seed', route: null, focus: null }, '?utm=x&focus=a')).toBe('?utm=x');
  });
});

describe('concept search', () => {
  it('ranks exact and prefix title matches first', () => {
    const items = [...concepts.values()];
    expect(searchConcepts(items, 'dropout')[0].id).toBe('dropout');
    expect(searchConcepts(items, 'batch')[0].id).toBe('batch-normalization');
    expect(searchConcepts(items, 'norm').map((c) => c.id)).toContain('layer-normalization');
    expect(searchConcepts(items, '')).toEqual([]);
  });
});
