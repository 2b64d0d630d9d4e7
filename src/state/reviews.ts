// Practice on top of the progress store: spaced repetition with ts-fsrs (the scheduler is theirs, never ours), the
// review queue and due counts, undo, the practice settings, and the two small recording functions other features
// call: recordQuizAnswer (quizzes) and recordProblemResult (the grader).
//
// Everything lands in useProgress (and so in IndexedDB and the export file) through updateProgress.
import {
  type Card,
  createEmptyCard,
  type FSRS,
  type State as FsrsStateEnum,
  fsrs,
  type Grade,
  type ReviewLog,
} from 'ts-fsrs';
import { type ProgressState, updateProgress, useProgress } from './progress';
import type { ProgressData } from './progressSchema';
import type {
  CardRecord,
  FsrsRating,
  FsrsState,
  PracticeSettings,
  ProblemResultInput,
  ReviewLogRecord,
} from './reviewsSchema';
import { NEW_PER_DAY_RANGE, RETENTION_RANGE } from './reviewsSchema';

export type {
  CardRecord,
  FsrsRating,
  FsrsState,
  PracticeSettings,
  ProblemResult,
  ProblemResultInput,
  QuizAnswer,
  ReviewLogRecord,
} from './reviewsSchema';
export { DEFAULT_SETTINGS, NEW_PER_DAY_RANGE, RETENTION_RANGE } from './reviewsSchema';

export const RATINGS: { rating: FsrsRating; label: string }[] = [
  { rating: 1, label: 'Again' },
  { rating: 2, label: 'Hard' },
  { rating: 3, label: 'Good' },
  { rating: 4, label: 'Easy' },
];

/** Cards due within this long count as due when nothing else is (learning steps of a few minutes). */
export const LEARN_AHEAD_MS = 20 * 60_000;

// ---------------------------------------------------------------------------------------------------------------
// ts-fsrs, and conversion between its objects and our stored records (dates as ISO strings)

const schedulers = new Map<number, FSRS>();

/** The FSRS scheduler for a desired retention (no fuzz, so schedules are reproducible and testable). */
export function schedulerFor(settings: Pick<PracticeSettings, 'desiredRetention'>): FSRS {
  let f = schedulers.get(settings.desiredRetention);
  if (!f) {
    f = fsrs({ request_retention: settings.desiredRetention, enable_fuzz: false });
    schedulers.set(settings.desiredRetention, f);
  }
  return f;
}

export function toFsrsCard(rec: CardRecord | undefined, now: Date): Card {
  if (!rec) return createEmptyCard(now);
  const { last_review, due, ...rest } = rec;
  return {
    ...rest,
    state: rest.state as FsrsStateEnum,
    due: new Date(due),
    ...(last_review ? { last_review: new Date(last_review) } : {}),
  };
}

export function fromFsrsCard(card: Card): CardRecord {
  const rec: CardRecord = {
    due: card.due.toISOString(),
    stability: card.stability,
    difficulty: card.difficulty,
    elapsed_days: card.elapsed_days,
    scheduled_days: card.scheduled_days,
    learning_steps: card.learning_steps,
    reps: card.reps,
    lapses: card.lapses,
    state: card.state as number as FsrsState,
  };
  if (card.last_review) rec.last_review = new Date(card.last_review).toISOString();
  return rec;
}

function fromFsrsLog(id: string, cardId: string, log: ReviewLog): ReviewLogRecord {
  return {
    id,
    cardId,
    rating: log.rating as number as FsrsRating,
    state: log.state as number as FsrsState,
    due: log.due.toISOString(),
    stability: log.stability,
    difficulty: log.difficulty,
    elapsed_days: log.elapsed_days,
    last_elapsed_days: log.last_elapsed_days,
    scheduled_days: log.scheduled_days,
    learning_steps: log.learning_steps,
    review: log.review.toISOString(),
  };
}

