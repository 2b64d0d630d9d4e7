// The practice part of learner progress (schema 2): card review states, the review log, quiz answers, problem
// results and the practice settings. Types, defaults, validation and merging; pure functions, no IndexedDB, no FSRS.
// progressSchema.ts calls these from its own parse/merge so one file format carries everything.
//
// A card record is ts-fsrs's Card with dates as ISO strings; a review-log record is ts-fsrs's ReviewLog (the card's
// state *before* the rating, as ts-fsrs writes it, so `rollback` can undo it) plus an id and the card id.

export type FsrsState = 0 | 1 | 2 | 3; // New | Learning | Review | Relearning (ts-fsrs State)
export type FsrsRating = 1 | 2 | 3 | 4; // Again | Hard | Good | Easy (ts-fsrs Rating)

export interface CardRecord {
  due: string;
  stability: number;
  difficulty: number;
  elapsed_days: number;
  scheduled_days: number;
  learning_steps: number;
  reps: number;
  lapses: number;
  state: FsrsState;
  last_review?: string;
}

export interface ReviewLogRecord {
  /** Unique: `<review time ms>:<card id>`. */
  id: string;
  cardId: string;
  rating: FsrsRating;
  state: FsrsState;
  due: string;
  stability: number;
  difficulty: number;
  elapsed_days: number;
  last_elapsed_days: number;
  scheduled_days: number;
  learning_steps: number;
  review: string;
}

export interface QuizAnswer {
  id: string;
  questionId: string;
  concept: string;
  correct: boolean;
  at: string;
}

/** What a problem attempt produced (the grader fills it). */
export interface ProblemResultInput {
  passed: boolean;
  /** The goal metric and the value the attempt reached, e.g. val_accuracy 0.93. */
  metric?: string;
  value?: number;
  /** Steps trained. */
  steps?: number;
  /** A sentence for the learner (why it failed, what was checked). */
  note?: string;
}

export interface ProblemResult extends ProblemResultInput {
  id: string;
  problemId: string;
  at: string;
}

export interface PracticeSettings {
  /** New cards introduced per day, across every deck. */
  newCardsPerDay: number;
  /** FSRS request_retention: the probability of recall the schedule aims for when a card comes due. */
  desiredRetention: number;
}

export const DEFAULT_SETTINGS: PracticeSettings = { newCardsPerDay: 20, desiredRetention: 0.9 };
export const RETENTION_RANGE = [0.7, 0.97] as const;
export const NEW_PER_DAY_RANGE = [0, 200] as const;

export interface PracticeData {
  /** Review state by card id (a card without one is new). */
  cards: Record<string, CardRecord>;
  /** Every rating, oldest first. */
  reviewLogs: ReviewLogRecord[];
  quizAnswers: QuizAnswer[];
  problemResults: ProblemResult[];
  settings: PracticeSettings;
}

export const emptyPractice = (): PracticeData => ({
  cards: {},
  reviewLogs: [],
  quizAnswers: [],
  problemResults: [],
  settings: { ...DEFAULT_SETTINGS },
});

// ---------------------------------------------------------------------------------------------------------------
// Validation

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isDate = (v: unknown): v is string =>
  typeof v === 'string' && /^\d{4}-\d\d-\d\d/.test(v) && Number.isFinite(Date.parse(v));
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isCount = (v: unknown): v is number => isNum(v) && Number.isInteger(v) && v >= 0;
const isState = (v: unknown): v is FsrsState => v === 0 || v === 1 || v === 2 || v === 3;
const isRating = (v: unknown): v is FsrsRating => v === 1 || v === 2 || v === 3 || v === 4;
const show = (v: unknown) => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 40 ? `${s.slice(0, 37)}...` : s;
};

const NUMERIC = ['stability', 'difficulty', 'elapsed_days', 'scheduled_days'] as const;
const COUNTS = ['learning_steps', 'reps', 'lapses'] as const;

function cardProblems(rec: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (!isDate(rec.due)) out.push(`due ${show(rec.due)} is not a date`);
  if (rec.last_review !== undefined && !isDate(rec.last_review))
    out.push(`last_review ${show(rec.last_review)} is not a date`);
  for (const k of NUMERIC)
    if (!isNum(rec[k]) || (rec[k] as number) < 0) out.push(`${k} ${show(rec[k])} is not a number`);
  for (const k of COUNTS) if (!isCount(rec[k])) out.push(`${k} ${show(rec[k])} is not a count`);
  if (!isState(rec.state)) out.push(`state ${show(rec.state)} is not 0-3`);
  return out;
}

