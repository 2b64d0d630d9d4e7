// The quizzes (content/quizzes/<id>.yaml): loaded eagerly, since they are small text and the concept pages and the
// Practice page need them synchronously. Only modules that import this one pull the quiz text into their chunk. The
// content validator has already checked every file (ids, options, explanations, math), so this module only parses
// and indexes them; the types and the parsing live in quizParse.ts, shared with the validator.
import { type McQuestion, parseQuiz, type Quiz, type QuizQuestion } from './quizParse';

export type { EssayQuestion, McOption, McQuestion, QuestionType, Quiz, QuizQuestion, ShortQuestion } from './quizParse';

const files = import.meta.glob('/content/quizzes/*.yaml', { eager: true, query: '?raw', import: 'default' }) as Record<
  string,
  string
>;

/** Every quiz, sorted by id. */
export const QUIZZES: readonly Quiz[] = Object.values(files)
  .map((source) => parseQuiz(source))
  .sort((a, b) => a.quiz.localeCompare(b.quiz));

const quizzes = new Map(QUIZZES.map((q) => [q.quiz, q]));
const questions = new Map<string, { question: QuizQuestion; quiz: Quiz }>();
for (const quiz of QUIZZES) for (const question of quiz.questions) questions.set(question.id, { question, quiz });

/** The quiz with this id, or undefined. */
export function quizById(id: string): Quiz | undefined {
  return quizzes.get(id);
}

/** A question by its id (unique across every quiz), with the quiz it belongs to. */
export function questionById(id: string): { question: QuizQuestion; quiz: Quiz } | undefined {
  return questions.get(id);
}

/** A concept page's check questions: the mc questions whose concept is that page, in quiz order. */
export function checkQuestions(conceptId: string): McQuestion[] {
  const out: McQuestion[] = [];
  for (const quiz of QUIZZES) {
    for (const q of quiz.questions) if (q.type === 'mc' && q.concept === conceptId) out.push(q);
  }
  return out;
}

/** Every question of one type across all quizzes. */
export function questionsOfType<T extends QuizQuestion['type']>(type: T): Extract<QuizQuestion, { type: T }>[] {
  return QUIZZES.flatMap((q) => q.questions).filter((q): q is Extract<QuizQuestion, { type: T }> => q.type === type);
}
