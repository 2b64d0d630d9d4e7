// Validation of parameter groups, update steps and evaluation entries (types.ts ParamGroupSpec, UpdateStepSpec,
// EvaluationSpec). Without `groups` the spec normalizes exactly as before (no groups/steps keys at all), so every
// existing spec keeps its meaning. Group optimizers and schedules reuse the top-level checks with their own paths.

import type { Checker, Obj } from './check';
import type { NormalizedGroup, NormalizedSpec, NormalizedStep } from './types';

/** The top-level field checks, handed in by validate.ts (which imports this module). */
export interface FieldChecks {
  loss(c: Checker, raw: unknown, at?: string): NormalizedSpec['loss'] | null;
  optimizer(c: Checker, raw: unknown, at?: string): NormalizedSpec['optimizer'] | null;
  schedule(c: Checker, raw: unknown, at?: string): NormalizedSpec['schedule'] | null;
}

const MAX_GROUPS = 16;

function checkName(c: Checker, path: string, v: unknown, seen: Set<string>): string | null {
  if (typeof v !== 'string' || !/^[A-Za-z_][A-Za-z0-9_-]{0,31}$/.test(v)) {
    c.fail(path, 'must be a name of letters, digits, _ or - (at most 32, starting with a letter or _)');
    return null;
  }
  if (seen.has(v)) c.fail(path, `repeats the name "${v}"`);
  seen.add(v);
  return v;
}

function checkSlice(c: Checker, path: string, o: Obj, n: number): { from: number; to: number } {
  const from = c.int(`${path}.from`, o.from, 0, n - 1, 0);
  const to = c.int(`${path}.to`, o.to, 1, n, n);
  if (to <= from) c.fail(`${path}.to`, `must be greater than from (${from})`);
  return { from, to };
}

/** Fills spec.groups / steps / evaluations when given; false if something failed. */
export function checkGroups(c: Checker, s: Obj, spec: NormalizedSpec, checks: FieldChecks): boolean {
  const before = c.errors.length;
  const n = spec.model.layers.length;
  if (s.groups === undefined) {
    if (s.steps !== undefined) c.fail('steps', 'need groups: each step updates one parameter group');
  } else {
    const raw = c.array('groups', s.groups, 1, MAX_GROUPS);
    if (raw === null) return false;
    const names = new Set<string>();
    const owner = new Map<number, string>();
    const groups: NormalizedGroup[] = [];
    raw.forEach((g, i) => {
      const path = `groups[${i}]`;
      const o = c.obj(path, g);
      if (o === null) return;
      c.known(path, o, ['name', 'layers', 'optimizer', 'schedule']);
      const name = checkName(c, `${path}.name`, o.name, names);
      const layersRaw = c.array(`${path}.layers`, o.layers, 1, n);
      const layers: number[] = [];
      layersRaw?.forEach((l, j) => {
        const li = c.int(`${path}.layers[${j}]`, l, 0, n - 1);
        const other = owner.get(li);
        if (other !== undefined) c.fail(`${path}.layers[${j}]`, `layer ${li} is already in group "${other}"`);
        owner.set(li, name ?? '?');
        layers.push(li);
      });
      const optimizer =
        o.optimizer === undefined ? spec.optimizer : checks.optimizer(c, o.optimizer, `${path}.optimizer`);
      const schedule = o.schedule === undefined ? spec.schedule : checks.schedule(c, o.schedule, `${path}.schedule`);
      if (schedule?.type === 'plateau')
        c.fail(`${path}.schedule`, 'plateau is not supported in a parameter group (it needs one validation metric)');
      if (name !== null && optimizer !== null && schedule !== null) groups.push({ name, layers, optimizer, schedule });
    });
    spec.groups = groups;
    spec.steps = checkSteps(c, s.steps, spec, names, checks);
  }
  if (s.evaluations !== undefined) {
    const raw = c.array('evaluations', s.evaluations, 1, MAX_GROUPS);
    const names = new Set<string>();
    const out: Required<NonNullable<NormalizedSpec['evaluations']>[number]>[] = [];
    raw?.forEach((e, i) => {
      const path = `evaluations[${i}]`;
      const o = c.obj(path, e);
      if (o === null) return;
      c.known(path, o, ['name', 'from', 'to']);
      const name = checkName(c, `${path}.name`, o.name, names);
      if (name !== null) out.push({ name, ...checkSlice(c, path, o, n) });
    });
    spec.evaluations = out;
  }
  return c.errors.length === before;
}

function checkSteps(
  c: Checker,
  raw: unknown,
  spec: NormalizedSpec,
  groups: Set<string>,
  checks: FieldChecks,
): NormalizedStep[] {
  const n = spec.model.layers.length;
  const batchSize = spec.training.batchSize;
  // Default: one whole-model step per group, in group order.
  if (raw === undefined)
    return (spec.groups ?? []).map((g) => ({
      name: g.name,
      group: g.name,
      from: 0,
      to: n,
      loss: spec.loss,
      batchSize,
    }));
  const list = c.array('steps', raw, 1, MAX_GROUPS);
  const names = new Set<string>();
  const steps: NormalizedStep[] = [];
  list?.forEach((st, i) => {
    const path = `steps[${i}]`;
    const o = c.obj(path, st);
    if (o === null) return;
    c.known(path, o, ['name', 'group', 'from', 'to', 'loss', 'batchSize']);
    const name = checkName(c, `${path}.name`, o.name, names);
    if (typeof o.group !== 'string' || !groups.has(o.group))
      c.fail(`${path}.group`, `must name one of the groups (${[...groups].join(', ')})`);
    const loss = o.loss === undefined ? spec.loss : checks.loss(c, o.loss, `${path}.loss`);
    const rows = c.int(`${path}.batchSize`, o.batchSize, 1, 65536, batchSize);
    const slice = checkSlice(c, path, o, n);
    // Every parameter the step updates must get this step's gradient (torch would leave a stale .grad otherwise).
    const g = spec.groups?.find((x) => x.name === o.group);
    const outside = g?.layers.filter((l) => l < slice.from || l >= slice.to) ?? [];
    if (outside.length > 0)
      c.fail(`${path}.group`, `group "${o.group}" has layers outside this step's slice: ${outside.join(', ')}`);
    // Label smoothing is one hot slot shared by every step's loss.
    const smoothing = (l: NormalizedSpec['loss'] | null) => (l?.type === 'cross_entropy' ? l.labelSmoothing : 0);
    if (loss?.type === 'cross_entropy' && smoothing(loss) !== smoothing(spec.loss))
      c.fail(`${path}.loss.labelSmoothing`, "must equal the spec's loss label smoothing (one shared hot value)");
    if (name !== null && loss !== null && typeof o.group === 'string')
      steps.push({ name, group: o.group, ...slice, loss, batchSize: rows });
  });
  return steps;
}
