// The flashcard rules of the content validator: content/cards/<deck>.yaml in the format of content/README.md
// ("Practice content"). Pure functions of the file texts (validateCards), so cards.test.ts checks each rule on small
// in-memory cases; cardDirProblems reads the folder for scripts/validate-content.ts.
//
// Checked: deck = file name, a title, a summary, a level (easy | medium | hard) and at least one card; card ids
// lowercase-with-hyphens and unique across every deck; each card's concept has a page; only the fields of its type;
// qa: front and back; cloze: {{c1::...}} markers numbered c1, c2 ... without gaps, balanced braces inside, and the
// text (revealed, and with each blank hidden) renders with KaTeX when `math: true`;
// predict: a prompt, steps, a preset that exists or a spec the engine's validateSpec accepts (one of the two), three
// distinct choices from the curve vocabulary, the answer among them, an explanation; every $...$ renders; in all at
// least MIN_CARDS cards and MIN_PER_CONCEPT cards for every concept page.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import katex from 'katex';
import { parse } from 'yaml';
import { validateSpec } from '../../engine/spec/validate';

export interface CardProblem {
  file: string;
  message: string;
}

export const LEVELS = ['easy', 'medium', 'hard'] as const;
export const CARD_TYPES = ['qa', 'cloze', 'predict'] as const;
/** The curve shapes a predict card may offer (content/README.md). */
export const CURVES = ['decreases', 'plateau', 'diverges', 'noisy', 'slow', 'overfits'] as const;
export const MIN_CARDS = 150;
export const MIN_PER_CONCEPT = 2;
/** A predict reveal trains live in the page: keep it short. */
export const MAX_PREDICT_STEPS = 5000;

const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const DECK_FIELDS = ['deck', 'title', 'level', 'summary', 'cards'];
const COMMON_FIELDS = ['id', 'concept', 'type'];
const TYPE_FIELDS: Record<(typeof CARD_TYPES)[number], string[]> = {
  qa: ['front', 'back'],
  cloze: ['text', 'math'],
  predict: ['prompt', 'preset', 'spec', 'steps', 'choices', 'answer', 'explain'],
};

export interface CardOptions {
  minCards?: number;
  minPerConcept?: number;
}

