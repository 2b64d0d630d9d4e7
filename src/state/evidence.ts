// The ContentIndex the progress rules need (progressRules.ts), built from the content: which concept pages have a live
// mini-lab (a 2-D labPreset), their check questions (quizzes.ts), the cards of each concept (content/cards, read
// lazily: only ids and concepts) and the concepts of each problem (problems.ts). Plus React hooks for the pages
// that show step completion and mastery.
import { useEffect, useMemo, useState } from 'react';
import type { Concept } from './curriculum';
import { presetById } from './presets';
import { PROBLEMS } from './problems';
import { useProgress } from './progress';
import {
  type ContentIndex,
  collectEvidence,
  EMPTY_CONTENT,
  type EvidenceOf,
  type MasteryLevel,
  masteryLevel,
} from './progressRules';
import { checkQuestions } from './quizzes';

/** A preset small enough to train on a concept page: 2-D data (MNIST presets only get a link to the Lab). */
export function isLivePreset(id: string): boolean {
  const spec = presetById(id)?.spec;
  return !!spec?.data && spec.data.kind !== 'mnist' && spec.model.input.length === 1;
}

const problemConcepts = new Map(PROBLEMS.map((p) => [p.id, p.concepts]));
const checks = new Map<string, string[]>();
const checkIds = (concept: string) => {
  const known = checks.get(concept);
  if (known) return known;
  const ids = checkQuestions(concept).map((q) => q.id);
  checks.set(concept, ids);
  return ids;
};

export interface CardIndex {
  byConcept: Map<string, string[]>;
  conceptOf: Map<string, string>;
}

/** Card ids by concept from deck files' text: a cloze note becomes `<id>::c<n>` per marker number, as in practice. */
export function indexCards(decks: unknown[]): CardIndex {
  const byConcept = new Map<string, string[]>();
  const conceptOf = new Map<string, string>();
  for (const doc of decks) {
    const cards = (doc as { cards?: unknown } | null)?.cards;
    if (!Array.isArray(cards)) continue;
    for (const raw of cards as Record<string, unknown>[]) {
      if (typeof raw?.id !== 'string' || typeof raw.concept !== 'string') continue;
      const numbers =
        raw.type === 'cloze' && typeof raw.text === 'string'
          ? [...new Set([...raw.text.matchAll(/\{\{c(\d+)::/g)].map((m) => Number(m[1])))]
          : [];
      const ids = raw.type === 'cloze' ? numbers.map((n) => `${raw.id}::c${n}`) : [raw.id];
      for (const id of ids) {
        conceptOf.set(id, raw.concept);
        byConcept.set(raw.concept, [...(byConcept.get(raw.concept) ?? []), id]);
      }
    }
  }
  return { byConcept, conceptOf };
}

const deckFiles = import.meta.glob('/content/cards/*.yaml', { query: '?raw', import: 'default' }) as Record<
  string,
  () => Promise<string>
>;
let cardsLoading: Promise<CardIndex> | undefined;

/** Loads the card index once (the deck files and the YAML parser come in their own chunks). */
export function loadCardIndex(): Promise<CardIndex> {
  cardsLoading ??= Promise.all([import('yaml'), ...Object.values(deckFiles).map((load) => load())]).then(
    ([yaml, ...texts]) => indexCards((texts as string[]).map((t) => yaml.parse(t))),
  );
  return cardsLoading;
}

const NO_CARDS: CardIndex = { byConcept: new Map(), conceptOf: new Map() };

export function contentIndex(
  concepts: ReadonlyMap<string, Pick<Concept, 'labPreset'>>,
  cards = NO_CARDS,
): ContentIndex {
  return {
    hasMiniLab: (id) => {
      const preset = concepts.get(id)?.labPreset;
      return !!preset && isLivePreset(preset);
    },
    checkQuestions: checkIds,
    cardsOf: (id) => cards.byConcept.get(id) ?? [],
    cardConcept: (id) => cards.conceptOf.get(id),
    problemConcepts: (id) => problemConcepts.get(id) ?? [],
  };
}

/** The ContentIndex for these concepts; until they (and the cards) load, what is known so far. */
export function useContentIndex(concepts: ReadonlyMap<string, Pick<Concept, 'labPreset'>> | undefined): ContentIndex {
  const [cards, setCards] = useState<CardIndex>(NO_CARDS);
  useEffect(() => {
    let live = true;
    loadCardIndex().then(
      (c) => live && setCards(c),
      (e) => console.error('Gradient Atlas: the card decks could not be indexed', e),
    );
    return () => {
      live = false;
    };
  }, []);
  return useMemo(() => (concepts ? contentIndex(concepts, cards) : EMPTY_CONTENT), [concepts, cards]);
}

/** Every concept's evidence, re-computed when the learner's progress changes. */
export function useEvidence(content: ContentIndex): EvidenceOf {
  const progress = useProgress();
  return useMemo(() => collectEvidence(progress, content), [progress, content]);
}

/** One concept's mastery level. */
export function useMastery(concept: string, content: ContentIndex): MasteryLevel {
  const evidence = useEvidence(content);
  return masteryLevel(evidence(concept));
}
