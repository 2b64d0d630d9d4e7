// Rules for content/problems/<id>.md (the format of content/README.md, "Practice content"): front matter fields,
// concept and preset references, the start experiment, the goal, the constraints, and the reference solution, which
// must validate and keep the constraints against the start (whether it reaches the goal is scripts/problems.test.ts's
// job: that needs training). Challenge problems have a rubric and neither goal nor solution. Math in the body must
// render with KaTeX. Pure: texts in, messages out.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { constraintViolations } from '../../engine/grade/constraints';
import { GOAL_METRICS, SPEC_SECTIONS } from '../../engine/grade/types';
import type { ExperimentSpec, NormalizedSpec } from '../../engine/spec/types';
import { validateSpec } from '../../engine/spec/validate';
import { splitFrontMatter } from '../../src/state/curriculumParse';
import { bodyMath, katexError } from '../validate-content';

export const PROBLEM_TYPES = ['warmup', 'skill', 'challenge', 'debug'] as const;
export const MAX_GOAL_STEPS = 5000;
const FIELDS = [
  'id',
  'title',
  'type',
  'concepts',
  'summary',
  'start',
  'startSpec',
  'goal',
  'constraints',
  'hints',
  'solution',
  'rubric',
];

export interface ProblemFileInput {
  file: string;
  source: string;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStrings = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((s) => typeof s === 'string' && s.trim() !== '');
const specErrors = (spec: unknown): { spec?: NormalizedSpec; errors: string[] } => {
  const c = validateSpec(spec);
  return c.ok ? { spec: c.value, errors: [] } : { errors: c.errors.map((e) => e.message) };
};

/** Checks one problem file; `presets` maps preset ids to their run-A spec, `concepts` is the set of concept ids. */
export function checkProblem(
  { file, source }: ProblemFileInput,
  concepts: Set<string>,
  presets: Map<string, ExperimentSpec>,
  report: (m: string) => void,
): void {
  let data: Record<string, unknown>;
  let body: string;
  try {
    ({ data, body } = splitFrontMatter(source));
  } catch (e) {
    report((e as Error).message);
    return;
  }
  const fileId = file.replace(/\.md$/, '');
  if (data.id !== fileId) report(`id "${String(data.id)}" differs from the file name "${fileId}"`);
  for (const k of Object.keys(data)) if (!FIELDS.includes(k)) report(`unknown field "${k}"`);
  for (const k of ['title', 'summary'])
    if (typeof data[k] !== 'string' || (data[k] as string).trim() === '') report(`${k} must be a non-empty string`);
  const type = data.type as string;
  if (!(PROBLEM_TYPES as readonly string[]).includes(type))
    report(`type must be one of ${PROBLEM_TYPES.join(', ')} (got ${JSON.stringify(data.type)})`);
  if (!isStrings(data.concepts) || data.concepts.length === 0)
    report('concepts must be a non-empty list of concept ids');
  else for (const c of data.concepts) if (!concepts.has(c)) report(`concept "${c}" has no content/concepts/${c}.md`);
  if (!isStrings(data.hints) || data.hints.length < 1)
    report('hints must be a list of at least one hint (2-3 is usual)');

  // --- the start experiment
  let start: NormalizedSpec | undefined;
  if (data.start !== undefined && data.startSpec !== undefined) report('give start or startSpec, not both');
  if (data.start !== undefined) {
    const p = typeof data.start === 'string' ? presets.get(data.start) : undefined;
    if (!p) report(`start "${String(data.start)}" has no content/presets/${String(data.start)}.json`);
    else {
      const r = specErrors(p);
      start = r.spec;
      for (const m of r.errors) report(`start preset's spec: ${m}`);
    }
  } else if (data.startSpec !== undefined) {
    const r = specErrors(data.startSpec);
    start = r.spec;
    for (const m of r.errors) report(`startSpec: ${m}`);
  } else if (type !== 'challenge') report('needs start (a preset id) or startSpec (an ExperimentSpec)');

  if (start && start.data?.kind === 'mnist') report('practice problems use the 2-D datasets (grading runs on the CPU)');

  // --- challenge: a rubric, no goal or solution
  if (type === 'challenge') {
    if (!isStrings(data.rubric) || data.rubric.length < 2) report('a challenge needs a rubric of at least 2 points');
    for (const k of ['goal', 'solution', 'constraints'])
      if (data[k] !== undefined) report(`a challenge has no ${k} (it is judged by its rubric)`);
  } else {
    if (data.rubric !== undefined) report('only challenge problems have a rubric');
    checkGoal(data.goal, report);
    const fixed = checkConstraints(data.constraints, report);
    if (data.solution === undefined) report('needs a reference solution (an ExperimentSpec that reaches the goal)');
    else {
      const r = specErrors(data.solution);
      for (const m of r.errors) report(`solution: ${m}`);
      if (r.spec && start && fixed)
        for (const v of constraintViolations(start, r.spec, { fixed })) report(`solution breaks a constraint: ${v}`);
      if (r.spec && start && JSON.stringify(r.spec) === JSON.stringify(start))
        report('the solution is the unchanged start experiment');
    }
  }

  // --- body
  const at = body.search(/^## Solution\s*$/m);
  if (at < 0) report('the body needs a "## Solution" section (the explanation shown after an attempt)');
  else if (body.slice(0, at).trim() === '') report('the statement before "## Solution" is empty');
  for (const { tex, display } of bodyMath(body)) {
    const err = katexError(tex, display);
    if (err) report(`math "${tex.length > 40 ? `${tex.slice(0, 37)}...` : tex}" does not render: ${err}`);
  }
}

function checkGoal(goal: unknown, report: (m: string) => void): void {
  if (!isObj(goal)) {
    report('needs a goal { metric, op, value, steps }');
    return;
  }
  for (const k of Object.keys(goal))
    if (!['metric', 'op', 'value', 'steps'].includes(k)) report(`goal has an unknown field "${k}"`);
  if (!(GOAL_METRICS as readonly unknown[]).includes(goal.metric))
    report(`goal.metric must be one of ${GOAL_METRICS.join(', ')}`);
  if (goal.op !== '>=' && goal.op !== '<=') report("goal.op must be '>=' or '<='");
  if (typeof goal.value !== 'number' || !Number.isFinite(goal.value)) report('goal.value must be a number');
  else if (goal.metric === 'val_accuracy' && (goal.value <= 0 || goal.value > 1))
    report('goal.value for val_accuracy must be in (0, 1]');
  else if (goal.metric !== 'val_accuracy' && goal.value <= 0) report('goal.value for a loss must be positive');
  if (goal.metric === 'val_accuracy' && goal.op === '<=') report("a val_accuracy goal uses op '>='");
  if (typeof goal.steps !== 'number' || !Number.isInteger(goal.steps) || goal.steps < 1 || goal.steps > MAX_GOAL_STEPS)
    report(`goal.steps must be a whole number from 1 to ${MAX_GOAL_STEPS}`);
}

function checkConstraints(c: unknown, report: (m: string) => void): (typeof SPEC_SECTIONS)[number][] | undefined {
  if (!isObj(c) || !Array.isArray(c.fixed)) {
    report('needs constraints { fixed: [sections] } (fixed may be empty)');
    return undefined;
  }
  const bad = c.fixed.filter((s) => !(SPEC_SECTIONS as readonly unknown[]).includes(s));
  for (const s of bad)
    report(`constraints.fixed names "${String(s)}", not a spec section (${SPEC_SECTIONS.join(', ')})`);
  return bad.length ? undefined : (c.fixed as (typeof SPEC_SECTIONS)[number][]);
}

/** Every problem file; reports through `report(file, message)`. Ids are file names, so they are unique. */
export function validateProblems(
  files: ProblemFileInput[],
  concepts: Set<string>,
  presets: Map<string, ExperimentSpec>,
  report: (file: string, message: string) => void,
): void {
  for (const f of files) checkProblem(f, concepts, presets, (m) => report(`content/problems/${f.file}`, m));
}

/** The validator's entry (scripts/validate-content.ts): reads content/problems/*.md under root and checks them
 * against the concept pages and preset files the content validator already read. */
export function problemDirProblems(
  root: string,
  input: { concepts: { file: string }[]; presetFiles?: { file: string; source: string }[] },
): { file: string; message: string }[] {
  const out: { file: string; message: string }[] = [];
  const dir = join(root, 'content/problems');
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.md'))
        .sort()
        .map((file) => ({ file, source: readFileSync(join(dir, file), 'utf8') }))
    : [];
  const concepts = new Set(input.concepts.map((c) => c.file.replace(/\.md$/, '')));
  const presets = new Map<string, ExperimentSpec>();
  for (const p of input.presetFiles ?? []) {
    try {
      presets.set(p.file.replace(/\.json$/, ''), (JSON.parse(p.source) as { spec: ExperimentSpec }).spec);
    } catch {
      // a broken preset is reported by the preset checks
    }
  }
  validateProblems(files, concepts, presets, (file, message) => out.push({ file, message }));
  return out;
}
