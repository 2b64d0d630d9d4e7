// The rules that turn recorded progress into standing: when a pathway step is complete, where the learner resumes,
// and how far each concept is mastered. Pure functions of the progress data and a ContentIndex (what the content
// holds: which pages have a mini-lab, their check questions, the cards and problems of each concept), so every rule
// is unit-tested without IndexedDB or React. evidence.ts builds the ContentIndex from the content files.
//
// Step completion. A step is complete when it was marked done (on the pathway or the concept page), or when, for
// every concept of the step (its concept and its `also` concepts), the page's own work is done:
//   read      the page was read (scrolled through with time on it) or marked done
//   mini-lab  its mini-lab trained MINI_LAB_RUN_STEPS steps after play (only pages with a live 2-D lab)
//   check     each of its check questions was answered right at least once (only pages that have some)
//
// Mastery of a concept, from its evidence. The one table of the rule (MASTERY_RULES says the same for the UI):
//
//   level      | rule
//   -----------|------------------------------------------------------------------------------------------------
//   none       | nothing recorded for the concept
//   started    | anything recorded: page read or marked done, mini-lab run, a check answer (right or wrong), a card
//              | of it reviewed, a problem on it attempted
//   practised  | the page's work is done (read, mini-lab, check as above) and at least one active piece of it exists
//              | (mini-lab run, a check answered right, a card reviewed, a problem solved); or a problem on it solved
//   mastered   | the page's work is done and recall is shown: a problem on it solved, or at least half of its cards
//              | (and at least one) in good recall
//
// Good recall: the card's FSRS state is Review (graduated from learning) and its stability is at least
// GOOD_RECALL_STABILITY_DAYS. FSRS stability is the interval at which recall is predicted at 90%, so 7 days means
// "still likely remembered a week from now": one Easy rating, or two Goods a few days apart, gets there; a lapse
// (Relearning) drops it again, so mastery can go down when the learner forgets.
import type { ProgressData, StepRecord } from './progressSchema';

/** Steps the mini-lab must train after play before the run counts (or the preset's own length, if shorter). */
export const MINI_LAB_RUN_STEPS = 100;
/** FSRS stability (days) from which a card in the Review state counts as recalled well. */
export const GOOD_RECALL_STABILITY_DAYS = 7;

/** What the content holds, as the rules need it. */
export interface ContentIndex {
  /** Whether the concept's page has a live mini-lab (a 2-D labPreset). */
  hasMiniLab(concept: string): boolean;
  /** Ids of the concept page's check questions (mc questions whose concept is that page). */
  checkQuestions(concept: string): readonly string[];
  /** Ids of the concept's cards (as stored: cloze cards as `<note>::c<n>`). */
  cardsOf(concept: string): readonly string[];
  /** The concept a card belongs to. */
  cardConcept(cardId: string): string | undefined;
  /** The concepts a problem is on. */
  problemConcepts(problemId: string): readonly string[];
}

/** No labs, checks, cards or problems: reading alone completes a step. */
export const EMPTY_CONTENT: ContentIndex = {
  hasMiniLab: () => false,
  checkQuestions: () => [],
  cardsOf: () => [],
  cardConcept: () => undefined,
  problemConcepts: () => [],
};

// ---------------------------------------------------------------------------------------------------------------
// Evidence per concept

export interface Evidence {
  read: boolean;
  /** The mini-lab was run; null when the page has none. */
  miniLab: boolean | null;
  /** Check questions answered right at least once, of how many; null when the page has none. */
  check: { right: number; total: number } | null;
  /** Any check answer, right or wrong. */
  checkAnswered: boolean;
  cards: { total: number; reviewed: number; goodRecall: number };
  problems: { attempted: number; solved: number };
  /** read, mini-lab and check all met: the page's own work is done. */
  pageWork: boolean;
}

export type EvidenceOf = (concept: string) => Evidence;

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

/** One pass over the progress; the returned function gives any concept's evidence. */
export function collectEvidence(progress: ProgressData, content: ContentIndex): EvidenceOf {
  const right = new Map<string, Set<string>>();
  const answered = new Set<string>();
  for (const a of progress.quizAnswers) {
    answered.add(a.concept);
    if (a.correct) addTo(right, a.concept, a.questionId);
  }
  const reviewed = new Map<string, number>();
  const good = new Map<string, number>();
  for (const [cardId, card] of Object.entries(progress.cards)) {
    const concept = content.cardConcept(cardId);
    if (!concept || card.reps === 0) continue;
    reviewed.set(concept, (reviewed.get(concept) ?? 0) + 1);
    if (isGoodRecall(card)) good.set(concept, (good.get(concept) ?? 0) + 1);
  }
  const attempted = new Map<string, Set<string>>();
  const solved = new Map<string, Set<string>>();
  for (const r of progress.problemResults)
    for (const concept of content.problemConcepts(r.problemId)) {
      addTo(attempted, concept, r.problemId);
      if (r.passed) addTo(solved, concept, r.problemId);
    }
  return (concept) => {
    const p = progress.concepts[concept];
    const read = Boolean(p?.readAt || p?.doneAt);
    const miniLab = content.hasMiniLab(concept) ? Boolean(p?.labRunAt) : null;
    const questions = content.checkQuestions(concept);
    const rightSet = right.get(concept);
    const check = questions.length
      ? { right: questions.filter((q) => rightSet?.has(q)).length, total: questions.length }
      : null;
    return {
      read,
      miniLab,
      check,
      checkAnswered: answered.has(concept),
      cards: {
        total: content.cardsOf(concept).length,
        reviewed: reviewed.get(concept) ?? 0,
        goodRecall: good.get(concept) ?? 0,
      },
      problems: { attempted: attempted.get(concept)?.size ?? 0, solved: solved.get(concept)?.size ?? 0 },
      pageWork: read && miniLab !== false && (!check || check.right === check.total),
    };
  };
}

