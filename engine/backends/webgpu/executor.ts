// The WebGPU Executor (engine/backends/backend.ts) of one compiled Program: two arena buffers (state, activations),
// the training data uploaded once, every kernel prepared once (pipelines cached by WGSL, bind groups built once),
// and train(steps) encoding all steps into ONE submit: per-step scalars come from 256-byte step records bound with
// dynamic offsets, batches are gathered on the device through the epoch order buffer, and losses land in a device
// ring read back asynchronously. After warm-up a train() call creates no buffers and no bind groups.

import type { Op, TensorId } from '../../graph/ops';
import { evalShapes, type Program, stepOps } from '../../graph/program';
import type { Executor, StepRecord, StepStats } from '../backend';
import { gatherBatchLaunch, recordLossLaunch } from './kernels/batch';
import { type KernelContext, STEP_FIELD } from './kernels/context';
import { planLaunches } from './kernels/fuse';
import type { KernelSelection } from './kernels/select';
import { opLaunches } from './kernels/table';
import { encodeLaunches, type PreparedLaunch, prepareLaunches } from './launcher';
import { PipelineCache } from './pipelineCache';
import { readBufferOnce, StagingRing } from './readback';
import type { Binding, BufferView, KernelLaunch } from './shader';
import { StepEncoder } from './stepEncoder';

export interface ExecutorOptions {
  /** The adapter is a software rasteriser (kernels pick CPU-friendly variants); the factory sets it. */
  software?: boolean;
  /** Steps per submit; longer train() calls are split into several submits (default 256). */
  maxStepsPerSubmit?: number;
  /** Matmul and convolution kernels (kernels/select.ts; the factory picks them for the adapter, tests force them).
   * Absent: the register-blocked kernels. */
  kernels?: KernelSelection;
}

const LOSS_FLOATS = 2; // loss, accuracy

