import { describe, expect, it } from 'vitest';
import { countWords, parseConcept, parseMap, sectionBullets, splitFrontMatter } from '../src/state/curriculumParse';
import {
  bodyMath,
  compareWithSeed,
  prerequisiteCycles,
  readmeConcepts,
  type SeedFixture,
  validateContent,
} from './validate-content';

const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');

function page(id: string, front: Record<string, string> = {}, body?: string): { file: string; source: string } {
  const fields: Record<string, string> = {
    id,
    title: id.toUpperCase(),
    group: 'foundations',
    summary: `A summary of ${id}.`,
    prerequisites: '[]',
    related: '[]',
    ...front,
  };
  const yaml = Object.entries(fields)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
  const text =
    body ??
    `## Definition\n${words(120)}\n\n## Intuition\n${words(120)}\n\n## Key points\n- one\n- two\n- three\n\n## Pitfalls\n- a trap ${words(20)}\n`;
  return { file: `${id}.md`, source: `---\n${yaml}\n---\n\n${text}` };
}

const messages = (input: Parameters<typeof validateContent>[0]) => validateContent(input).map((p) => p.message);

describe('curriculum parsing', () => {
  it('splits front matter and reads typed fields', () => {
    const c = parseConcept(
      "---\nid: x\ntitle: X\ngroup: scale\nsummary: Hi.\nprerequisites: [a, b]\nformulas:\n  - label: L\n    tex: '\\frac{1}{2}'\nlabPreset: null\n---\nbody text here\n",
    );
    expect(c).toMatchObject({ id: 'x', title: 'X', group: 'scale', prerequisites: ['a', 'b'], related: [] });
    expect(c.formulas).toEqual([{ label: 'L', tex: '\\frac{1}{2}' }]);
    expect(c.labPreset).toBeNull();
    expect(c.body).toBe('body text here\n');
    expect(c.wordCount).toBe(3);
  });

  it('rejects a page without front matter', () => {
    expect(() => splitFrontMatter('# just markdown')).toThrow(/no front matter/);
  });

  it('counts prose words, not code or display math', () => {
    expect(countWords('one two $x^2$ three\n\n$$\n\\sum_i a_i b_i\n$$\n```\ncode here\n```\n- four')).toBe(5);
  });

  it('reads the bullets of one section', () => {
    const body = '## Key points\n- a\n- b\n  continued\n* c\n## Pitfalls\n- d\n';
    expect(sectionBullets(body, 'Key points')).toEqual(['a', 'b', 'c']);
  });

  it('reads map.yaml', () => {
    const map = parseMap(
      "groups:\n  - { id: scale, key: Scale, title: Training at Scale }\nnodes:\n  - { key: A, concept: a, label: A, group: scale, centrality: low, highlight: { fill: '#fff', stroke: '#000', strokeWidth: 3, meaning: m } }\nedges:\n  - { from: A, to: A, label: '', style: has-part }\n",
    );
    expect(map.nodes[0].highlight).toEqual({ fill: '#fff', stroke: '#000', strokeWidth: 3, meaning: 'm' });
    expect(map.edges[0]).toEqual({ from: 'A', to: 'A', label: '', style: 'has-part' });
  });
});

