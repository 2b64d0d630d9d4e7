// The CPU executor: the reference implementation of the Executor contract over Float32Arrays. Every op is prepared
// once into a closure; a step copies the batch rows in and runs the closures, allocating nothing. A program with
// several update steps (parameter groups) keeps one closure list, one set of training rows and one row order per
// step; each step record says which step runs.

import type { TensorId } from '../../graph/ops';
import type { Program } from '../../graph/program';
import { stepOps } from '../../graph/program';
import type { Executor, StepRecord, StepStats } from '../backend';
import { prepare } from './kernels/table';
import { CpuMemory, type Thunk } from './memory';
import type { SimdArena } from './simd/arena';
import type { CpuKernelVariant } from './simd/module';

/** One update step as the executor runs it: closures, batch views, rows and their order. */
interface StepRunner {
  thunks: Thunk[];
  batch: number;
  inX: Float32Array;
  inY: Float32Array;
  xRow: number;
  yRow: number;
  lossV: Float32Array;
  accV: Float32Array | null;
  trainX: Float32Array;
  trainY: Float32Array;
  order: Uint32Array;
}

/** An eval-mode forward: closures and its input/output views. */
interface EvalRunner {
  thunks: Thunk[];
  x: Float32Array;
  out: Float32Array;
}

const prod = (s: number[]): number => s.reduce((a, b) => a * b, 1);

export class CpuExecutor implements Executor {
  readonly backend = 'cpu' as const;
  readonly stepMomentum = true;
  private readonly mem: CpuMemory;
  private readonly runners: StepRunner[];
  private readonly evals: EvalRunner[];
  /** Which kernels run: the SIMD ones when the arenas live in wasm memory, else plain JS. */
  readonly kernels: CpuKernelVariant;

  constructor(
    readonly program: Program,
    simd: SimdArena | null = null,
  ) {
    const mem = new CpuMemory(program, 'f32', simd);
    this.kernels = simd === null ? 'js' : simd.variant;
    this.mem = mem;
    const view = (id: TensorId | null) => (id === null ? null : mem.view(id));
    this.runners = program.updateSteps.map((s, i) => ({
      thunks: stepOps(program, i).map((op) => prepare(op, mem)),
      batch: s.batchSize,
      inX: mem.view(s.io.input),
      inY: mem.view(s.io.target),
      xRow: prod(s.inputShape),
      yRow: prod(s.targetShape),
      lossV: mem.view(s.scalars.loss),
      accV: view(s.scalars.accuracy),
      trainX: new Float32Array(0),
      trainY: new Float32Array(0),
      order: new Uint32Array(0),
    }));
    const evalOf = (ops: Program['evalForward'], io: Program['evalIo']): EvalRunner => ({
      thunks: ops.map((op) => prepare(op, mem)),
      x: mem.view(io.input),
      out: mem.view(io.output),
    });
    this.evals = [evalOf(program.evalForward, program.evalIo), ...program.evaluations.map((e) => evalOf(e.ops, e.io))];
  }

  setTrainData(x: Float32Array, y: Float32Array, rows: number, update = 0): void {
    const r = this.runners[update];
    r.trainX = x;
    r.trainY = y;
    r.order = new Uint32Array(rows).map((_, i) => i);
  }

  setOrder(order: Uint32Array, update = 0): void {
    this.runners[update].order = order;
  }

  setHypers(words: Uint32Array): void {
    this.mem.words.set(words.subarray(0, this.mem.words.length));
  }

  /** Synchronous core, also used by benchmarks that want no promise per call. */
  trainSync(steps: readonly StepRecord[], loss: Float32Array, acc: Float32Array | null): void {
    const mem = this.mem;
    for (let s = 0; s < steps.length; s++) {
      const rec = steps[s];
      const { batch, xRow, yRow, inX, inY, order, trainX, trainY, thunks, lossV, accV } = this.runners[rec.update ?? 0];
      // Gather the batch rows (plain loops: subarray() would allocate a view per row).
      for (let r = 0; r < batch; r++) {
        const row = order[rec.rowStart + r];
        const xs = row * xRow;
        const xd = r * xRow;
        for (let j = 0; j < xRow; j++) inX[xd + j] = trainX[xs + j];
        const ys = row * yRow;
        const yd = r * yRow;
        for (let j = 0; j < yRow; j++) inY[yd + j] = trainY[ys + j];
      }
      mem.step = rec.step;
      mem.lr = rec.lr;
      mem.momentum = rec.momentum ?? Number.NaN;
      for (let i = 0; i < thunks.length; i++) thunks[i]();
      loss[s] = lossV[0];
      if (acc !== null && accV !== null) acc[s] = accV[0];
    }
  }

  async train(steps: readonly StepRecord[]): Promise<StepStats> {
    const loss = new Float32Array(steps.length);
    const hasAcc = this.runners[steps[0]?.update ?? 0].accV !== null;
    const accuracy = hasAcc ? new Float32Array(steps.length) : null;
    this.trainSync(steps, loss, accuracy);
    return { loss, accuracy };
  }

  async predict(x: Float32Array, entry?: number): Promise<Float32Array> {
    const e = this.evals[entry === undefined ? 0 : entry + 1];
    e.x.set(x.subarray(0, e.x.length));
    for (const t of e.thunks) t();
    return e.out.slice();
  }

  async readState(): Promise<Float32Array> {
    return this.mem.state.slice();
  }

  writeState(state: Float32Array): void {
    this.mem.state.set(state.subarray(0, this.mem.state.length));
  }

  dispose(): void {
    this.mem.simd?.team?.release();
  }
}