export function isGoodRecall(card: { state: number; stability: number }): boolean {
  return card.state === 2 && card.stability >= GOOD_RECALL_STABILITY_DAYS;
}

// ---------------------------------------------------------------------------------------------------------------
// Mastery

export type MasteryLevel = 'none' | 'started' | 'practised' | 'mastered';
export const MASTERY_LEVELS: readonly MasteryLevel[] = ['none', 'started', 'practised', 'mastered'];

/** The rule as the UI explains it (the table at the top of this file, in the learner's words). */
export const MASTERY_RULES: Record<MasteryLevel, { label: string; rule: string }> = {
  none: { label: 'Not started', rule: 'Nothing recorded yet.' },
  started: { label: 'Started', rule: 'Read, ran, answered, reviewed or attempted something on it.' },
  practised: {
    label: 'Practised',
    rule: 'Page read, its mini-lab run and its check answered right; or a problem on it solved.',
  },
  mastered: {
    label: 'Mastered',
    rule: `Practised, and recall shown: a problem solved, or half its cards recalled well (stable ${GOOD_RECALL_STABILITY_DAYS}+ days).`,
  },
};

export function masteryLevel(e: Evidence): MasteryLevel {
  const solved = e.problems.solved > 0;
  const recall = e.cards.goodRecall > 0 && e.cards.goodRecall * 2 >= e.cards.total;
  if (e.pageWork && (solved || recall)) return 'mastered';
  const active = e.miniLab === true || (e.check?.right ?? 0) > 0 || e.cards.reviewed > 0 || solved;
  if ((e.pageWork && active) || solved) return 'practised';
  const any = e.read || e.miniLab === true || e.checkAnswered || e.cards.reviewed > 0 || e.problems.attempted > 0;
  return any ? 'started' : 'none';
}

// ---------------------------------------------------------------------------------------------------------------
// Pathway steps

/** The part of a pathway step the rule needs (curriculum.ts's PathwayStep satisfies it). */
export interface StepLike {
  concept: string;
  also?: string[];
}

export interface ConceptWork {
  concept: string;
  read: boolean;
  /** null: the page has no mini-lab. */
  miniLab: boolean | null;
  /** null: the page has no check questions. */
  check: { right: number; total: number } | null;
  done: boolean;
}

export interface StepCheck {
  /** Marked done: the step record says manual, or its concept was marked done. */
  manual: boolean;
  /** The page work of every concept of the step. */
  concepts: ConceptWork[];
  /** Every concept's page work is done. */
  auto: boolean;
  complete: boolean;
}

/** How far a step is: what is done and what is missing, per concept. */
export function stepCheck(
  progress: ProgressData,
  pathwayId: string,
  index: number,
  step: StepLike,
  content: ContentIndex,
  evidence: EvidenceOf = collectEvidence(progress, content),
): StepCheck {
  const record: StepRecord | undefined = progress.pathways[pathwayId]?.completed[index];
  const manual = record?.how === 'manual' || Boolean(progress.concepts[step.concept]?.doneAt);
  const ids = [step.concept, ...(step.also ?? [])].filter((id, i, all) => all.indexOf(id) === i);
  const concepts = ids.map((concept): ConceptWork => {
    const e = evidence(concept);
    return { concept, read: e.read, miniLab: e.miniLab, check: e.check, done: e.pageWork };
  });
  const auto = concepts.every((c) => c.done);
  return { manual, concepts, auto, complete: manual || auto };
}

export function isStepComplete(
  progress: ProgressData,
  pathwayId: string,
  index: number,
  step: StepLike,
  content: ContentIndex,
): boolean {
  return stepCheck(progress, pathwayId, index, step, content).complete;
}

/** "read ✓ · mini-lab ✗ · check ✗" for one concept (parts the page lacks are left out). */
export function workSummary(w: ConceptWork): string {
  const mark = (ok: boolean) => (ok ? '✓' : '✗');
  const parts = [`read ${mark(w.read)}`];
  if (w.miniLab !== null) parts.push(`mini-lab ${mark(w.miniLab)}`);
  if (w.check)
    parts.push(
      `check ${w.check.total > 1 ? `${w.check.right}/${w.check.total} ` : ''}${mark(w.check.right === w.check.total)}`,
    );
  return parts.join(' · ');
}

export interface PathwayStanding {
  completed: boolean[];
  done: number;
  total: number;
  /** The step to continue with: the recorded current step unless complete, then the next incomplete one. */
  resume: number;
  started: boolean;
  finished: boolean;
}

export function pathwayStanding(
  progress: ProgressData,
  pathwayId: string,
  steps: StepLike[],
  content: ContentIndex,
): PathwayStanding {
  const evidence = collectEvidence(progress, content);
  const completed = steps.map((s, i) => stepCheck(progress, pathwayId, i, s, content, evidence).complete);
  const done = completed.filter(Boolean).length;
  const record = progress.pathways[pathwayId];
  const current = Math.min(record?.currentStep ?? 0, Math.max(0, steps.length - 1));
  let resume = current;
  if (completed[resume]) {
    const after = completed.findIndex((c, i) => !c && i > current);
    const any = completed.indexOf(false);
    resume = after >= 0 ? after : any >= 0 ? any : current;
  }
  return {
    completed,
    done,
    total: steps.length,
    resume,
    started: Boolean(record) || done > 0,
    finished: steps.length > 0 && done === steps.length,
  };
}
