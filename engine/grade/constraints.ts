// Which frozen sections of a practice problem's experiment the learner changed. Both specs are compared in normalized
// form (every default filled), so writing a default out (`momentum: 0`) is not a change. Pure; no engine state.

import type { NormalizedSpec } from '../spec/types';
import type { Constraints, SpecSection } from './types';

const SECTION_NAMES: Record<SpecSection, string> = {
  data: 'data',
  model: 'model',
  loss: 'loss',
  optimizer: 'optimizer',
  schedule: 'schedule',
  regularization: 'regularization',
  training: 'training',
};

/** Leaf paths where a and b differ ('' for the value itself), in a stable order. Arrays compare by index; a length
 * change is reported once at the array's path. */
export function differences(a: unknown, b: unknown, path = ''): string[] {
  if (Object.is(a, b)) return [];
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return [path];
    return a.flatMap((x, i) => differences(x, b[i], `${path}[${i}]`));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => differences(a[k], b[k], path ? `${path}.${k}` : k));
  }
  return [path];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function show(v: unknown): string {
  if (v === undefined) return 'absent';
  const s = JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

function valueAt(root: unknown, path: string): unknown {
  let v: unknown = root;
  for (const part of path.match(/[^.[\]]+/g) ?? []) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** "lr was 5, now 0.1" for the first change or two of a section; the layer list as "the layers" when it grew. */
function describe(section: string, a: unknown, b: unknown, paths: string[]): string {
  const parts = paths.slice(0, 2).map((p) => {
    const where = p === '' ? section : p === 'layers' ? 'the number of layers' : p;
    if (p === 'layers') {
      const n = (x: unknown) => (Array.isArray(x) ? x.length : 0);
      return `${where} was ${n(valueAt(a, p))}, now ${n(valueAt(b, p))}`;
    }
    return `${where} was ${show(valueAt(a, p))}, now ${show(valueAt(b, p))}`;
  });
  const more = paths.length > 2 ? ` (and ${paths.length - 2} more change${paths.length === 3 ? '' : 's'})` : '';
  return `${parts.join('; ')}${more}`;
}

/** One sentence per violated rule: each fixed section that differs, and the training seed whenever it changed. */
export function constraintViolations(start: NormalizedSpec, learner: NormalizedSpec, c: Constraints): string[] {
  const out: string[] = [];
  const fixed = new Set(c.fixed);
  for (const section of Object.keys(SECTION_NAMES) as SpecSection[]) {
    if (!fixed.has(section)) continue;
    let a: unknown = start[section];
    let b: unknown = learner[section];
    // training.steps is how long the Lab runs by default; grading always trains goal.steps, so it is free.
    if (section === 'training') {
      a = { ...start.training, steps: undefined };
      b = { ...learner.training, steps: undefined };
    }
    const paths = differences(a, b);
    if (paths.length > 0)
      out.push(`The ${SECTION_NAMES[section]} section must stay as it was: ${describe(section, a, b, paths)}.`);
  }
  if (!fixed.has('training') && start.training.seed !== learner.training.seed)
    out.push(
      `The training seed must stay ${start.training.seed} (it is now ${learner.training.seed}): every attempt is graded with the same seed.`,
    );
  return out;
}
