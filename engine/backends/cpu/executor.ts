// The CPU executor: the reference implementation of the Executor contract over Float32Arrays. Every op is prepared
// once into a closure; a step copies the batch rows in and runs the closures, allocating nothing.

import type { Program } from '../../graph/program';
import { stepOps } from '../../graph/program';
import type { Executor, StepRecord, StepStats } from '../backend';
import { prepare } from './kernels/table';
import { CpuMemory, type Thunk } from './memory';
import type { SimdArena } from './simd/arena';
import type { CpuKernelVariant } from './simd/module';

export class CpuExecutor implements Executor {
  readonly backend = 'cpu' as const;
  readonly stepMomentum = true;
  private readonly mem: CpuMemory;
  private readonly step: Thunk[];
  private readonly evalStep: Thunk[];
  private trainX: Float32Array = new Float32Array(0);
  private trainY: Float32Array = new Float32Array(0);
  private order: Uint32Array = new Uint32Array(0);
  private readonly inX: Float32Array;
  private readonly inY: Float32Array;
  private readonly evalX: Float32Array;
  private readonly evalOut: Float32Array;
  private readonly lossV: Float32Array;
  private readonly accV: Float32Array | null;
  private readonly xRow: number;
  private readonly yRow: number;
  /** Which kernels run: the SIMD ones when the arenas live in wasm memory, else plain JS. */
  readonly kernels: CpuKernelVariant;

  constructor(
    readonly program: Program,
    simd: SimdArena | null = null,
  ) {
    const mem = new CpuMemory(program, 'f32', simd);
    this.kernels = simd === null ? 'js' : simd.variant;
    this.mem = mem;
    this.step = stepOps(program).map((op) => prepare(op, mem));
    this.evalStep = program.evalForward.map((op) => prepare(op, mem));
    this.inX = mem.view(program.io.input);
    this.inY = mem.view(program.io.target);
    this.evalX = mem.view(program.evalIo.input);
    this.evalOut = mem.view(program.evalIo.output);
    this.lossV = mem.view(program.scalars.loss);
    this.accV = program.scalars.accuracy === null ? null : mem.view(program.scalars.accuracy);
    this.xRow = program.inputShape.reduce((a, b) => a * b, 1);
    this.yRow = program.targetShape.reduce((a, b) => a * b, 1);
  }

  setTrainData(x: Float32Array, y: Float32Array): void {
    this.trainX = x;
    this.trainY = y;
  }

  setOrder(order: Uint32Array): void {
    this.order = order;
  }

  setHypers(words: Uint32Array): void {
    this.mem.words.set(words.subarray(0, this.mem.words.length));
  }

  /** Synchronous core, also used by benchmarks that want no promise per call. */
  trainSync(steps: readonly StepRecord[], loss: Float32Array, acc: Float32Array | null): void {
    const { mem, xRow, yRow, inX, inY, order, trainX, trainY } = this;
    const n = this.program.batchSize;
    const thunks = this.step;
    for (let s = 0; s < steps.length; s++) {
      const rec = steps[s];
      // Gather the batch rows (plain loops: subarray() would allocate a view per row).
      for (let r = 0; r < n; r++) {
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
      loss[s] = this.lossV[0];
      if (acc !== null && this.accV !== null) acc[s] = this.accV[0];
    }
  }

  async train(steps: readonly StepRecord[]): Promise<StepStats> {
    const loss = new Float32Array(steps.length);
    const accuracy = this.accV === null ? null : new Float32Array(steps.length);
    this.trainSync(steps, loss, accuracy);
    return { loss, accuracy };
  }

  async predict(x: Float32Array): Promise<Float32Array> {
    this.evalX.set(x.subarray(0, this.evalX.length));
    for (const t of this.evalStep) t();
    return this.evalOut.slice();
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
