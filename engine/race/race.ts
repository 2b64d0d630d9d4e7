// Runs the optimizer race with the engine's own update code: each contestant's OptimizerSpec goes through
// validateSpec and compile() as the smallest real model (one Linear(1, 1): weight = x, bias = y), and the race
// drives that Program's update op through the CPU backend's kernel table on a CpuMemory holding the two
// coordinates, their gradient and the optimizer state, with the hyper slots packed by graph/hypers.ts. Only the
// forward and backward passes are replaced: the gradient written into the grads region is the surface's analytic
// one. So the paths are exactly what the engine's optimizers (and torch.optim, which they follow) would do.

import { prepare } from '../backends/cpu/kernels/table';
import { CpuMemory } from '../backends/cpu/memory';
import { compile } from '../graph/compile';
import { hotFromSpec, packHypers } from '../graph/hypers';
import { initialState } from '../graph/init';
import type { OptimizerSpec, SpecError } from '../spec/types';
import { validateSpec } from '../spec/validate';
import type { RacerId } from './racers';
import { distanceToNearest, observedGradient, type Surface } from './surfaces';

export const RACE_LIMITS = { steps: 5000, racers: 16 };

export interface RaceEntry {
  id: RacerId | string;
  optimizer: OptimizerSpec;
}

export interface RaceRequest {
  surface: Surface;
  start: [number, number];
  steps: number;
  /** Seed of the noisy surface's gradient noise. */
  seed?: number;
  entries: RaceEntry[];
}

/** One contestant's run. Arrays hold the start point (index 0) and the point after each completed step. */
export interface RaceTrace {
  id: string;
  x: Float64Array;
  y: Float64Array;
  loss: Float64Array;
  distance: Float64Array;
  /** Steps completed (arrays have steps + 1 entries). */
  steps: number;
  /** The first step whose result was not finite; the arrays stop before it. */
  diverged: { step: number; reason: string } | null;
  /** The first step after which the point is within `within` of an optimum, or null. */
  stepsToWithin: number | null;
}

export interface RaceResult {
  traces: RaceTrace[];
  within: number;
}

export type RaceOutcome = { ok: true; value: RaceResult } | { ok: false; errors: SpecError[] };

/** One optimizer over two coordinates, running the compiled update op of the engine. */
export class RaceOptimizer {
  private readonly mem: CpuMemory;
  private readonly px: Float32Array;
  private readonly py: Float32Array;
  private readonly gx: Float32Array;
  private readonly gy: Float32Array;
  private readonly update: (() => void)[];
  private readonly lr: number;
  private t = 0;

  private constructor(mem: CpuMemory, ids: { x: number; y: number; gx: number; gy: number }, lr: number) {
    this.mem = mem;
    this.px = mem.view(ids.x);
    this.py = mem.view(ids.y);
    this.gx = mem.view(ids.gx);
    this.gy = mem.view(ids.gy);
    this.update = mem.program.update.map((op) => prepare(op, mem));
    this.lr = lr;
  }

  /** Validates the optimizer as part of a spec; errors name the optimizer's fields. */
  static create(optimizer: OptimizerSpec, start: [number, number]): RaceOptimizer | SpecError[] {
    const checked = validateSpec({
      model: { input: [1], layers: [{ type: 'dense', units: 1 }] },
      loss: { type: 'mse' },
      optimizer,
      training: { batchSize: 1 },
    });
    if (!checked.ok) return checked.errors.filter((e) => e.path.startsWith('optimizer'));
    const program = compile(checked.value);
    const mem = new CpuMemory(program);
    mem.state.set(initialState(program));
    mem.words.set(packHypers(program, hotFromSpec(checked.value)).subarray(0, mem.words.length));
    const weight = program.params.find((p) => p.key === '0.weight');
    const bias = program.params.find((p) => p.key === '0.bias');
    if (!weight?.grad || !bias?.grad) throw new Error('race: the 1-1 Linear has no weight or bias');
    const o = new RaceOptimizer(
      mem,
      { x: weight.tensor, y: bias.tensor, gx: weight.grad, gy: bias.grad },
      checked.value.optimizer.lr,
    );
    o.px[0] = start[0];
    o.py[0] = start[1];
    return o;
  }

  get x(): number {
    return this.px[0];
  }

  get y(): number {
    return this.py[0];
  }

  /** One optimizer step with the given gradient (stored in float32, as a torch .grad would be). */
  step(gx: number, gy: number): void {
    this.gx[0] = gx;
    this.gy[0] = gy;
    this.mem.step = this.t;
    this.mem.lr = this.lr;
    this.mem.momentum = Number.NaN;
    for (const u of this.update) u();
    this.t++;
  }
}

export function runRace(req: RaceRequest, within = 1e-3): RaceOutcome {
  const errors: SpecError[] = [];
  const { surface, start, steps } = req;
  if (!Number.isInteger(steps) || steps < 1 || steps > RACE_LIMITS.steps)
    errors.push({ path: 'steps', message: `steps must be a whole number from 1 to ${RACE_LIMITS.steps}` });
  if (!start.every(Number.isFinite)) errors.push({ path: 'start', message: 'start must be two finite numbers' });
  if (req.entries.length > RACE_LIMITS.racers)
    errors.push({ path: 'entries', message: `at most ${RACE_LIMITS.racers} optimizers race at once` });
  const optimizers = req.entries.map((e) => {
    const o = RaceOptimizer.create(e.optimizer, start);
    if (Array.isArray(o)) {
      for (const err of o) errors.push({ path: `${e.id}.${err.path}`, message: `${e.id}: ${err.message}` });
      return null;
    }
    return o;
  });
  if (errors.length > 0) return { ok: false, errors };
  const seed = req.seed ?? 0;
  const traces = req.entries.map((e, i) =>
    trace(String(e.id), optimizers[i] as RaceOptimizer, surface, steps, seed, within),
  );
  return { ok: true, value: { traces, within } };
}

function trace(id: string, o: RaceOptimizer, s: Surface, steps: number, seed: number, within: number): RaceTrace {
  const x = new Float64Array(steps + 1);
  const y = new Float64Array(steps + 1);
  const loss = new Float64Array(steps + 1);
  const distance = new Float64Array(steps + 1);
  const record = (i: number) => {
    x[i] = o.x;
    y[i] = o.y;
    loss[i] = s.f(o.x, o.y);
    distance[i] = distanceToNearest(s, o.x, o.y);
  };
  record(0);
  let stepsToWithin: number | null = distance[0] < within ? 0 : null;
  for (let t = 0; t < steps; t++) {
    const [gx, gy] = observedGradient(s, o.x, o.y, t, seed);
    o.step(gx, gy);
    const f = s.f(o.x, o.y);
    if (!Number.isFinite(o.x) || !Number.isFinite(o.y) || !Number.isFinite(f)) {
      const reason = Number.isFinite(gx) && Number.isFinite(gy) ? 'the step overflowed' : 'the gradient overflowed';
      const n = t + 1;
      return {
        id,
        x: x.slice(0, n),
        y: y.slice(0, n),
        loss: loss.slice(0, n),
        distance: distance.slice(0, n),
        steps: t,
        diverged: { step: t + 1, reason },
        stepsToWithin,
      };
    }
    record(t + 1);
    if (stepsToWithin === null && distance[t + 1] < within) stepsToWithin = t + 1;
  }
  return { id, x, y, loss, distance, steps, diverged: null, stepsToWithin };
}
