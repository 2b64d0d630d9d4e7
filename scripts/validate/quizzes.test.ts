import { describe, expect, it } from 'vitest';
import { mathIn, validateQuizzes } from './quizzes';

const concepts = new Set(['adam', 'sgd']);
const mc = (over = '') => `
  - id: q-mc
    concept: adam
    type: mc
    prompt: Which is right, $\\beta_1$?
    options:
      - { text: A, correct: true, explanation: Because. }
      - { text: B, correct: false, explanation: Not B. }
      - { text: C, correct: false, explanation: Not C. }
${over}`;
const quiz = (questions: string, id = 'adam-quiz') =>
  `quiz: ${id}\ntitle: Adam\nconcepts: [adam]\nquestions:${questions}`;
const run = (source: string, file = 'adam-quiz.yaml', more: { file: string; source: string }[] = []) =>
  validateQuizzes([{ file, source }, ...more], concepts, { minMc: 1 }).map((p) => p.message);

describe('validateQuizzes', () => {
  it('passes a well-formed quiz', () => {
    expect(run(quiz(mc()))).toEqual([]);
  });

  it('wants the quiz id to be the file name', () => {
    expect(run(quiz(mc()), 'other.yaml')).toContainEqual(expect.stringMatching(/differs from the file name "other"/));
  });

  it('reports YAML that does not parse', () => {
    expect(run('quiz: [oops')).toContainEqual(expect.stringMatching(/not valid YAML/));
  });

  it('rejects question ids used twice across quizzes', () => {
    const out = run(quiz(mc()), 'adam-quiz.yaml', [{ file: 'b.yaml', source: quiz(mc(), 'b') }]);
    expect(out).toContainEqual(expect.stringMatching(/q-mc: id also used in content\/quizzes\/adam-quiz.yaml/));
  });

  it('checks concept ids of the quiz and of each question', () => {
    const src = quiz(mc()).replace('concepts: [adam]', 'concepts: [nope]').replace('concept: adam', 'concept: ghost');
    const out = run(src);
    expect(out).toContainEqual('concept "nope" has no concept page');
    expect(out).toContainEqual(expect.stringMatching(/concept "ghost" has no concept page/));
  });

  it('wants at least 3 options, exactly one correct and every option explained', () => {
    const two = quiz(mc()).replace(/\n {6}- \{ text: C.*\}/, '');
    expect(run(two)).toContainEqual(expect.stringMatching(/has 2 options \(at least 3\)/));
    const none = quiz(mc()).replace('correct: true', 'correct: false');
    expect(run(none)).toContainEqual(expect.stringMatching(/has 0 correct options/));
    const both = quiz(mc()).replace('text: B, correct: false', 'text: B, correct: true');
    expect(run(both)).toContainEqual(expect.stringMatching(/has 2 correct options/));
    const bare = quiz(mc()).replace(', explanation: Not C.', '');
    expect(run(bare)).toContainEqual(expect.stringMatching(/option 3 has no explanation/));
  });

  it('wants an mc question to name its concept', () => {
    expect(run(quiz(mc()).replace('    concept: adam\n', ''))).toContainEqual(expect.stringMatching(/needs a concept/));
  });

  it('wants an answer and a rubric on short questions, an outline and a rubric on essays', () => {
    const short = quiz(`${mc()}\n  - { id: s1, type: short, prompt: Why? }`);
    const out = run(short);
    expect(out).toContainEqual('question s1: a short question needs an answer');
    expect(out).toContainEqual('question s1: a short question needs a rubric');
    const essay = quiz(`${mc()}\n  - { id: e1, type: essay, prompt: Design., rubric: [x] }`);
    expect(run(essay)).toEqual(['question e1: an essay question needs an outline']);
  });

  it('rejects unknown question types', () => {
    expect(run(quiz(`${mc()}\n  - { id: t1, type: truefalse, prompt: Yes? }`))).toContainEqual(
      'question t1: type "truefalse" is not one of mc, short, essay',
    );
  });

  it('parses the math of every text with KaTeX', () => {
    const src = quiz(mc()).replace('explanation: Not B.', "explanation: 'Not $\\frac{1}{$.'");
    expect(run(src)).toContainEqual(expect.stringMatching(/option 2 explanation: math .* does not render/));
  });

  it('counts the mc questions against the minimum', () => {
    const out = validateQuizzes([{ file: 'adam-quiz.yaml', source: quiz(mc()) }], concepts, { minMc: 40 });
    expect(out).toEqual([{ file: 'content/quizzes', message: '1 mc questions in all (at least 40)' }]);
  });
});

describe('mathIn', () => {
  it('finds inline and display math, skipping code and escaped dollars', () => {
    expect(mathIn('a $x^2$ and $$\\sum_i i$$ but `$y$` and \\$5')).toEqual([
      { tex: '\\sum_i i', display: true },
      { tex: 'x^2', display: false },
    ]);
  });
});
