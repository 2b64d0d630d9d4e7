import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseDeck } from '../features/practice/decks';
import { contentIndex, indexCards, isLivePreset } from './evidence';

const decks = readdirSync('content/cards')
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => readFileSync(`content/cards/${f}`, 'utf8'));

describe('the content index', () => {
  it('knows every card id and concept exactly as the practice decks expand them (cloze included)', () => {
    const index = indexCards(decks.map((t) => parse(t)));
    const expected = decks.flatMap((t) => parseDeck(t).cards.map((c) => [c.id, c.concept]));
    expect(expected.length).toBeGreaterThan(0);
    expect([...index.conceptOf]).toEqual(expect.arrayContaining(expected));
    expect(index.conceptOf.size).toBe(new Set(expected.map(([id]) => id)).size);
  });

  it('a page has a mini-lab only with a 2-D preset; checks and problems come from the content', () => {
    const concepts = new Map([
      ['adam', { labPreset: 'adam-vs-sgd' }],
      ['dropout', { labPreset: null }],
    ]);
    const c = contentIndex(concepts);
    expect(isLivePreset('adam-vs-sgd')).toBe(true);
    expect(c.hasMiniLab('adam')).toBe(true);
    expect(c.hasMiniLab('dropout')).toBe(false);
    expect(c.hasMiniLab('nowhere')).toBe(false);
    expect(c.checkQuestions('adam').length).toBeGreaterThan(0);
  });
});
