// Evaluating the loss at many points of a plane in weight space, as batched eval-mode forward passes. The evaluation
// runs on a Program compiled at a wide batch (up to every row of the split in one forward: `wideProgram`), so each
// grid point is one or a few forward passes at full kernel width, never one small dispatch per row. A PlaneEvaluator
// holds that program's executor with the center's state (running statistics included) and the two directions; each
// call evaluates a chunk of points and returns their mean losses, computed on the host in double precision over the
// outputs exactly as Runtime.evaluate does. The WebGPU evaluator (webgpuPlane.ts) runs a whole chunk in one submit;
// this file holds the generic one over any Executor (the CPU's), the wide program and the state transfer.

import type { BackendName, Executor } from '../backends/backend';
import { compile } from '../graph/compile';
import { type LossArgs, lossValue } from '../graph/losses';
import type { Program } from '../graph/program';
import { opFlops } from '../live/autoBackend';
import { combine } from './directions';

/** The data, loss and plane one evaluator works on. */
export interface PlaneSetup {
  /** The wide program (from wideProgram) and a full state arena of it holding the center and its buffers. */
  program: Program;
  state: Float32Array;
  /** Parameter-region vectors. d2 may be null (a line). */
  center: Float32Array;
  d1: Float32Array;
  d2: Float32Array | null;
  /** Rows of the split: x is [rows, ...inputShape], y as the dataset stores targets. */
  x: Float32Array;
  y: Float32Array;
  rows: number;
  /** Label smoothing of the loss (the hot value). */
  smoothing: number;
}

export interface PlaneEvaluator {
  readonly backend: BackendName;
  /** Mean loss at center + a_k * d1 + b_k * d2 for each pair (a_k, b_k) of `coefs`. */
  losses(coefs: Float64Array): Promise<Float64Array>;
  dispose(): void;
}

/** Largest activation arena a wide program may plan (bytes): the eval batch grows up to this or the row count. */
const WIDE_ACTIVATION_BYTES = 96 * 2 ** 20;
const WIDE_MAX_ROWS = 2048;

/** The batch a wide program for `rows` rows uses: every row at once when the activations fit, else as many as fit
 * (at least the training batch). */
export function wideBatch(p: Program, rows: number): number {
  const perRow = (p.arenas.activations.size * 4) / p.batchSize;
  const fit = Math.floor(WIDE_ACTIVATION_BYTES / Math.max(perRow, 1));
  return Math.max(1, Math.min(rows, WIDE_MAX_ROWS, Math.max(fit, p.batchSize)));
}

/** The program recompiled at a wide batch (the same parameters and buffers; only per-row tensors grow), as an
 * evaluation-only view: the training step is dropped but for its loss op (which says how the loss is computed), so
 * an executor prepares the eval forward and next to nothing else (on WebGPU, the step's pipelines would cost more
 * to build than a small grid costs to evaluate). The memory plan is the full program's, untouched. */
export function wideProgram(p: Program, rows: number): Program {
  const batch = wideBatch(p, rows);
  const wide = batch === p.batchSize ? p : compile({ ...p.spec, training: { ...p.spec.training, batchSize: batch } });
  const loss = wide.forward[wide.forward.length - 1];
  if (loss.kind !== 'loss') throw new Error('program has no loss op');
  return { ...wide, forward: [loss], metrics: [], backward: [], clip: [], update: [] };
}

/** A state arena of `to` with every parameter and buffer of `from` copied by name (the arenas of two batch sizes
 * of one spec hold the same tensors, but nothing here relies on equal offsets). */
export function transferState(from: Program, fromState: Float32Array, to: Program): Float32Array {
  if (from === to) return fromState.slice();
  const out = new Float32Array(to.arenas.state.size);
  const byName = new Map(from.tensors.filter((t) => t.arena === 'state').map((t) => [t.name, t]));
  for (const t of to.tensors) {
    if (t.arena !== 'state' || (t.role !== 'param' && t.role !== 'buffer')) continue;
    const f = byName.get(t.name);
    if (f && f.size === t.size) out.set(fromState.subarray(f.offset, f.offset + f.size), t.offset);
  }
  return out;
}

export function lossArgsOf(p: Program, rows: number, smoothing: number): LossArgs {
  const op = p.forward[p.forward.length - 1];
  if (op.kind !== 'loss') throw new Error('program has no loss op');
  // Loss rows per example: T for cross_entropy on a [T, C] output (every token is a row), else 1.
  return { kind: op.loss, rows: rows * (op.rows / p.batchSize), cols: op.cols, delta: op.delta, smoothing };
}

/** Forward FLOPs of one eval pass over `rows` rows (the wide program's eval forward, scaled per row). */
export function evalFlops(p: Program, rows: number): number {
  return (p.evalForward.reduce((s, op) => s + opFlops(p, op), 0) / p.batchSize) * rows;
}

/** The split's rows padded to whole wide batches: [batches * batch, ...inputShape]. */
export function paddedInput(p: Program, x: Float32Array, rows: number): { x: Float32Array; batches: number } {
  const xRow = p.inputShape.reduce((a, b) => a * b, 1);
  const batches = Math.ceil(rows / p.batchSize);
  const out = new Float32Array(batches * p.batchSize * xRow);
  out.set(x.subarray(0, rows * xRow));
  return { x: out, batches };
}

/** The generic evaluator: per point, the parameters are combined on the host, written into the executor's state,
 * and the eval forward runs over the split in wide batches. */
export function executorPlane(exec: Executor, setup: PlaneSetup): PlaneEvaluator {
  const p = exec.program;
  const state = setup.state.slice();
  const region = p.regions.params;
  const params = state.subarray(region.offset, region.offset + region.size);
  const xRow = p.inputShape.reduce((a, b) => a * b, 1);
  const yRow = p.outputShape.reduce((a, b) => a * b, 1);
  const { x, batches } = paddedInput(p, setup.x, setup.rows);
  const out = new Float32Array(batches * p.batchSize * yRow);
  const args = lossArgsOf(p, setup.rows, setup.smoothing);
  const n = p.batchSize;
  return {
    backend: exec.backend,
    async losses(coefs) {
      const res = new Float64Array(coefs.length / 2);
      for (let k = 0; k < res.length; k++) {
        combine(setup.center, setup.d1, setup.d2, coefs[2 * k], coefs[2 * k + 1], params);
        await exec.writeState(state);
        for (let b = 0; b < batches; b++) {
          const y = await exec.predict(x.subarray(b * n * xRow, (b + 1) * n * xRow));
          out.set(y.subarray(0, n * yRow), b * n * yRow);
        }
        res[k] = lossValue(args, out, setup.y);
      }
      return res;
    },
    dispose: () => exec.dispose(),
  };
}