export function validateCards(
  files: { file: string; source: string }[],
  conceptIds: ReadonlySet<string>,
  presetIds: ReadonlySet<string>,
  { minCards = MIN_CARDS, minPerConcept = MIN_PER_CONCEPT }: CardOptions = {},
): CardProblem[] {
  const problems: CardProblem[] = [];
  const seen = new Map<string, string>();
  const perConcept = new Map<string, number>();
  let total = 0;
  for (const { file, source } of files) {
    const path = `content/cards/${file}`;
    const report = (message: string) => problems.push({ file: path, message });
    let raw: unknown;
    try {
      raw = parse(source);
    } catch (e) {
      report(`is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
      continue;
    }
    if (!isObject(raw)) {
      report('must be a YAML mapping with deck, title, level, summary and cards');
      continue;
    }
    const deckId = file.replace(/\.ya?ml$/, '');
    if (raw.deck !== deckId) report(`deck ${JSON.stringify(raw.deck)} differs from the file name "${deckId}"`);
    if (!ID.test(deckId)) report(`deck "${deckId}" is not lowercase-with-hyphens`);
    for (const k of Object.keys(raw)) {
      if (!DECK_FIELDS.includes(k)) report(`unknown deck field "${k}" (allowed: ${DECK_FIELDS.join(', ')})`);
    }
    for (const f of ['title', 'summary'] as const) if (!nonEmpty(raw[f])) report(`${f} must be a non-empty string`);
    if (!(LEVELS as readonly unknown[]).includes(raw.level)) {
      report(`level ${JSON.stringify(raw.level)} is not one of ${LEVELS.join(', ')}`);
    }
    if (!Array.isArray(raw.cards) || raw.cards.length === 0) {
      report('cards must be a non-empty list');
      continue;
    }
    raw.cards.forEach((card: unknown, i: number) => {
      const label = isObject(card) && typeof card.id === 'string' ? `card "${card.id}"` : `card ${i + 1}`;
      const at = (m: string) => report(`${label}: ${m}`);
      if (!isObject(card)) {
        at('must be a mapping');
        return;
      }
      total++;
      if (typeof card.id !== 'string' || !ID.test(card.id)) at('id must be lowercase-with-hyphens');
      else if (seen.has(card.id)) at(`id is already used in ${seen.get(card.id)}`);
      else seen.set(card.id, path);
      if (typeof card.concept !== 'string' || !conceptIds.has(card.concept)) {
        at(`concept ${JSON.stringify(card.concept)} has no page in content/concepts`);
      } else perConcept.set(card.concept, (perConcept.get(card.concept) ?? 0) + 1);
      if (!(CARD_TYPES as readonly unknown[]).includes(card.type)) {
        at(`type ${JSON.stringify(card.type)} is not one of ${CARD_TYPES.join(', ')}`);
        return;
      }
      const type = card.type as (typeof CARD_TYPES)[number];
      const allowed = [...COMMON_FIELDS, ...TYPE_FIELDS[type]];
      for (const k of Object.keys(card)) if (!allowed.includes(k)) at(`field "${k}" does not belong on a ${type} card`);
      if (type === 'qa') checkQa(card, at);
      else if (type === 'cloze') checkCloze(card, at);
      else checkPredict(card, presetIds, at);
    });
  }
  if (total < minCards)
    problems.push({ file: 'content/cards', message: `${total} cards in all (at least ${minCards})` });
  for (const id of [...conceptIds].sort()) {
    const n = perConcept.get(id) ?? 0;
    if (n < minPerConcept) {
      problems.push({
        file: 'content/cards',
        message: `concept "${id}" has ${n} card${n === 1 ? '' : 's'} (at least ${minPerConcept})`,
      });
    }
  }
  return problems;
}

function checkQa(card: Record<string, unknown>, at: (m: string) => void): void {
  for (const f of ['front', 'back'] as const) {
    if (!nonEmpty(card[f])) at(`${f} must be a non-empty string`);
    else checkInlineMath(card[f] as string, f, at);
  }
}

/** The cloze markers of a text, read with balanced braces: `{{c2::\frac{a}{b} }}` hides `\frac{a}{b} `. */
export function clozeParts(text: string): { n: number; hidden: string; start: number; end: number }[] | string {
  const out: { n: number; hidden: string; start: number; end: number }[] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    if (open < 0) break;
    const m = /^\{\{c(\d+)::/.exec(text.slice(open));
    if (!m) return `"${clip(text.slice(open))}" is not a cloze marker (write {{c1::hidden text}})`;
    let depth = 0;
    let j = open + m[0].length;
    const from = j;
    for (; j < text.length; j++) {
      if (text[j] === '\\' && j + 1 < text.length) {
        j++;
        continue;
      }
      if (text[j] === '{') depth++;
      else if (text[j] === '}') {
        if (depth === 0) break;
        depth--;
      }
    }
    if (j >= text.length || text.slice(j, j + 2) !== '}}') {
      return `marker {{c${m[1]}:: is not closed by }} with balanced braces inside`;
    }
    const hidden = text.slice(from, j);
    if (hidden.includes('}}') || hidden.endsWith('}')) {
      return `the hidden text of c${m[1]} has "}}" or ends in "}": add a space ("\\sqrt{v} }}") so every reader finds its end`;
    }
    if (!hidden.trim()) return `marker c${m[1]} hides nothing`;
    out.push({ n: Number(m[1]), hidden, start: open, end: j + 2 });
    i = j + 2;
  }
  return out;
}

function checkCloze(card: Record<string, unknown>, at: (m: string) => void): void {
  if (!nonEmpty(card.text)) {
    at('text must be a non-empty string');
    return;
  }
  if (card.math !== undefined && typeof card.math !== 'boolean') at('math must be true or false');
  const text = card.text as string;
  const parts = clozeParts(text);
  if (typeof parts === 'string') {
    at(parts);
    return;
  }
  if (!parts.length) {
    at('text has no {{c1::...}} marker');
    return;
  }
  const numbers = [...new Set(parts.map((p) => p.n))].sort((a, b) => a - b);
  numbers.forEach((n, k) => {
    if (n !== k + 1)
      at(`cloze numbers must run c1, c2 ... without gaps (found ${numbers.map((x) => `c${x}`).join(', ')})`);
  });
  const fill = (hide: number | null) => {
    let s = '';
    let last = 0;
    for (const p of parts) {
      s += text.slice(last, p.start) + (p.n === hide ? (card.math ? '\\boxed{\\,?\\,}' : '[...]') : p.hidden);
      last = p.end;
    }
    return s + text.slice(last);
  };
  for (const hide of [null, ...numbers]) {
    const shown = fill(hide);
    const where = hide === null ? 'revealed text' : `text with c${hide} hidden`;
    if (card.math) {
      const err = katexError(shown, true);
      if (err) at(`${where} does not render with KaTeX: ${err}`);
    } else checkInlineMath(shown, where, at);
  }
}

function checkPredict(card: Record<string, unknown>, presetIds: ReadonlySet<string>, at: (m: string) => void): void {
  for (const f of ['prompt', 'explain'] as const) {
    if (!nonEmpty(card[f])) at(`${f} must be a non-empty string`);
    else checkInlineMath(card[f] as string, f, at);
  }
  const steps = card.steps;
  if (typeof steps !== 'number' || !Number.isInteger(steps) || steps < 1 || steps > MAX_PREDICT_STEPS) {
    at(`steps must be a whole number from 1 to ${MAX_PREDICT_STEPS}`);
  }
  if ((card.preset === undefined) === (card.spec === undefined)) at('give exactly one of preset and spec');
  else if (card.preset !== undefined) {
    if (typeof card.preset !== 'string' || !presetIds.has(card.preset)) {
      at(`preset ${JSON.stringify(card.preset)} has no content/presets/<id>.json`);
    }
  } else {
    const v = validateSpec(card.spec);
    if (!v.ok) for (const e of v.errors) at(`spec: ${e.message}`);
  }
  const choices = card.choices;
  if (!Array.isArray(choices) || choices.length !== 3) {
    at('choices must list exactly 3 curve shapes');
    return;
  }
  for (const c of choices) {
    if (!(CURVES as readonly unknown[]).includes(c))
      at(`choice ${JSON.stringify(c)} is not one of ${CURVES.join(', ')}`);
  }
  if (new Set(choices).size !== choices.length) at('choices must be distinct');
  if (!choices.includes(card.answer)) at(`answer ${JSON.stringify(card.answer)} is not among the choices`);
}

function checkInlineMath(text: string, where: string, at: (m: string) => void): void {
  for (const { tex, display } of mathIn(text)) {
    const err = katexError(tex, display);
    if (err) at(`${where}: math $${clip(tex)}$ does not render: ${err}`);
  }
}

/** $$display$$ and $inline$ math in a text, outside backtick code; `\$` is a literal dollar. */
function mathIn(text: string): { tex: string; display: boolean }[] {
  const out: { tex: string; display: boolean }[] = [];
  const rest = text.replace(/`[^`\n]*`/g, ' ').replace(/\$\$([\s\S]+?)\$\$/g, (_, tex: string) => {
    out.push({ tex: tex.trim(), display: true });
    return ' ';
  });
  for (const m of rest.matchAll(/(?<![\\$])\$(?!\s)([^$\n]+?)(?<![\s\\])\$(?!\d)/g)) {
    out.push({ tex: m[1], display: false });
  }
  return out;
}

function katexError(tex: string, display: boolean): string | undefined {
  try {
    katex.renderToString(tex, { throwOnError: true, displayMode: display, strict: 'ignore' });
    return undefined;
  } catch (e) {
    return (e as Error).message.replace(/^KaTeX parse error: /, '').split('\n')[0];
  }
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const nonEmpty = (x: unknown) => typeof x === 'string' && x.trim() !== '';
const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 37)}...` : s);

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** The deck files of content/cards (sorted), for the command line. */
export function readCardFiles(root: string): { file: string; source: string }[] {
  const dir = join(root, 'content/cards');
  return listDir(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((file) => ({ file, source: readFileSync(join(dir, file), 'utf8') }));
}

/** Every card problem under root (concept ids from content/concepts, preset ids from content/presets). */
export function cardDirProblems(root: string): CardProblem[] {
  const ids = (dir: string, ext: RegExp) =>
    new Set(
      listDir(join(root, dir))
        .filter((f) => ext.test(f))
        .map((f) => f.replace(ext, '')),
    );
  return validateCards(readCardFiles(root), ids('content/concepts', /\.md$/), ids('content/presets', /\.json$/));
}