function prod(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export class WebGpuExecutor implements Executor {
  readonly backend = 'webgpu' as const;
  /** train() honours StepRecord.momentum (momentum-cycling schedules run k steps per submit). */
  readonly stepMomentum = true;
  private readonly stateBuf: GPUBuffer;
  private readonly actBuf: GPUBuffer;
  private readonly hypBuf: GPUBuffer;
  private readonly steps: StepEncoder;
  private readonly cache: PipelineCache;
  private hyperWords: Uint32Array;
  /** One per update step (Program.updateSteps): its kernels, training rows and row order. */
  private runners: StepRunner[] = [];
  /** The eval pass, then each evaluation entry. */
  private evals: PreparedLaunch[][] = [];
  private outStaging: StagingRing | undefined;
  private disposed = false;
  /** Set when the device is lost: every later call rejects with it (Engine II recreates the device). */
  lostReason: string | undefined;

  private constructor(
    readonly device: GPUDevice,
    readonly program: Program,
    opts: ExecutorOptions,
  ) {
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    this.stateBuf = device.createBuffer({ label: 'state-arena', size: arenaBytes(program.arenas.state.size), usage });
    this.actBuf = device.createBuffer({
      label: 'activation-arena',
      size: arenaBytes(program.arenas.activations.size),
      usage,
    });
    const hypWords = Math.max(4, Math.ceil(program.hypers.length / 4) * 4);
    this.hypBuf = device.createBuffer({
      label: 'hypers',
      size: hypWords * 4,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
    this.hyperWords = new Uint32Array(hypWords);
    // Step records are selected by dynamic offsets from a table of 4096 (launcher.ts).
    (this.ctx as { software: boolean }).software = !!opts.software;
    (this.ctx as { kernels?: KernelSelection }).kernels = opts.kernels;
    const maxSteps = Math.max(1, Math.min(4096, Math.floor(opts.maxStepsPerSubmit ?? 256)));
    this.steps = new StepEncoder(device, maxSteps, LOSS_FLOATS);
    this.cache = new PipelineCache(device);
    device.lost.then((info) => {
      this.lostReason = `the WebGPU device was lost (${info.reason}): ${info.message}`;
    });
  }

  private checkUsable(): void {
    if (this.disposed) throw new Error('the WebGPU executor was disposed');
    if (this.lostReason) throw new Error(this.lostReason);
  }

  /** Compile every kernel of the program (validated; rejects naming the failing kernel). */
  static async create(device: GPUDevice, program: Program, opts: ExecutorOptions = {}): Promise<WebGpuExecutor> {
    const ex = new WebGpuExecutor(device, program, opts);
    await ex.compile();
    return ex;
  }

  /** The kernel context: tensor views and the hyper/step bindings. */
  readonly ctx: KernelContext = {
    program: undefined as unknown as Program,
    view: (id: TensorId) => this.view(id),
    hyperBindings: () => this.hyperBindings(),
    lossRing: () => ({ name: 'ring', access: 'read_write', type: 'array<f32>', view: this.steps.lossRingView }),
    software: false,
    scratch: (floats: number, label: string) => this.scratch(floats, label),
  };

  private readonly scratchBuffers: GPUBuffer[] = [];

  /** A private buffer for one kernel's intermediates, created at compile time (never in the step loop). */
  private scratch(floats: number, label: string): BufferView {
    const size = Math.max(16, Math.ceil((floats * 4) / 16) * 16);
    const buffer = this.device.createBuffer({ label, size, usage: GPUBufferUsage.STORAGE });
    this.scratchBuffers.push(buffer);
    return { buffer, offset: 0, size };
  }

  view(id: TensorId): BufferView {
    const t = this.program.tensors[id];
    if (!t) throw new Error(`program has no tensor ${id}`);
    const buffer = t.arena === 'state' ? this.stateBuf : this.actBuf;
    return { buffer, offset: t.offset * 4, size: Math.max(4, t.size * 4) };
  }

  hyperBindings(): Binding[] {
    const words = this.hyperWords.length;
    return [
      {
        name: 'hyp',
        access: 'uniform',
        type: `array<vec4<u32>, ${words / 4}>`,
        view: { buffer: this.hypBuf, offset: 0, size: words * 4 },
      },
      this.steps.recordBinding(),
    ];
  }

  /** Launches of an op list. */
  launchesOf(ops: readonly Op[]): KernelLaunch[] {
    return ops.flatMap((op) => opLaunches(op, this.ctx));
  }

  private async compile(): Promise<void> {
    (this.ctx as { program: Program }).program = this.program;
    const p = this.program;
    const cores = p.updateSteps.map((s, i) => {
      const ops = stepOps(p, i);
      const launches = planLaunches(ops, this.ctx);
      // The loss kernel writes the loss ring; a program whose loss is not a loss op gets an explicit copy.
      if (!ops.some((op) => op.kind === 'loss' && op.out === s.scalars.loss)) {
        const { loss, accuracy } = s.scalars;
        launches.push(
          recordLossLaunch({
            loss: this.view(loss),
            accuracy: accuracy === null ? null : this.view(accuracy),
            ring: this.steps.lossRingView,
            stepBindings: this.hyperBindings(),
          }),
        );
      }
      return prepareLaunches(this.device, this.cache, launches);
    });
    const evals = [p.evalForward, ...p.evaluations.map((e) => e.ops)].map((ops) =>
      prepareLaunches(this.device, this.cache, this.launchesOf(ops)),
    );
    const core = await Promise.all(cores);
    this.evals = await Promise.all(evals);
    this.runners = core.map((c) => ({ core: c, orderRows: 0 }));
  }

  async setTrainData(x: Float32Array, y: Float32Array, rows: number, update = 0): Promise<void> {
    const p = this.program.updateSteps[update];
    const r = this.runners[update];
    const fx = prod(p.inputShape);
    const fy = prod(p.targetShape);
    if (x.length !== rows * fx) throw new Error(`train x has ${x.length} values, expected ${rows} x ${fx}`);
    if (y.length !== rows * fy) throw new Error(`train y has ${y.length} values, expected ${rows} x ${fy}`);
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST;
    const mk = (label: string, bytes: number) =>
      this.device.createBuffer({ label, size: Math.max(16, Math.ceil(bytes / 16) * 16), usage });
    // Same row count as before: the buffers (and the gather kernel's bind group) are reused.
    if (r.dataX === undefined || r.dataY === undefined || r.order === undefined || r.orderRows !== rows) {
      for (const b of [r.dataX, r.dataY, r.order]) b?.destroy();
      r.dataX = mk('train-x', x.byteLength);
      r.dataY = mk('train-y', y.byteLength);
      r.order = mk('epoch-order', rows * 4);
      r.orderRows = rows;
      const gather = await prepareLaunches(this.device, this.cache, [
        gatherBatchLaunch({
          batch: p.batchSize,
          fx,
          fy,
          dataX: r.dataX,
          dataY: r.dataY,
          order: r.order,
          x: this.view(p.io.input),
          y: this.view(p.io.target),
          stepBindings: this.hyperBindings(),
        }),
      ]);
      r.launches = [...gather, ...r.core];
    }
    this.device.queue.writeBuffer(r.dataX, 0, x);
    this.device.queue.writeBuffer(r.dataY, 0, y);
    const identity = new Uint32Array(rows).map((_, i) => i);
    this.device.queue.writeBuffer(r.order, 0, identity);
  }

  setOrder(order: Uint32Array, update = 0): void {
    const r = this.runners[update];
    if (!r.order) throw new Error('setOrder before setTrainData');
    if (order.length > r.orderRows) throw new Error(`order of ${order.length} rows for ${r.orderRows} rows`);
    this.device.queue.writeBuffer(r.order, 0, order);
  }

  setHypers(words: Uint32Array): void {
    this.hyperWords.fill(0);
    this.hyperWords.set(words.subarray(0, Math.min(words.length, this.hyperWords.length)));
    this.device.queue.writeBuffer(this.hypBuf, 0, this.hyperWords);
  }

  private slotF32(slot: number | undefined, fallback: number): number {
    if (slot === undefined) return fallback;
    return new Float32Array(this.hyperWords.buffer, slot * 4, 1)[0];
  }

  /** Fill the host step records for steps[start .. start + k), whose optimizer factors come from the slots of the
   * update op in `ops` (each parameter group's update reads its own slots). */
  private fillTable(
    steps: readonly StepRecord[],
    start: number,
    k: number,
    ops: readonly Op[] = this.program.updateSteps[steps[start]?.update ?? 0]?.update ?? this.program.update,
  ): void {
    const u = ops.find((op) => op.kind.endsWith('_update'));
    const adamOp = u?.kind === 'adam_update' ? u : undefined;
    const beta1 = this.slotF32(adamOp?.beta1, 0.9);
    const b2 = this.slotF32(adamOp?.beta2, 0.999);
    const lrDecay = this.slotF32(u?.kind === 'adagrad_update' ? u.lrDecay : undefined, 0);
    const adam = adamOp !== undefined;
    const momentumSlot = u?.kind === 'sgd_update' || u?.kind === 'rmsprop_update' ? u.momentum : undefined;
    const slotMomentum = adam ? beta1 : this.slotF32(momentumSlot, 0);
    const w = this.steps.words;
    const f = this.steps.floats;
    for (let s = 0; s < k; s++) {
      const r = steps[start + s];
      const t = r.step + 1;
      const o = this.steps.wordIndex(s, 0);
      w[o + STEP_FIELD.step] = r.step;
      f[o + STEP_FIELD.lr] = r.lr;
      w[o + STEP_FIELD.rowStart] = r.rowStart;
      w[o + STEP_FIELD.slot] = s;
      const mom = r.momentum ?? slotMomentum;
      f[o + STEP_FIELD.momentum] = mom;
      f[o + STEP_FIELD.adamStepSize] = r.lr / (1 - (adam ? mom : beta1) ** t);
      f[o + STEP_FIELD.adamBc2Sqrt] = Math.sqrt(1 - b2 ** t);
      f[o + STEP_FIELD.adagradClr] = r.lr / (1 + (t - 1) * lrDecay);
    }
  }

  train(steps: readonly StepRecord[]): Promise<StepStats> {
    try {
      this.checkUsable();
    } catch (e) {
      return Promise.reject(e);
    }
    const max = this.steps.maxSteps;
    const parts: Promise<Float32Array>[] = [];
    // One submit per run of records of the same update step (each step has its own kernels), at most max long.
    for (let start = 0; start < steps.length; ) {
      const update = steps[start].update ?? 0;
      const launches = this.runners[update]?.launches;
      if (!launches) return Promise.reject(new Error(`train of update step ${update} before its setTrainData`));
      let k = 1;
      while (k < max && start + k < steps.length && (steps[start + k].update ?? 0) === update) k++;
      this.fillTable(steps, start, k);
      parts.push(this.steps.submit(k, launches));
      start += k;
    }
    const hasAcc = this.program.updateSteps[steps[0]?.update ?? 0].scalars.accuracy !== null;
    return Promise.all(parts).then((chunks) => {
      const n = steps.length;
      const loss = new Float32Array(n);
      const accuracy = hasAcc ? new Float32Array(n) : null;
      let i = 0;
      for (const c of chunks)
        for (let s = 0; s < c.length / LOSS_FLOATS; s++, i++) {
          loss[i] = c[s * LOSS_FLOATS];
          if (accuracy) accuracy[i] = c[s * LOSS_FLOATS + 1];
        }
      return { loss, accuracy };
    });
  }

  /** Run an op list once, outside training (op tests, inspection programs), as step `record`. Validated. */
  async runOps(ops: readonly Op[], record: StepRecord = { step: 0, lr: 0, rowStart: 0 }): Promise<void> {
    const prepared = await prepareLaunches(this.device, this.cache, this.launchesOf(ops));
    this.fillTable([record], 0, 1, ops);
    this.device.pushErrorScope('validation');
    const done = this.steps.submit(1, prepared);
    const err = await this.device.popErrorScope();
    if (err) throw new Error(`GPU validation error running ops: ${err.message}`);
    await done;
  }

  async readActivations(): Promise<Float32Array> {
    const bytes = this.program.arenas.activations.size * 4;
    return new Float32Array(await readBufferOnce(this.device, this.actBuf, 0, bytes));
  }

  writeActivations(data: Float32Array): void {
    const n = Math.min(data.length, this.program.arenas.activations.size);
    this.device.queue.writeBuffer(this.actBuf, 0, data, 0, n);
  }

  /** The eval pass (entry undefined) or an evaluation entry: io, shapes and prepared launches. */
  private evalOf(entry: number | undefined) {
    const p = this.program;
    const e = entry === undefined ? null : p.evaluations[entry];
    if (entry !== undefined && !e) throw new Error(`program has no evaluation entry ${entry}`);
    return {
      io: e ? e.io : p.evalIo,
      xRow: prod(e ? e.inputShape : evalShapes(p).input),
      yRow: prod(e ? e.outputShape : evalShapes(p).output),
      launches: this.evals[entry === undefined ? 0 : entry + 1],
    };
  }

  async predict(x: Float32Array, entry?: number): Promise<Float32Array> {
    this.checkUsable();
    const p = this.program;
    const ev = this.evalOf(entry);
    const inView = this.view(ev.io.input);
    const outView = this.view(ev.io.output);
    const expectIn = p.batchSize * ev.xRow;
    if (x.length !== expectIn) throw new Error(`predict x has ${x.length} values, expected ${expectIn}`);
    this.device.queue.writeBuffer(inView.buffer, inView.offset, x);
    const bytes = p.batchSize * ev.yRow * 4;
    // A ring, so overlapping predictions (evaluation during training) never share a mapped buffer.
    this.outStaging ??= new StagingRing(this.device, Math.max(16, Math.ceil(bytes / 16) * 16));
    const staging = this.outStaging.acquire();
    const enc = this.device.createCommandEncoder();
    const pass = enc.beginComputePass();
    encodeLaunches(pass, ev.launches);
    pass.end();
    enc.copyBufferToBuffer(outView.buffer, outView.offset, staging, 0, bytes);
    this.device.queue.submit([enc.finish()]);
    return new Float32Array(await this.outStaging.read(staging, bytes));
  }

  /** Eval-mode forward of any number of rows in ONE submit (a 200x200 decision grid is 40,000 rows): the padded
   * rows are uploaded once; inside one command encoder each batch is copied into the input tensor, run, and its
   * output copied into one staging buffer, which is read back once. predict() per batch would pay a submit and a
   * readback round trip per batch. */
  async predictRows(x: Float32Array, rows: number, entry?: number): Promise<Float32Array> {
    this.checkUsable();
    const p = this.program;
    const n = p.batchSize;
    const ev = this.evalOf(entry);
    const { xRow, yRow } = ev;
    if (x.length < rows * xRow) throw new Error(`predictRows x has ${x.length} values, expected ${rows} x ${xRow}`);
    const batches = Math.ceil(rows / n);
    const inBytes = n * xRow * 4;
    const outBytes = n * yRow * 4;
    const padded = new Float32Array(batches * n * xRow);
    padded.set(x.subarray(0, rows * xRow));
    const input = this.device.createBuffer({
      label: 'predict-rows-in',
      size: Math.max(16, padded.byteLength),
      usage: GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    });
    const staging = this.device.createBuffer({
      label: 'predict-rows-out',
      size: Math.max(16, batches * outBytes),
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    try {
      this.device.queue.writeBuffer(input, 0, padded);
      const inView = this.view(ev.io.input);
      const outView = this.view(ev.io.output);
      const enc = this.device.createCommandEncoder();
      for (let b = 0; b < batches; b++) {
        enc.copyBufferToBuffer(input, b * inBytes, inView.buffer, inView.offset, inBytes);
        const pass = enc.beginComputePass();
        encodeLaunches(pass, ev.launches);
        pass.end();
        enc.copyBufferToBuffer(outView.buffer, outView.offset, staging, b * outBytes, outBytes);
      }
      this.device.queue.submit([enc.finish()]);
      const bytes = rows * yRow * 4;
      await staging.mapAsync(GPUMapMode.READ, 0, Math.max(16, batches * outBytes));
      return new Float32Array(staging.getMappedRange(0, Math.max(16, batches * outBytes)).slice(0, bytes));
    } finally {
      input.destroy();
      staging.destroy();
    }
  }

  async readState(): Promise<Float32Array> {
    this.checkUsable();
    const bytes = this.program.arenas.state.size * 4;
    return new Float32Array(await readBufferOnce(this.device, this.stateBuf, 0, bytes));
  }

  writeState(state: Float32Array): void {
    const n = Math.min(state.length, this.program.arenas.state.size);
    this.device.queue.writeBuffer(this.stateBuf, 0, state, 0, n);
  }

  /** Dispatches encoded per training step (gather + forward + metrics + backward + clip + update + bookkeeping). */
  get dispatchesPerStep(): number {
    const r = this.runners[0];
    return r?.launches?.length ?? (r?.core.length ?? 0) + 2;
  }

  /** Time each kernel of a training step on its own (repeats per kernel in one submit), for profiling. */
  async profileStep(repeats = 10): Promise<{ label: string; ms: number }[]> {
    const launches = this.runners[0]?.launches ?? this.runners[0]?.core ?? [];
    this.fillTable([{ step: 0, lr: 0, rowStart: 0 }], 0, 1);
    const out: { label: string; ms: number }[] = [];
    for (const l of launches) {
      const t0 = performance.now();
      const enc = this.device.createCommandEncoder();
      const pass = enc.beginComputePass();
      for (let r = 0; r < repeats; r++) encodeLaunches(pass, [l]);
      pass.end();
      this.device.queue.submit([enc.finish()]);
      await this.device.queue.onSubmittedWorkDone();
      out.push({ label: l.label, ms: (performance.now() - t0) / repeats });
    }
    return out;
  }

  /** The pipeline cache (inspection programs over this executor's arenas share compiled kernels). */
  get pipelines(): PipelineCache {
    return this.cache;
  }

  /** Pipelines compiled so far (distinct WGSL sources). */
  get pipelineCount(): number {
    return this.cache.size;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const b of [this.stateBuf, this.actBuf, this.hypBuf]) b.destroy();
    for (const r of this.runners) for (const b of [r.dataX, r.dataY, r.order]) b?.destroy();
    this.steps.destroy();
    this.outStaging?.destroy();
    for (const b of this.scratchBuffers) b.destroy();
  }
}

/** One update step's kernels and training data on the device. */
interface StepRunner {
  core: PreparedLaunch[];
  /** Gather + core, once the step has training rows. */
  launches?: PreparedLaunch[];
  dataX?: GPUBuffer;
  dataY?: GPUBuffer;
  order?: GPUBuffer;
  orderRows: number;
}

function arenaBytes(floats: number): number {
  return Math.max(256, Math.ceil((floats * 4) / 256) * 256);
}
