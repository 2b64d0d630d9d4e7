import { describe, expect, it } from 'vitest';
import {
  type ContentIndex,
  collectEvidence,
  EMPTY_CONTENT,
  GOOD_RECALL_STABILITY_DAYS,
  isStepComplete,
  masteryLevel,
  pathwayStanding,
  stepCheck,
  workSummary,
} from './progressRules';
import { EMPTY_PROGRESS, type ProgressData } from './progressSchema';
import type { CardRecord } from './reviewsSchema';

const steps = [{ concept: 'adam' }, { concept: 'learning-rate' }, { concept: 'batch-normalization' }];
const at = '2026-01-01T00:00:00.000Z';

/** adam: a mini-lab, two check questions, two cards, one problem. dropout: nothing but its page. */
const content: ContentIndex = {
  hasMiniLab: (c) => c === 'adam',
  checkQuestions: (c) => (c === 'adam' ? ['adam-q1', 'adam-q2'] : []),
  cardsOf: (c) => (c === 'adam' ? ['adam-a', 'adam-b::c1'] : []),
  cardConcept: (id) => (id.startsWith('adam-') ? 'adam' : undefined),
  problemConcepts: (id) => (id === 'p-adam' ? ['adam'] : []),
};

const card = (state: CardRecord['state'], stability: number): CardRecord => ({
  due: at,
  stability,
  difficulty: 5,
  elapsed_days: 0,
  scheduled_days: 0,
  learning_steps: 0,
  reps: state === 0 ? 0 : 2,
  lapses: 0,
  state,
  last_review: at,
});
const answer = (questionId: string, correct: boolean, concept = 'adam') => ({
  id: `${questionId}:${correct}`,
  questionId,
  concept,
  correct,
  at,
});
const progress = (p: Partial<ProgressData>): ProgressData => ({ ...EMPTY_PROGRESS, ...p });
/** Adam's page work done: read, mini-lab run, both checks right (one after a wrong answer). */
const adamWork: Partial<ProgressData> = {
  concepts: { adam: { readAt: at, labRunAt: at } },
  quizAnswers: [answer('adam-q1', false), answer('adam-q1', true), answer('adam-q2', true)],
};

describe('step completion', () => {
  const only = (p: Partial<ProgressData>) => isStepComplete(progress(p), 'cp', 0, steps[0], content);

  it('needs read, mini-lab and every check right, in every combination', () => {
    const read = { adam: { readAt: at } };
    const ran = { adam: { labRunAt: at } };
    const both = { adam: { readAt: at, labRunAt: at } };
    const checks = [answer('adam-q1', true), answer('adam-q2', true)];
    expect(only({})).toBe(false);
    expect(only({ concepts: read })).toBe(false);
    expect(only({ concepts: ran })).toBe(false);
    expect(only({ quizAnswers: checks })).toBe(false);
    expect(only({ concepts: both })).toBe(false);
    expect(only({ concepts: read, quizAnswers: checks })).toBe(false);
    expect(only({ concepts: ran, quizAnswers: checks })).toBe(false);
    expect(only({ concepts: both, quizAnswers: [checks[0]] })).toBe(false); // one of two checks
    expect(only({ concepts: both, quizAnswers: [answer('adam-q1', false), answer('adam-q2', false)] })).toBe(false);
    expect(only({ concepts: both, quizAnswers: checks })).toBe(true);
    // An answer recorded for another concept's page does not count.
    expect(only({ concepts: both, quizAnswers: [checks[0], answer('adam-q2', true, 'sgd')] })).toBe(false);
  });

  it('a page without a mini-lab or checks needs only reading', () => {
    expect(
      isStepComplete(progress({ concepts: { dropout: { readAt: at } } }), 'cp', 0, { concept: 'dropout' }, content),
    ).toBe(true);
    expect(isStepComplete(progress({}), 'cp', 0, { concept: 'dropout' }, content)).toBe(false);
  });

  it('a manual mark completes it whatever is missing (on the step or the concept)', () => {
    expect(only({ pathways: { cp: { currentStep: 0, completed: { 0: { how: 'manual', at } } } } })).toBe(true);
    expect(only({ concepts: { adam: { doneAt: at } } })).toBe(true);
    // A recorded "read" completion alone no longer completes the step: the page work decides.
    expect(only({ pathways: { cp: { currentStep: 0, completed: { 0: { how: 'read', at } } } } })).toBe(false);
  });

  it('needs every concept of the step, its `also` concepts included', () => {
    const step = { concept: 'dropout', also: ['adam'] };
    const p = progress({ concepts: { dropout: { readAt: at } } });
    const check = stepCheck(p, 'cp', 0, step, content);
    expect(check).toMatchObject({ manual: false, auto: false, complete: false });
    expect(check.concepts.map(workSummary)).toEqual(['read ✓', 'read ✗ · mini-lab ✗ · check 0/2 ✗']);
    const done = progress({ ...adamWork, concepts: { ...adamWork.concepts, dropout: { readAt: at } } });
    expect(stepCheck(done, 'cp', 0, step, content)).toMatchObject({ auto: true, complete: true });
  });

  it('says what is missing', () => {
    const p = progress({ concepts: { adam: { readAt: at, labRunAt: at } }, quizAnswers: [answer('adam-q1', true)] });
    expect(workSummary(stepCheck(p, 'cp', 0, steps[0], content).concepts[0])).toBe('read ✓ · mini-lab ✓ · check 1/2 ✗');
    const one: ContentIndex = { ...content, checkQuestions: () => ['q'] };
    expect(workSummary(stepCheck(progress({}), 'cp', 0, steps[0], one).concepts[0])).toBe(
      'read ✗ · mini-lab ✗ · check ✗',
    );
  });

  it('resumes at the current step, or the next incomplete one once it is done', () => {
    const fresh = pathwayStanding(EMPTY_PROGRESS, 'cp', steps, EMPTY_CONTENT);
    expect(fresh).toMatchObject({ done: 0, total: 3, resume: 0, started: false, finished: false });
    const p = progress({
      concepts: { adam: { readAt: at } },
      pathways: { cp: { currentStep: 1, completed: { 1: { how: 'manual', at } } } },
    });
    expect(pathwayStanding(p, 'cp', steps, EMPTY_CONTENT)).toMatchObject({ done: 2, resume: 2, started: true });
    // With adam's mini-lab and checks, reading it is no longer enough.
    expect(pathwayStanding(p, 'cp', steps, content)).toMatchObject({
      done: 1,
      resume: 2,
      completed: [false, true, false],
    });
    const all = progress({
      concepts: { adam: { doneAt: at }, 'learning-rate': { readAt: at }, 'batch-normalization': { readAt: at } },
    });
    expect(pathwayStanding(all, 'cp', steps, content)).toMatchObject({ finished: true, resume: 0 });
  });
});

