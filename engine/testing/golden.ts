// Golden fixtures from PyTorch (scripts/golden/make_fixtures.py): loading, running on any backend, and comparing.
// One loop serves every backend: pass a BackendFactory (cpu now, webgpu by Builder B).
//
// Error measure: for losses |a-b| / |b|; for weights and eval outputs |a-b| / max(|b|, rms(b's tensor)), i.e.
// relative, with each tensor's RMS as the floor so elements that happen to be near zero (a weight crossing 0) are
// judged at the tensor's own scale instead of blowing up a pure relative error.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BackendFactory } from '../backends/backend';
import { createRuntime } from '../backends/runtime';
import { compile, compilePart } from '../graph/compile';
import { initialState } from '../graph/init';
import { datasetFromBatches } from '../job/runJob';
import { validateJob } from '../job/validateJob';
import type { ExperimentSpec, StateDict, TensorJson } from '../spec/types';

export interface GoldenFixture {
  name: string;
  spec: ExperimentSpec;
  initialWeights: StateDict;
  batches: { x: TensorJson; y: TensorJson }[];
  steps: number;
  losses: number[];
  lrs: number[];
  finalWeights: StateDict;
  eval: { x: TensorJson; out: TensorJson };
  /** Eval-mode outputs of the model's tail from layer `from` alone (e.g. a VAE's decoder), on the final weights. */
  evalParts?: { from: number; x: TensorJson; out: TensorJson }[];
}

export const GOLDEN_DIR = join(import.meta.dirname, '..', 'fixtures', 'golden');

export function loadGoldenFixtures(dir = GOLDEN_DIR): GoldenFixture[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as GoldenFixture);
}

export interface GoldenReport {
  name: string;
  lossErr: number;
  /** Worst weight error and where. */
  weightErr: number;
  weightAt: string;
  evalErr: number;
  lrErr: number;
  /** Losses as the backend computed them (for debugging a failure). */
  losses: number[];
}

function rms(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s / Math.max(a.length, 1));
}

/** Worst scaled relative error of `got` against `want` (see the file head). */
export function tensorErr(got: ArrayLike<number>, want: ArrayLike<number>): number {
  if (got.length !== want.length) return Number.POSITIVE_INFINITY;
  const floor = Math.max(rms(want), 1e-12);
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const e = Math.abs(got[i] - want[i]) / Math.max(Math.abs(want[i]), floor);
    if (!(e <= worst)) worst = Number.isNaN(e) ? Number.POSITIVE_INFINITY : e;
  }
  return worst;
}

export async function runGolden(fx: GoldenFixture, factory: BackendFactory): Promise<GoldenReport> {
  const checked = validateJob({
    spec: fx.spec,
    initialWeights: fx.initialWeights,
    batches: fx.batches,
    steps: fx.steps,
  });
  if (!checked.ok) throw new Error(`${fx.name}: ${checked.errors.map((e) => e.message).join('; ')}`);
  const job = checked.value;
  const program = compile(job.spec);
  const data = datasetFromBatches(job.batches ?? [], program.inputShape, program.targetShape, program.classes);
  const exec = await factory.createExecutor(program);
  const rt = await createRuntime(exec, data, { shuffle: false, initialState: initialState(program) });
  try {
    const problems = await rt.setWeights(fx.initialWeights);
    if (problems.length > 0) throw new Error(`${fx.name}: ${problems.join('; ')}`);
    const r = await rt.trainSteps(fx.steps);
    // A run that returns fewer (or more) values than the fixture must fail, never compare only a prefix.
    if (r.losses.length !== fx.losses.length || r.lrs.length !== fx.lrs.length)
      throw new Error(
        `${fx.name}: the engine returned ${r.losses.length} losses and ${r.lrs.length} lrs; the fixture has ${fx.losses.length} and ${fx.lrs.length}`,
      );
    const lossErr = Math.max(...r.losses.map((l, i) => Math.abs(l - fx.losses[i]) / Math.abs(fx.losses[i])));
    const lrErr = Math.max(...r.lrs.map((l, i) => Math.abs(l - fx.lrs[i]) / Math.max(Math.abs(fx.lrs[i]), 1e-12)));
    const weights = await rt.getWeights();
    let weightErr = 0;
    let weightAt = '';
    for (const [key, want] of Object.entries(fx.finalWeights)) {
      const got = weights[key];
      const e = got === undefined ? Number.POSITIVE_INFINITY : tensorErr(got.data, want.data);
      if (!(e <= weightErr)) {
        weightErr = e;
        weightAt = key;
      }
    }
    const ex = Float32Array.from(fx.eval.x.data);
    const out = await rt.predict(ex, fx.eval.x.shape[0]);
    let evalErr = tensorErr(out, fx.eval.out.data);
    for (const part of fx.evalParts ?? [])
      evalErr = Math.max(evalErr, await evalPart(job.spec, part, weights, factory));
    return { name: fx.name, lossErr, weightErr, weightAt, evalErr, lrErr, losses: r.losses };
  } finally {
    rt.dispose();
  }
}

/** Runs the tail of the model from layer `part.from` alone (compilePart) on the given weights. */
async function evalPart(
  spec: Parameters<typeof compilePart>[0],
  part: NonNullable<GoldenFixture['evalParts']>[number],
  weights: StateDict,
  factory: BackendFactory,
): Promise<number> {
  const program = compilePart(spec, part.from);
  // A runtime needs one batch of training data; the part is only evaluated, so its own inputs serve.
  const x = Float32Array.from(part.x.data);
  const y = new Float32Array(program.batchSize * program.targetShape.reduce((a, b) => a * b, 1));
  const data = datasetFromBatches([{ x, y }], program.inputShape, program.targetShape, program.classes);
  const exec = await factory.createExecutor(program);
  const rt = await createRuntime(exec, data, { shuffle: false, initialState: initialState(program) });
  try {
    const own = Object.fromEntries(Object.entries(weights).filter(([k]) => program.params.some((p) => p.key === k)));
    if (Object.keys(own).length !== program.params.length) return Number.POSITIVE_INFINITY;
    const problems = await rt.setWeights(own);
    if (problems.length > 0) throw new Error(problems.join('; '));
    const out = await rt.predict(Float32Array.from(part.x.data), part.x.shape[0]);
    return tensorErr(out, part.out.data);
  } finally {
    rt.dispose();
  }
}
