// The flashcard decks: content/cards/<deck>.yaml (format fixed in content/README.md), parsed and expanded into
// reviewable cards. A cloze note with markers c1, c2 ... becomes one card per marker number (id `<id>::c<n>`).
// Until the curriculum's decks land, the sample deck in fixtures/ stands in so the page is never empty.
import { parse as parseYaml } from 'yaml';

import type { LossShapeKind } from '../../plots/LossShape';

export type { LossShapeKind };
export const LOSS_SHAPES: LossShapeKind[] = ['decreases', 'plateau', 'diverges', 'noisy', 'slow', 'overfits'];

interface Base {
  /** The reviewable card's id (the note id, or `<note id>::c<n>` for cloze). */
  id: string;
  deck: string;
  concept: string;
}

export type PracticeCard =
  | (Base & { type: 'qa'; front: string; back: string })
  | (Base & { type: 'cloze'; segments: ClozeSegment[]; index: number; math: boolean })
  | (Base & {
      type: 'predict';
      prompt: string;
      choices: LossShapeKind[];
      answer: LossShapeKind;
      explain: string;
      preset?: string;
      spec?: unknown;
      steps?: number;
    });

export interface Deck {
  id: string;
  title: string;
  level: 'easy' | 'medium' | 'hard';
  summary: string;
  cards: PracticeCard[];
  /** True for the stand-in sample deck. */
  sample?: boolean;
}

export type ClozeSegment = { text: string } | { cloze: number; text: string };

/** Splits cloze text into plain runs and {{cN::hidden}} markers; braces inside the hidden part may nest (TeX). */
export function parseCloze(text: string): ClozeSegment[] {
  const out: ClozeSegment[] = [];
  let i = 0;
  let plain = '';
  while (i < text.length) {
    const m = /^\{\{c(\d+)::/.exec(text.slice(i, i + 12));
    if (!m) {
      plain += text[i++];
      continue;
    }
    let j = i + m[0].length;
    let depth = 0;
    let end = -1;
    for (; j < text.length; j++) {
      if (text[j] === '\\') {
        j++;
        continue;
      }
      if (text[j] === '{') depth++;
      else if (text[j] === '}') {
        if (depth === 0 && text[j + 1] === '}') {
          end = j;
          break;
        }
        depth--;
      }
    }
    if (end < 0) {
      plain += text.slice(i);
      break;
    }
    if (plain) out.push({ text: plain });
    plain = '';
    out.push({ cloze: Number(m[1]), text: text.slice(i + m[0].length, end) });
    i = end + 2;
  }
  if (plain) out.push({ text: plain });
  return out;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** Parses one deck file; throws with the file and card named when the shape is wrong. */
export function parseDeck(source: string, file = 'deck'): Deck {
  const doc = parseYaml(source) as Record<string, unknown> | null;
  if (!doc || typeof doc !== 'object') throw new Error(`${file}: not a deck`);
  const id = str(doc.deck);
  if (!id) throw new Error(`${file}: no "deck" id`);
  if (!Array.isArray(doc.cards)) throw new Error(`${file}: no "cards" list`);
  const level = doc.level === 'medium' || doc.level === 'hard' ? doc.level : 'easy';
  const cards: PracticeCard[] = [];
  for (const raw of doc.cards as Record<string, unknown>[]) {
    const noteId = str(raw?.id);
    const concept = str(raw?.concept);
    if (!noteId) throw new Error(`${file}: a card has no id`);
    const base = { deck: id, concept };
    if (raw.type === 'qa') cards.push({ ...base, id: noteId, type: 'qa', front: str(raw.front), back: str(raw.back) });
    else if (raw.type === 'cloze') {
      const segments = parseCloze(str(raw.text));
      const numbers = [...new Set(segments.flatMap((s) => ('cloze' in s ? [s.cloze] : [])))].sort((a, b) => a - b);
      if (!numbers.length) throw new Error(`${file}: cloze card "${noteId}" has no {{c1::...}} marker`);
      for (const n of numbers)
        cards.push({ ...base, id: `${noteId}::c${n}`, type: 'cloze', segments, index: n, math: raw.math === true });
    } else if (raw.type === 'predict') {
      const choices = (Array.isArray(raw.choices) ? raw.choices : []).filter((c): c is LossShapeKind =>
        LOSS_SHAPES.includes(c as LossShapeKind),
      );
      const answer = raw.answer as LossShapeKind;
      if (choices.length < 2 || !choices.includes(answer))
        throw new Error(
          `${file}: predict card "${noteId}" needs choices from the vocabulary and its answer among them`,
        );
      cards.push({
        ...base,
        id: noteId,
        type: 'predict',
        prompt: str(raw.prompt),
        choices,
        answer,
        explain: str(raw.explain),
        ...(typeof raw.preset === 'string' ? { preset: raw.preset } : {}),
        ...(raw.spec !== undefined ? { spec: raw.spec } : {}),
        ...(typeof raw.steps === 'number' ? { steps: raw.steps } : {}),
      });
    } else throw new Error(`${file}: card "${noteId}" has an unknown type ${JSON.stringify(raw.type)}`);
  }
  return { id, title: str(doc.title) || id, level, summary: str(doc.summary), cards };
}

type Loader = () => Promise<string>;
const contentDecks = import.meta.glob('/content/cards/*.yaml', { query: '?raw', import: 'default' }) as Record<
  string,
  Loader
>;
const sampleDecks = import.meta.glob('./fixtures/*.yaml', { query: '?raw', import: 'default' }) as Record<
  string,
  Loader
>;

let loading: Promise<Deck[]> | undefined;

/** Every deck (content decks by level then title), or the sample deck while content/cards/ is empty. */
export function loadDecks(): Promise<Deck[]> {
  loading ??= (async () => {
    const real = Object.keys(contentDecks).length > 0;
    const files = real ? contentDecks : sampleDecks;
    const decks = await Promise.all(
      Object.entries(files).map(async ([path, load]) => {
        try {
          const deck = parseDeck(await load(), path.replace(/^\//, ''));
          return real ? deck : { ...deck, sample: true };
        } catch (e) {
          console.warn((e as Error).message);
          return undefined;
        }
      }),
    );
    const order = { easy: 0, medium: 1, hard: 2 };
    return decks
      .filter((d): d is Deck => !!d)
      .sort((a, b) => order[a.level] - order[b.level] || a.title.localeCompare(b.title));
  })();
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