function toFsrsLog(rec: ReviewLogRecord): ReviewLog {
  const { id: _, cardId: __, ...log } = rec;
  return { ...log, due: new Date(log.due), review: new Date(log.review) } as unknown as ReviewLog;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading: previews, due state, the queue

export interface RatingPreview {
  rating: FsrsRating;
  label: string;
  due: Date;
  /** The interval as a learner reads it: "1m", "10m", "3d", "1.2mo". */
  interval: string;
}

/** What each of Again/Hard/Good/Easy would do to the card now (ts-fsrs's repeat). */
export function previewCard(cardId: string, now = new Date(), data: ProgressData = useProgress.getState()) {
  const f = schedulerFor(data.settings);
  const preview = f.repeat(toFsrsCard(data.cards[cardId], now), now);
  return RATINGS.map(
    ({ rating, label }): RatingPreview => ({
      rating,
      label,
      due: preview[rating as Grade].card.due,
      interval: formatInterval(now, preview[rating as Grade].card.due),
    }),
  );
}

export function formatInterval(from: Date, to: Date): string {
  const min = Math.max(0, (to.getTime() - from.getTime()) / 60_000);
  if (min < 60) return `${Math.max(1, Math.round(min))}m`;
  const h = min / 60;
  if (h < 24) return `${Math.round(h)}h`;
  const d = h / 24;
  if (d < 30) return `${Math.round(d)}d`;
  if (d < 365) return `${Number((d / 30).toFixed(1))}mo`;
  return `${Number((d / 365).toFixed(1))}y`;
}

export function startOfDay(t: Date): Date {
  const d = new Date(t);
  d.setHours(0, 0, 0, 0);
  return d;
}

/** New cards first rated today (local day): what the daily limit counts. */
export function newCardsToday(data: Pick<ProgressData, 'reviewLogs'>, now = new Date()): number {
  const from = startOfDay(now).getTime();
  const seen = new Set<string>();
  for (const log of data.reviewLogs) if (log.state === 0 && Date.parse(log.review) >= from) seen.add(log.cardId);
  return seen.size;
}

export interface DeckLike {
  id: string;
  cardIds: string[];
}

export interface DeckCounts {
  /** Seen cards due now (learning and review). */
  due: number;
  /** Of those, cards in (re)learning. */
  learning: number;
  /** New cards available today (within the daily limit, shared by every deck). */
  new: number;
  /** Cards never rated. */
  unseen: number;
  total: number;
}

export function deckCounts(deck: DeckLike, data: ProgressData, now = new Date()): DeckCounts {
  const left = Math.max(0, data.settings.newCardsPerDay - newCardsToday(data, now));
  let due = 0;
  let learning = 0;
  let unseen = 0;
  for (const id of deck.cardIds) {
    const c = data.cards[id];
    if (!c) unseen++;
    else if (Date.parse(c.due) <= now.getTime()) {
      due++;
      if (c.state === 1 || c.state === 3) learning++;
    }
  }
  return { due, learning, new: Math.min(unseen, left), unseen, total: deck.cardIds.length };
}

/**
 * The next card to show from these decks: the most overdue seen card, then a new card (in deck order) while the
 * daily limit allows, then a learning card due within LEARN_AHEAD_MS. Null when the session is done.
 */
export function nextCardId(decks: DeckLike[], data: ProgressData, now = new Date()): string | null {
  const t = now.getTime();
  let best: { id: string; due: number } | null = null;
  let ahead: { id: string; due: number } | null = null;
  let firstNew: string | null = null;
  for (const deck of decks)
    for (const id of deck.cardIds) {
      const c = data.cards[id];
      if (!c) {
        firstNew ??= id;
        continue;
      }
      const due = Date.parse(c.due);
      if (due <= t) {
        if (!best || due < best.due) best = { id, due };
      } else if (due <= t + LEARN_AHEAD_MS && (!ahead || due < ahead.due)) ahead = { id, due };
    }
  if (best) return best.id;
  if (firstNew && newCardsToday(data, now) < data.settings.newCardsPerDay) return firstNew;
  return ahead?.id ?? null;
}

// ---------------------------------------------------------------------------------------------------------------
// Writing

const uniqueLogId = (s: ProgressState, cardId: string, now: Date) => {
  const base = `${now.getTime()}:${cardId}`;
  const ids = new Set(s.reviewLogs.map((l) => l.id));
  let id = base;
  for (let n = 2; ids.has(id); n++) id = `${base}:${n}`;
  return id;
};

/** Rates a card (1 Again, 2 Hard, 3 Good, 4 Easy) with ts-fsrs and records the new state and the log entry. */
export function rateCard(cardId: string, rating: FsrsRating, now = new Date()): CardRecord {
  const s = useProgress.getState();
  const { card, log } = schedulerFor(s.settings).next(toFsrsCard(s.cards[cardId], now), now, rating as Grade);
  const result = fromFsrsCard(card);
  const logId = uniqueLogId(s, cardId, now);
  undoStack.push({ logId, prev: s.cards[cardId] });
  if (undoStack.length > 50) undoStack.shift();
  updateProgress(
    (st) => ({
      cards: { ...st.cards, [cardId]: result },
      reviewLogs: [...st.reviewLogs, fromFsrsLog(logId, cardId, log)],
    }),
    { cards: [cardId], reviewLogs: [logId] },
  );
  return result;
}

/** The card states before this tab's latest ratings: undo restores them exactly. */
const undoStack: { logId: string; prev: CardRecord | undefined }[] = [];

/**
 * Takes back the latest rating: the card gets back the state it had (kept in memory for this tab's ratings, else
 * ts-fsrs's rollback from the log); a card rated for the first time becomes new again.
 */
export function undoLastRating(): ReviewLogRecord | null {
  const s = useProgress.getState();
  const last = s.reviewLogs[s.reviewLogs.length - 1];
  if (!last) return null;
  const saved = undoStack.at(-1)?.logId === last.id ? undoStack.pop() : undefined;
  updateProgress(
    (st) => {
      const f = schedulerFor(st.settings);
      const cards = { ...st.cards };
      const current = st.cards[last.cardId];
      if (saved?.prev) cards[last.cardId] = saved.prev;
      else if (saved || last.state === 0 || !current) delete cards[last.cardId];
      else cards[last.cardId] = fromFsrsCard(f.rollback(toFsrsCard(current, new Date()), toFsrsLog(last)));
      return { cards, reviewLogs: st.reviewLogs.slice(0, -1) };
    },
    { cards: [last.cardId], reviewLogs: [last.id] },
  );
  return last;
}

export function setPracticeSettings(patch: Partial<PracticeSettings>): void {
  const clamp = (v: number, [lo, hi]: readonly [number, number]) => Math.min(hi, Math.max(lo, v));
  updateProgress(
    (s) => {
      const next = { ...s.settings };
      if (patch.newCardsPerDay !== undefined && Number.isFinite(patch.newCardsPerDay))
        next.newCardsPerDay = Math.round(clamp(patch.newCardsPerDay, NEW_PER_DAY_RANGE));
      if (patch.desiredRetention !== undefined && Number.isFinite(patch.desiredRetention))
        next.desiredRetention = Math.round(clamp(patch.desiredRetention, RETENTION_RANGE) * 100) / 100;
      return next.newCardsPerDay === s.settings.newCardsPerDay && next.desiredRetention === s.settings.desiredRetention
        ? undefined
        : { settings: next };
    },
    { meta: true },
  );
}

const eventId = (prefix: string, key: string, at: string) => `${Date.parse(at)}:${prefix}:${key}`;

/** Records one answer to a quiz question (every attempt is kept, newest last). */
export function recordQuizAnswer(questionId: string, concept: string, correct: boolean): void {
  const at = new Date().toISOString();
  let id = eventId('q', questionId, at);
  while (useProgress.getState().quizAnswers.some((a) => a.id === id)) id += "'";
  updateProgress((s) => ({ quizAnswers: [...s.quizAnswers, { id, questionId, concept, correct, at }] }), {
    quizAnswers: [id],
  });
}

/** Records one graded attempt at a problem (every attempt is kept, newest last). */
export function recordProblemResult(problemId: string, result: ProblemResultInput): void {
  const at = new Date().toISOString();
  let id = eventId('p', problemId, at);
  while (useProgress.getState().problemResults.some((r) => r.id === id)) id += "'";
  const clean: ProblemResultInput = { passed: Boolean(result.passed) };
  if (typeof result.metric === 'string') clean.metric = result.metric;
  if (typeof result.value === 'number' && Number.isFinite(result.value)) clean.value = result.value;
  if (typeof result.steps === 'number' && Number.isInteger(result.steps) && result.steps >= 0)
    clean.steps = result.steps;
  if (typeof result.note === 'string') clean.note = result.note;
  updateProgress((s) => ({ problemResults: [...s.problemResults, { id, problemId, at, ...clean }] }), {
    problemResults: [id],
  });
}

/** React hooks for the other features: the latest quiz answers and problem results. */
export const useQuizAnswers = () => useProgress((s) => s.quizAnswers);
export const useProblemResults = () => useProgress((s) => s.problemResults);