describe('mastery', () => {
  const level = (p: Partial<ProgressData>, concept = 'adam') =>
    masteryLevel(collectEvidence(progress(p), content)(concept));

  it('none without evidence', () => {
    expect(level({})).toBe('none');
    // Evidence on other concepts does not count.
    expect(level({ concepts: { sgd: { readAt: at } }, quizAnswers: [answer('sgd-q', true, 'sgd')] })).toBe('none');
  });

  it('started by any single piece of evidence', () => {
    expect(level({ concepts: { adam: { readAt: at } } })).toBe('started');
    expect(level({ concepts: { adam: { doneAt: at } } })).toBe('started');
    expect(level({ concepts: { adam: { labRunAt: at } } })).toBe('started');
    expect(level({ quizAnswers: [answer('adam-q1', false)] })).toBe('started');
    expect(level({ quizAnswers: [answer('adam-q1', true), answer('adam-q2', true)] })).toBe('started'); // not read
    expect(level({ cards: { 'adam-a': card(1, 0.5) } })).toBe('started');
    expect(level({ cards: { 'adam-a': card(2, 30), 'adam-b::c1': card(2, 30) } })).toBe('started'); // not read
    expect(level({ problemResults: [{ id: 'r', problemId: 'p-adam', passed: false, at }] })).toBe('started');
    // A card never rated (state New) is no evidence.
    expect(level({ cards: { 'adam-a': card(0, 0) } })).toBe('none');
  });

  it('practised once the page work is done, or a problem on it is solved', () => {
    expect(level(adamWork)).toBe('practised');
    expect(level({ problemResults: [{ id: 'r', problemId: 'p-adam', passed: true, at }] })).toBe('practised');
    // A page with nothing to run or answer: reading plus a card reviewed.
    const dropout: ContentIndex = { ...content, cardConcept: (id) => (id === 'd1' ? 'dropout' : undefined) };
    const read = { concepts: { dropout: { readAt: at } } };
    expect(masteryLevel(collectEvidence(progress(read), dropout)('dropout'))).toBe('started');
    const reviewed = progress({ ...read, cards: { d1: card(1, 1) } });
    expect(masteryLevel(collectEvidence(reviewed, dropout)('dropout'))).toBe('practised');
  });

  it('mastered: page work and recall shown (a problem solved, or half its cards in good recall)', () => {
    const solved = [{ id: 'r', problemId: 'p-adam', passed: true, at }];
    expect(level({ ...adamWork, problemResults: solved })).toBe('mastered');
    const good = card(2, GOOD_RECALL_STABILITY_DAYS);
    expect(level({ ...adamWork, cards: { 'adam-a': good } })).toBe('mastered'); // 1 of 2 = half
    expect(level({ ...adamWork, cards: { 'adam-a': card(2, GOOD_RECALL_STABILITY_DAYS - 0.1) } })).toBe('practised');
    expect(level({ ...adamWork, cards: { 'adam-a': card(3, 30) } })).toBe('practised'); // relearning: a lapse
    expect(level({ ...adamWork, cards: { 'adam-a': card(1, 30) } })).toBe('practised'); // still learning
  });
});
