// The practice problems (content/problems/<id>.md): front matter as the content README fixes it, the statement, and
// the solution text shown after an attempt. Loaded eagerly (small files) and only by the Lab and the Practice page.
// The content validator has checked every file, so this module only types, splits and indexes them.
import type { ExperimentSpec } from '../../engine/index';
import { splitFrontMatter } from './curriculumParse';

export type ProblemType = 'warmup' | 'skill' | 'challenge' | 'debug';

export interface ProblemGoal {
  metric: 'val_accuracy' | 'val_loss' | 'train_loss';
  op: '>=' | '<=';
  value: number;
  steps: number;
}

export interface Problem {
  id: string;
  title: string;
  type: ProblemType;
  concepts: string[];
  summary: string;
  /** The experiment it opens in the Lab: a preset id, or an inline spec. */
  start: string | null;
  startSpec: ExperimentSpec | null;
  goal: ProblemGoal | null;
  fixed: string[];
  hints: string[];
  solution: ExperimentSpec | null;
  rubric: string[];
  /** The statement (Markdown) and the explanation after `## Solution`. */
  statement: string;
  solutionText: string;
}

export const PROBLEM_TYPES: { id: ProblemType; label: string }[] = [
  { id: 'warmup', label: 'Warm-up' },
  { id: 'skill', label: 'Skill-builder' },
  { id: 'debug', label: 'Debug / fix' },
  { id: 'challenge', label: 'Challenge' },
];

const files = import.meta.glob('/content/problems/*.md', { query: '?raw', import: 'default', eager: true }) as Record<
  string,
  string
>;

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

export function parseProblem(source: string): Problem {
  const { data, body } = splitFrontMatter(source);
  const at = body.search(/^## Solution\s*$/m);
  const constraints = (data.constraints ?? {}) as { fixed?: unknown };
  return {
    id: String(data.id),
    title: String(data.title ?? data.id),
    type: (data.type as ProblemType) ?? 'warmup',
    concepts: strings(data.concepts),
    summary: String(data.summary ?? ''),
    start: typeof data.start === 'string' ? data.start : null,
    startSpec: (data.startSpec as ExperimentSpec | undefined) ?? null,
    goal: (data.goal as ProblemGoal | undefined) ?? null,
    fixed: strings(constraints.fixed),
    hints: strings(data.hints),
    solution: (data.solution as ExperimentSpec | undefined) ?? null,
    rubric: strings(data.rubric),
    statement: (at < 0 ? body : body.slice(0, at)).trim(),
    solutionText:
      at < 0
        ? ''
        : body
            .slice(at)
            .replace(/^## Solution\s*/, '')
            .trim(),
  };
}

export const PROBLEMS: readonly Problem[] = Object.values(files)
  .map(parseProblem)
  .sort(
    (a, b) =>
      PROBLEM_TYPES.findIndex((t) => t.id === a.type) - PROBLEM_TYPES.findIndex((t) => t.id === b.type) ||
      a.title.localeCompare(b.title),
  );

const byId = new Map(PROBLEMS.map((p) => [p.id, p]));

export function problemById(id: string): Problem | undefined {
  return byId.get(id);
}

const METRIC_WORDS: Record<ProblemGoal['metric'], string> = {
  val_accuracy: 'validation accuracy',
  val_loss: 'validation loss',
  train_loss: 'training loss',
};

/** "validation accuracy ≥ 90% within 2,000 steps" */
export function goalText(g: ProblemGoal): string {
  const v = g.metric === 'val_accuracy' ? `${Math.round(g.value * 1000) / 10}%` : String(g.value);
  return `${METRIC_WORDS[g.metric]} ${g.op === '>=' ? '≥' : '≤'} ${v} within ${g.steps.toLocaleString('en-US')} steps`;
}
