// Validation of a job: the spec (with the same validator as everywhere, paths prefixed `spec.`), the step count,
// and every given batch (shapes against the model, finite numbers, valid class indices). Never throws.

import { compile } from '../graph/compile';
import { Checker, isObj } from '../spec/check';
import type { Checked, NormalizedSpec, SpecError, StateDict } from '../spec/types';
import { validateSpec } from '../spec/validate';
import type { CheckedJob } from './types';

const MAX_STEPS = 1_000_000;
const MAX_BATCHES = 100_000;

function prefixed(errors: SpecError[]): SpecError[] {
  return errors.map((e) => ({
    path: `spec.${e.path}`,
    message: e.message.startsWith(e.path) ? `spec.${e.message}` : `spec: ${e.message}`,
  }));
}

export function validateJob(raw: unknown): Checked<CheckedJob> {
  try {
    return check(raw);
  } catch (e) {
    return { ok: false, errors: [{ path: 'job', message: `job could not be checked: ${String(e)}` }] };
  }
}

function check(raw: unknown): Checked<CheckedJob> {
  const c = new Checker();
  const j = c.obj('job', raw);
  if (j === null) return { ok: false, errors: c.errors };
  c.known('job', j, ['spec', 'initialWeights', 'batches', 'steps']);
  const steps = c.int('steps', j.steps, 1, MAX_STEPS);
  const sv = validateSpec(j.spec);
  if (!sv.ok) c.errors.push(...prefixed(sv.errors));
  let initialWeights = null;
  if (j.initialWeights !== undefined) {
    const w = c.obj('initialWeights', j.initialWeights);
    if (w !== null) {
      for (const [k, t] of Object.entries(w)) checkTensor(c, `initialWeights.${k}`, t, null);
      initialWeights = w as CheckedJob['initialWeights'];
    }
  }
  let batches: CheckedJob['batches'] = null;
  if (j.batches !== undefined) {
    const arr = c.array('batches', j.batches, 1, MAX_BATCHES);
    if (arr !== null && sv.ok) {
      const spec = sv.value;
      const n = spec.training.batchSize;
      const ce = spec.loss.type === 'cross_entropy';
      // Targets as the compiled program reads them: class indices per row of the last dim for cross_entropy
      // ([B] for a [C] output, [B, T] for a [T, C] one), else the output's shape.
      const { outputShape, targetShape } = compile(spec);
      const units = outputShape[outputShape.length - 1];
      const first = spec.model.layers[0];
      const vocab = first?.type === 'embedding' ? first.vocab : null;
      batches = [];
      arr.forEach((b, i) => {
        const p = `batches[${i}]`;
        const o = c.obj(p, b);
        if (o === null) return;
        c.known(p, o, ['x', 'y']);
        const x = checkTensor(c, `${p}.x`, o.x, [n, ...spec.model.input]);
        const y = checkTensor(c, `${p}.y`, o.y, [n, ...targetShape]);
        if (x !== null && vocab !== null) {
          const bad = x.findIndex((v) => !Number.isInteger(v) || v < 0 || v >= vocab);
          if (bad >= 0) c.fail(`${p}.x.data[${bad}]`, `must be a token id from 0 to ${vocab - 1}`);
        }
        if (y !== null && ce) {
          const bad = y.findIndex((v) => !Number.isInteger(v) || v < 0 || v >= units);
          if (bad >= 0) c.fail(`${p}.y.data[${bad}]`, `must be a class index from 0 to ${units - 1}`);
        }
        if (x !== null && y !== null) batches?.push({ x, y });
      });
    }
  } else if (sv.ok && sv.value.data === null) {
    c.fail('spec.data', 'is required when the job gives no batches');
  }
  if (sv.ok && initialWeights !== null) checkWeights(c, sv.value, initialWeights);
  if (c.errors.length > 0 || !sv.ok) return { ok: false, errors: c.errors };
  return { ok: true, value: { spec: sv.value, initialWeights, batches, steps } };
}

/** initialWeights must name parameters of the model with their exact shapes (the compiled state-dict layout). */
function checkWeights(c: Checker, spec: NormalizedSpec, weights: StateDict): void {
  const program = compile(spec);
  for (const [key, t] of Object.entries(weights)) {
    const p = program.params.find((q) => q.key === key);
    if (p === undefined) {
      const keys = program.params.map((q) => q.key).join(', ');
      c.fail(`initialWeights.${key}`, `is not a parameter of the model (it has: ${keys})`);
      continue;
    }
    const want = program.tensors[p.tensor].shape;
    if (isObj(t) && Array.isArray(t.shape) && t.shape.join(',') !== want.join(','))
      c.fail(`initialWeights.${key}.shape`, `must be [${want.join(', ')}] (got [${t.shape.join(', ')}])`);
  }
}

/** Checks {shape, data}; `expect` (if given) is the required shape. Returns the data as float32. */
function checkTensor(c: Checker, path: string, raw: unknown, expect: number[] | null): Float32Array | null {
  if (!isObj(raw)) {
    c.fail(path, 'must be a tensor {"shape": [...], "data": [...]}');
    return null;
  }
  const shape = c.array(`${path}.shape`, raw.shape, 0, 8);
  if (shape === null) return null;
  const dims = shape.map((d, i) => c.int(`${path}.shape[${i}]`, d, 1, 1 << 24));
  if (expect !== null && dims.join(',') !== expect.join(',')) {
    c.fail(`${path}.shape`, `must be [${expect.join(', ')}] (got [${dims.join(', ')}])`);
    return null;
  }
  const size = dims.reduce((a, b) => a * b, 1);
  if (!Array.isArray(raw.data) || raw.data.length !== size) {
    c.fail(`${path}.data`, `must be an array of ${size} numbers (the product of the shape)`);
    return null;
  }
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const v = raw.data[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      c.fail(`${path}.data[${i}]`, `must be a finite number (got ${JSON.stringify(v) ?? String(v)})`);
      return null;
    }
    out[i] = v;
  }
  return out;
}
