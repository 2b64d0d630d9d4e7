// The quiz types and the pure reading of content/quizzes/<id>.yaml (the format of content/README.md, "Practice
// content"). No Vite-isms and no DOM, so the browser loader (quizzes.ts) and the Node validator
// (scripts/validate/quizzes.ts) share one reading. Lenient about shape: it coerces what it can and leaves the judging
// to the validator, which has already passed every file the browser sees.
import { parse as parseYaml } from 'yaml';

export const QUESTION_TYPES = ['mc', 'short', 'essay'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

export interface McOption {
  /** Markdown + inline KaTeX. */
  text: string;
  correct: boolean;
  /** Why this option is right, or why it is wrong. */
  explanation: string;
}

interface QuestionBase {
  /** Unique across every quiz. */
  id: string;
  /** The concept the question checks; mc questions always have one (it puts them on that concept's page). */
  concept?: string;
  prompt: string;
}

export interface McQuestion extends QuestionBase {
  type: 'mc';
  concept: string;
  options: McOption[];
}

export interface ShortQuestion extends QuestionBase {
  type: 'short';
  /** The model answer. */
  answer: string;
  /** Points a good answer makes. */
  rubric: string[];
}

export interface EssayQuestion extends QuestionBase {
  type: 'essay';
  /** The model outline. */
  outline: string[];
  rubric: string[];
}

export type QuizQuestion = McQuestion | ShortQuestion | EssayQuestion;

export interface Quiz {
  /** = the file name without .yaml. */
  quiz: string;
  title: string;
  concepts: string[];
  questions: QuizQuestion[];
}

export class QuizError extends Error {}

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : v == null ? '' : String(v));
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.map(str) : []);

/** One quiz file's text as a Quiz; throws QuizError when it is not YAML or not a mapping. */
export function parseQuiz(source: string): Quiz {
  let raw: unknown;
  try {
    raw = parseYaml(source);
  } catch (e) {
    throw new QuizError(`is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new QuizError('is not a YAML mapping');
  const q = raw as Record<string, unknown>;
  return {
    quiz: str(q.quiz),
    title: str(q.title),
    concepts: strs(q.concepts),
    questions: (Array.isArray(q.questions) ? q.questions : []).map(parseQuestion),
  };
}

function parseQuestion(raw: unknown): QuizQuestion {
  const q = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const base = { id: str(q.id), prompt: str(q.prompt), ...(q.concept != null ? { concept: str(q.concept) } : {}) };
  const type = str(q.type) as QuestionType;
  if (type === 'short') return { ...base, type, answer: str(q.answer), rubric: strs(q.rubric) };
  if (type === 'essay') return { ...base, type, outline: strs(q.outline), rubric: strs(q.rubric) };
  const options = (Array.isArray(q.options) ? q.options : []).map((o) => {
    const r = (typeof o === 'object' && o !== null ? o : {}) as Record<string, unknown>;
    return { text: str(r.text), correct: r.correct === true, explanation: str(r.explanation) };
  });
  // An unknown type is kept as written so the validator can name it.
  return { ...base, type: type as 'mc', concept: base.concept ?? '', options };
}