describe('content rules', () => {
  it('accepts a well-formed page', () => {
    expect(messages({ concepts: [page('alpha')] })).toEqual([]);
  });

  it('flags short pages, long summaries, few key points and missing sections', () => {
    const body = `## Definition\n${words(100)}\n## Key points\n- only one\n`;
    const m = messages({ concepts: [page('alpha', { summary: 'x'.repeat(161) }, body)] });
    expect(m).toContain('summary is 161 characters (at most 160)');
    expect(m).toContain('body has 105 words (at least 250)');
    expect(m).toContain('"Key points" has 1 bullet (at least 3)');
    expect(m).toContain('missing section "## Intuition"');
    expect(m).toContain('missing section "## Pitfalls"');
  });

  it('flags links that do not resolve, in front matter and body', () => {
    const good = page('alpha');
    const bad = page('beta', { prerequisites: '[alpha, gamma]', related: '[delta]', parent: 'omega' });
    bad.source += '\nSee [the other](concept:epsilon) and [alpha](concept:alpha).\n';
    const m = messages({ concepts: [good, bad] });
    expect(m).toEqual(
      expect.arrayContaining([
        'prerequisites "gamma" does not resolve to a concept page',
        'related "delta" does not resolve to a concept page',
        'parent "omega" does not resolve to a concept page',
        'body link "epsilon" does not resolve to a concept page',
      ]),
    );
    expect(m.some((x) => x.includes('"alpha"'))).toBe(false);
  });

  it('checks a lab preset exists', () => {
    const m = messages({ concepts: [page('alpha', { labPreset: 'xor-mlp' })], presets: ['spiral'] });
    expect(m).toContain('labPreset "xor-mlp" has no content/presets/xor-mlp.json');
    expect(messages({ concepts: [page('alpha', { labPreset: 'spiral' })], presets: ['spiral'] })).toEqual([]);
  });

  it('finds prerequisite cycles', () => {
    const m = messages({
      concepts: [
        page('a', { prerequisites: '[c]' }),
        page('b', { prerequisites: '[a]' }),
        page('c', { prerequisites: '[b]' }),
      ],
    });
    expect(m).toContain('prerequisite cycle: a -> c -> b -> a');
    const concepts = new Map(
      [page('x', { prerequisites: '[y]' }), page('y')].map((p) => {
        const c = parseConcept(p.source);
        return [c.id, c];
      }),
    );
    expect(prerequisiteCycles(concepts)).toEqual([]);
  });

  it('checks formulas and body math with KaTeX', () => {
    const p = page('alpha', {
      formulas: "\n  - label: ok\n    tex: '\\frac{a}{b}'\n  - label: broken\n    tex: '\\frac{a'",
    });
    p.source += '\nInline $x^2$ is fine, $\\badmacro{y}$ is not, and costs like $5 or $10 are prose.\n';
    const m = messages({ concepts: [p] });
    expect(m.filter((x) => x.includes('does not render'))).toHaveLength(2);
    expect(m.some((x) => x.startsWith('formula 2 ("broken") does not render'))).toBe(true);
    expect(m.some((x) => x.includes('\\badmacro'))).toBe(true);
    expect(bodyMath('price $5 and $10; math $a+b$ here')).toEqual([{ tex: 'a+b', display: false }]);
  });

  it('checks every concept the README lists exists, with its parent', () => {
    const readme =
      '| group | seed | expanded |\n|---|---|---|\n| foundations | alpha [ALPHA] | beta (alpha), gamma (alpha) |\n';
    expect(readmeConcepts(readme)).toEqual([
      { id: 'alpha', nodeKey: 'ALPHA' },
      { id: 'beta', parent: 'alpha' },
      { id: 'gamma', parent: 'alpha' },
    ]);
    const m = messages({ concepts: [page('alpha'), page('beta', { parent: 'gamma' })], readme });
    expect(m).toContain('lists concept "gamma" but content/concepts/gamma.md does not exist');
    expect(m).toContain('parent is "gamma" but content/README.md hangs it under "alpha"');
  });

  it('checks pathway steps resolve and the seed pathways are complete', () => {
    const pathways =
      'pathways:\n  - id: critical-path\n    title: Critical\n    bestFor: all\n    sessions: "5"\n    steps:\n      - { concept: alpha, also: [zeta], title: A, outcome: Do A. }\n      - { concept: nope, title: B, outcome: "" }\n';
    const m = messages({ concepts: [page('alpha')], pathways });
    expect(m).toEqual(
      expect.arrayContaining([
        'pathway "critical-path" step 1: concept "zeta" does not resolve to a concept page',
        'pathway "critical-path" step 2: concept "nope" does not resolve to a concept page',
        'pathway "critical-path" step 2: no outcome',
        'pathway "critical-path" has 2 steps; the seed notes give 5',
        'pathway "foundations-first" of the seed notes is missing',
      ]),
    );
  });
});

describe('map against the seed', () => {
  const seed: SeedFixture = {
    groups: [{ key: 'Foundations', title: 'Network Foundations' }],
    nodes: [
      { key: 'LAYERS', label: 'Deep Layers', group: 'Foundations' },
      { key: 'ACTIV', label: 'Activation Functions', group: 'Foundations' },
    ],
    edges: [{ from: 'LAYERS', to: 'ACTIV', label: 'uses', style: 'primary' }],
    highlights: [{ key: 'LAYERS', fill: '#e3f2fd', stroke: '#1976d2', strokeWidth: 3 }],
    centrality: { LAYERS: 'high', ACTIV: 'high' },
  };
  const mapYaml = (edge: string, extra = '') =>
    `groups:\n  - { id: foundations, key: Foundations, title: Network Foundations }\nnodes:\n  - { key: LAYERS, concept: deep-layers, label: Deep Layers, group: foundations, centrality: high, highlight: { fill: '#E3F2FD', stroke: '#1976d2', strokeWidth: 3, meaning: x } }\n  - { key: ACTIV, concept: activation-functions, label: Activation Functions, group: foundations, centrality: high }\n${extra}edges:\n  - ${edge}\n`;
  const concepts = [page('deep-layers'), page('activation-functions')];

  it('matches when nodes, edges, labels, styles and highlights agree', () => {
    const map = parseMap(mapYaml('{ from: LAYERS, to: ACTIV, label: uses, style: primary }'));
    expect(compareWithSeed(map, seed)).toEqual([]);
    expect(
      messages({ concepts, map: mapYaml('{ from: LAYERS, to: ACTIV, label: uses, style: primary }'), seed }),
    ).toEqual([]);
  });

  it('reports a changed label or style, and an edge end that does not resolve', () => {
    const m = messages({ concepts, map: mapYaml('{ from: LAYERS, to: ACTIVX, label: used, style: normal }'), seed });
    expect(m).toEqual(
      expect.arrayContaining([
        'edge 1 (LAYERS -> ACTIVX): no node ACTIVX',
        'seed map mismatch: missing edge LAYERS -[primary: uses]-> ACTIV',
        'seed map mismatch: edge LAYERS -[normal: used]-> ACTIVX is not in the seed map',
      ]),
    );
  });

  it('reports a node whose concept has no page', () => {
    const extra = '  - { key: LOSS, concept: loss-functions, label: Loss, group: foundations, centrality: medium }\n';
    const m = messages({
      concepts,
      map: mapYaml('{ from: LAYERS, to: ACTIV, label: uses, style: primary }', extra),
      seed,
    });
    expect(m).toContain('node LOSS: concept "loss-functions" does not resolve to a concept page');
    expect(m).toContain('seed map mismatch: node LOSS "Loss" in Foundations is not in the seed map');
  });
});