/** Parses the four record lists and the settings, pushing a sentence per problem. */
export function parsePractice(
  lists: { cards: unknown; reviewLogs: unknown; quizAnswers: unknown; problemResults: unknown },
  settings: unknown,
  problems: string[],
): PracticeData {
  const out = emptyPractice();
  const each = (name: string, list: unknown, fn: (rec: Record<string, unknown>, where: string) => void) => {
    if (list === undefined) return; // a file written before schema 2 was migrated, or a hand-made one: none
    if (!Array.isArray(list)) {
      problems.push(`"data.${name}" is not a list`);
      return;
    }
    for (const [i, rec] of list.entries()) {
      const where = `${name} record ${i + 1}`;
      if (!isObject(rec) || typeof rec.id !== 'string' || !rec.id) problems.push(`${where} has no id`);
      else fn(rec, where);
    }
  };
  const seen = new Set<string>();
  const once = (kind: string, id: string) => {
    const key = `${kind}:${id}`;
    if (seen.has(key)) {
      problems.push(`${kind} "${id}" appears twice`);
      return false;
    }
    seen.add(key);
    return true;
  };

  each('cards', lists.cards, (rec) => {
    const { id, ...card } = rec as { id: string } & Record<string, unknown>;
    const bad = cardProblems(card);
    const extra = Object.keys(card).filter((k) => !['due', 'last_review', 'state', ...NUMERIC, ...COUNTS].includes(k));
    if (extra.length) bad.push(`unknown fields: ${extra.join(', ')}`);
    if (bad.length) problems.push(`card "${id}": ${bad.join('; ')}`);
    else if (once('card', id)) out.cards[id] = card as unknown as CardRecord;
  });

  each('reviewLogs', lists.reviewLogs, (rec) => {
    const id = rec.id as string;
    const bad = [
      ...(typeof rec.cardId === 'string' && rec.cardId ? [] : ['no card id']),
      ...(isRating(rec.rating) ? [] : [`rating ${show(rec.rating)} is not 1-4`]),
      ...(isDate(rec.review) ? [] : [`review ${show(rec.review)} is not a date`]),
      ...(isNum(rec.last_elapsed_days) ? [] : ['last_elapsed_days is not a number']),
      ...cardProblems({ ...rec, reps: 0, lapses: 0 }),
    ];
    if (bad.length) problems.push(`review log "${id}": ${bad.join('; ')}`);
    else if (once('review log', id)) out.reviewLogs.push(rec as unknown as ReviewLogRecord);
  });
  out.reviewLogs.sort((a, b) => Date.parse(a.review) - Date.parse(b.review));

  each('quizAnswers', lists.quizAnswers, (rec) => {
    const id = rec.id as string;
    const ok =
      typeof rec.questionId === 'string' &&
      typeof rec.concept === 'string' &&
      typeof rec.correct === 'boolean' &&
      isDate(rec.at);
    if (!ok) problems.push(`quiz answer "${id}" should be { questionId, concept, correct: boolean, at: date }`);
    else if (once('quiz answer', id))
      out.quizAnswers.push({
        id,
        questionId: rec.questionId as string,
        concept: rec.concept as string,
        correct: rec.correct as boolean,
        at: rec.at as string,
      });
  });

  each('problemResults', lists.problemResults, (rec) => {
    const id = rec.id as string;
    const ok =
      typeof rec.problemId === 'string' &&
      typeof rec.passed === 'boolean' &&
      isDate(rec.at) &&
      (rec.metric === undefined || typeof rec.metric === 'string') &&
      (rec.value === undefined || isNum(rec.value)) &&
      (rec.steps === undefined || isCount(rec.steps)) &&
      (rec.note === undefined || typeof rec.note === 'string');
    if (!ok) problems.push(`problem result "${id}" should be { problemId, passed: boolean, at: date, ... }`);
    else if (once('problem result', id)) out.problemResults.push(rec as unknown as ProblemResult);
  });

  if (settings !== undefined && settings !== null) {
    if (!isObject(settings)) problems.push(`settings ${show(settings)} is not an object`);
    else {
      const { newCardsPerDay: n, desiredRetention: r } = settings;
      if (!isCount(n) || n > NEW_PER_DAY_RANGE[1]) problems.push(`settings: new cards per day ${show(n)} is not 0-200`);
      else out.settings.newCardsPerDay = n;
      if (!isNum(r) || r < RETENTION_RANGE[0] || r > RETENTION_RANGE[1])
        problems.push(`settings: desired retention ${show(r)} is not between 0.7 and 0.97`);
      else out.settings.desiredRetention = r;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Merging (imports): nothing either side has is lost.

const unionById = <T extends { id: string }>(a: T[], b: T[], time: (x: T) => string): T[] => {
  const map = new Map(a.map((x) => [x.id, x]));
  for (const x of b) if (!map.has(x.id)) map.set(x.id, x);
  return [...map.values()].sort((x, y) => Date.parse(time(x)) - Date.parse(time(y)));
};

export function mergePractice(mine: PracticeData, theirs: PracticeData): PracticeData {
  const cards = { ...mine.cards };
  for (const [id, c] of Object.entries(theirs.cards)) {
    const m = cards[id];
    // The side that reviewed the card last holds its current schedule.
    const t = (x?: CardRecord) => (x?.last_review ? Date.parse(x.last_review) : -1);
    if (!m || t(c) > t(m)) cards[id] = c;
  }
  return {
    cards,
    reviewLogs: unionById(mine.reviewLogs, theirs.reviewLogs, (x) => x.review),
    quizAnswers: unionById(mine.quizAnswers, theirs.quizAnswers, (x) => x.at),
    problemResults: unionById(mine.problemResults, theirs.problemResults, (x) => x.at),
    settings: mine.settings,
  };
}
