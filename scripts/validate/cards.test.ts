import { describe, expect, it } from 'vitest';
import { cardDirProblems, clozeParts, validateCards } from './cards';

const concepts = new Set(['adam', 'dropout']);
const presets = new Set(['spiral']);
const loose = { minCards: 0, minPerConcept: 0 };

const deck = (cards: string, head = 'deck: d\ntitle: D\nlevel: easy\nsummary: S.') => ({
  file: 'd.yaml',
  source: `${head}\ncards:\n${cards}`,
});
const qa = (id: string, concept = 'adam') => `  - { id: ${id}, concept: ${concept}, type: qa, front: Q?, back: A. }\n`;
const messages = (files: { file: string; source: string }[], opts = loose) =>
  validateCards(files, concepts, presets, opts).map((p) => `${p.file}: ${p.message}`);

describe('card decks', () => {
  it('accepts a well-formed deck of each type', () => {
    const cards = `${qa('a1')}  - id: c1
    concept: adam
    type: cloze
    text: 'm_t = \\beta_1 m_{t-1} + {{c1::(1-\\beta_1) g_t}}, \\hat{m} = {{c2::\\frac{m_t}{1-\\beta_1^t} }}'
    math: true
  - id: c2
    concept: dropout
    type: cloze
    text: Dropout zeroes each unit with probability {{c1::$p$}}.
  - id: p1
    concept: adam
    type: predict
    prompt: Which curve?
    preset: spiral
    steps: 300
    choices: [decreases, plateau, diverges]
    answer: decreases
    explain: Because.
`;
    expect(messages([deck(cards)])).toEqual([]);
  });

  it('refuses a deck whose name differs from its file, or without a known level', () => {
    const m = messages([deck(qa('a1'), 'deck: other\ntitle: D\nlevel: trivial\nsummary: S.')]);
    expect(m).toContain('content/cards/d.yaml: deck "other" differs from the file name "d"');
    expect(m.some((x) => x.includes('level "trivial" is not one of easy, medium, hard'))).toBe(true);
  });

  it('refuses invalid YAML, missing fields and unknown fields', () => {
    expect(messages([{ file: 'd.yaml', source: 'deck: [' }])[0]).toMatch(/is not valid YAML/);
    const m = messages([deck(`  - { id: a1, concept: adam, type: qa, front: Q?, answer: A. }\n`)]);
    expect(m).toContain('content/cards/d.yaml: card "a1": field "answer" does not belong on a qa card');
    expect(m).toContain('content/cards/d.yaml: card "a1": back must be a non-empty string');
  });

  it('refuses duplicate card ids across decks and unknown concepts and types', () => {
    const second = { file: 'e.yaml', source: deck(qa('a1')).source.replace('deck: d', 'deck: e') };
    expect(messages([deck(qa('a1')), second])).toContain(
      'content/cards/e.yaml: card "a1": id is already used in content/cards/d.yaml',
    );
    expect(messages([deck(qa('a2', 'nope'))])).toContain(
      'content/cards/d.yaml: card "a2": concept "nope" has no page in content/concepts',
    );
    expect(messages([deck('  - { id: a3, concept: adam, type: essay }\n')])[0]).toMatch(/type "essay" is not one of/);
  });

  it('reads cloze markers with balanced braces and refuses malformed ones', () => {
    expect(clozeParts('a {{c1::\\frac{1}{2} }} b')).toEqual([{ n: 1, hidden: '\\frac{1}{2} ', start: 2, end: 22 }]);
    expect(clozeParts('a {{c1:x}}')).toMatch(/is not a cloze marker/);
    expect(clozeParts('a {{c1::\\sqrt{v}}}')).toMatch(/ends in "}": add a space/);
    expect(clozeParts('a {{c1::open')).toMatch(/not closed/);
    const cloze = (text: string, math = false) =>
      deck(`  - id: z1\n    concept: adam\n    type: cloze\n    text: '${text}'\n    math: ${math}\n`);
    expect(messages([cloze('no markers here')])[0]).toMatch(/has no \{\{c1::...\}\} marker/);
    expect(messages([cloze('{{c1::a}} and {{c3::b}}')])[0]).toMatch(/must run c1, c2 ... without gaps/);
  });

  it('refuses cloze math that KaTeX cannot render, revealed or blanked', () => {
    const cloze = (text: string) =>
      deck(`  - id: z1\n    concept: adam\n    type: cloze\n    text: '${text}'\n    math: true\n`);
    expect(messages([cloze('x^{{c1::a}}^2')])[0]).toMatch(/revealed text does not render with KaTeX/);
    expect(messages([cloze('x = {{c1::\\left(}} y \\right)')]).join('\n')).toMatch(/does not render with KaTeX/);
    expect(messages([cloze('x = {{c1::\\frac{a}{b} }}')])).toEqual([]);
  });

  it('refuses predict cards with an unknown preset, a bad spec or bad choices', () => {
    const predict = (extra: string) =>
      deck(
        `  - id: p1\n    concept: adam\n    type: predict\n    prompt: Which?\n    steps: 100\n    explain: Why.\n${extra}`,
      );
    const ok = '    choices: [decreases, plateau, diverges]\n    answer: decreases\n';
    expect(messages([predict(`    preset: missing\n${ok}`)])[0]).toMatch(/preset "missing" has no content\/presets/);
    expect(messages([predict(`    spec: { model: 1 }\n${ok}`)])[0]).toMatch(/card "p1": spec: /);
    expect(messages([predict(ok)])[0]).toMatch(/give exactly one of preset and spec/);
    const m = messages([
      predict('    preset: spiral\n    choices: [decreases, decreases, wobbles]\n    answer: slow\n'),
    ]);
    expect(m.join('\n')).toMatch(/choice "wobbles" is not one of decreases, plateau/);
    expect(m.join('\n')).toMatch(/choices must be distinct/);
    expect(m.join('\n')).toMatch(/answer "slow" is not among the choices/);
    expect(
      messages([predict('    preset: spiral\n    choices: [decreases, plateau]\n    answer: plateau\n')])[0],
    ).toMatch(/exactly 3 curve shapes/);
  });

  it('counts cards in all and per concept', () => {
    const m = messages([deck(qa('a1') + qa('a2'))], { minCards: 3, minPerConcept: 2 });
    expect(m).toContain('content/cards: 2 cards in all (at least 3)');
    expect(m).toContain('content/cards: concept "dropout" has 0 cards (at least 2)');
    expect(m.some((x) => x.includes('"adam"'))).toBe(false);
  });

  it('passes on the real content/cards', () => {
    expect(cardDirProblems(new URL('../..', import.meta.url).pathname)).toEqual([]);
  });
});