describe('lab presets', () => {
  const spec = (steps = 100) => ({
    data: { kind: 'spiral' },
    model: { input: [2], layers: [{ type: 'dense', units: 8 }, { type: 'relu' }, { type: 'dense', units: 2 }] },
    loss: { type: 'cross_entropy' },
    optimizer: { type: 'adam', lr: 0.01 },
    training: { batchSize: 32, steps },
  });
  const preset = (id: string, over: Record<string, unknown> = {}) => ({
    file: `${id}.json`,
    source: JSON.stringify({
      id,
      title: 'A preset',
      concepts: ['alpha'],
      summary: 'One line.',
      notice: words(60),
      steps: 100,
      spec: spec(),
      ...over,
    }),
  });
  const check = (files: { file: string; source: string }[], pages = [page('alpha')]) =>
    messages({ concepts: pages, presetFiles: files });

  it('accepts a well-formed preset, plain and with a compare run', () => {
    expect(check([preset('spiral')])).toEqual([]);
    const compare = { labelA: 'A', labelB: 'B', spec: { ...spec(), optimizer: { type: 'sgd', lr: 0.1 } } };
    expect(check([preset('spiral', { compare })])).toEqual([]);
  });

  it('flags an id that differs from the file name, bad JSON and unknown fields', () => {
    expect(check([{ ...preset('spiral'), file: 'other.json' }])).toContain(
      'id "spiral" differs from the file name "other"',
    );
    expect(check([{ file: 'x.json', source: '{ nope' }])[0]).toMatch(/^is not valid JSON/);
    expect(check([preset('spiral', { extra: 1 })])[0]).toMatch(/^unknown field "extra"/);
  });

  it('flags unknown concepts, short or long notices, missing text and bad step counts', () => {
    const m = check([preset('spiral', { concepts: ['alpha', 'nope'], notice: words(20), title: '', steps: 0 })]);
    expect(m).toContain('concept "nope" has no concept page');
    expect(m).toContain('notice has 20 words (50 to 140)');
    expect(m).toContain('title must be a non-empty string');
    expect(m).toContain('steps must be a whole number from 1 to 100000');
    expect(check([preset('spiral', { notice: words(141) })])).toContain('notice has 141 words (50 to 140)');
    expect(check([preset('spiral', { concepts: [] })])).toContain('concepts must list at least one concept id');
  });

  it('runs spec and compare.spec through the engine validator, and keeps steps and training.steps together', () => {
    const bad = { ...spec(), model: { input: [2], layers: [{ type: 'dense', units: 0 }] } };
    const m = check([preset('spiral', { spec: bad })]);
    expect(m.some((x) => x.startsWith('spec: model.layers[0].units'))).toBe(true);
    const m2 = check([
      preset('spiral', { compare: { labelA: 'A', labelB: '', spec: { ...spec(), loss: { type: 'hinge' } } } }),
    ]);
    expect(m2).toContain('compare.labelB must be a non-empty string');
    expect(m2.some((x) => x.startsWith('compare.spec: loss.type'))).toBe(true);
    expect(check([preset('spiral', { spec: spec(200) })])).toContain(
      'spec.training.steps is 200 but steps is 100: they must agree',
    );
  });

  it('resolves labPreset against the preset files, and asks pages that send learners to the lab for one', () => {
    const lab = `## Definition\n${words(120)}\n\n## Intuition\n${words(120)} In the lab, try it.\n\n## Key points\n- one\n- two\n- three\n\n## Pitfalls\n- a trap\n`;
    expect(check([preset('spiral')], [page('alpha', {}, lab)])).toContain(
      'says "In the lab" but has no labPreset: name the preset the learner should open',
    );
    expect(check([preset('spiral')], [page('alpha', { labPreset: 'spiral' }, lab)])).toEqual([]);
    expect(check([preset('spiral')], [page('alpha', { labPreset: 'other' })])).toContain(
      'labPreset "other" has no content/presets/other.json',
    );
  });
});
