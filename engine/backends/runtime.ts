// The Runtime, implemented once over any Executor: step counting, epochs (seeded shuffle, drop-last batching),
// the learning-rate schedule (incl. plateau on the validation loss each epoch), hot hyperparameters, evaluation,
// prediction and the PyTorch state-dict view of the state arena. Both backends share it, so they cannot disagree
// about anything but kernel arithmetic.

import type { Dataset } from '../data/dataset';
import { epochOrder, stepsPerEpoch } from '../data/sampler';
import { makeToyDataset } from '../data/toy2d';
import { applyHot, type HotState, hotFromSpec, packHypers } from '../graph/hypers';
import { initialState } from '../graph/init';
import { accuracyValue, type LossArgs, lossValue } from '../graph/losses';
import { evalShapes, type Program, updateStepIndex } from '../graph/program';
import { learningRate, type PlateauState, plateauStart, plateauStep, scheduledMomentum } from '../optim/schedules';
import type { StateDict } from '../spec/types';
import type {
  BackendFactory,
  EvalResult,
  Executor,
  HotHypers,
  Runtime,
  StepRecord,
  StepStats,
  TrainResult,
} from './backend';

export interface RuntimeOptions {
  /** Shuffle the training rows each epoch (true for datasets; false for a job's given batches, used in order). */
  shuffle: boolean;
  /** Start from these parameters (a fresh initialisation otherwise). */
  initialState: Float32Array;
}

/** The usual way in: a Program on a backend, with the spec's own data (or the given dataset) and a fresh seeded
 * initialisation (or the given state arena). */
export async function openRuntime(
  program: Program,
  factory: BackendFactory,
  opts: { data?: Dataset; shuffle?: boolean; initialState?: Float32Array } = {},
): Promise<Runtime> {
  const spec = program.spec;
  let data = opts.data;
  if (data === undefined) {
    if (spec.data === null) throw new Error('the spec has no data section and no dataset was given');
    data = makeToyDataset(spec.data, spec.loss.type);
  }
  const exec = await factory.createExecutor(program);
  return createRuntime(exec, data, {
    shuffle: opts.shuffle ?? true,
    initialState: opts.initialState ?? initialState(program),
  });
}

export async function createRuntime(exec: Executor, data: Dataset, opts: RuntimeOptions): Promise<Runtime> {
  if (data.train.count < exec.program.batchSize)
    throw new Error(
      `the training split has ${data.train.count} rows, fewer than one batch of ${exec.program.batchSize}`,
    );
  const rt = new SharedRuntime(exec, data, opts);
  await rt.init();
  return rt;
}

class SharedRuntime implements Runtime {
  readonly program: Program;
  /** Each parameter group's step counter (its optimizer's t - 1 and schedule position). */
  private readonly groupSteps: number[];
  /** The first update step's group: `step` is its counter. */
  private readonly primary: number;
  /** Rows given to the other update steps (setStepData): how many, and the next batch to use. */
  private readonly stepRows: { rows: number; next: number }[];
  get step(): number {
    return this.groupSteps[this.primary];
  }
  set step(v: number) {
    this.groupSteps[this.primary] = v;
  }
  epoch = 0;
  private stepInEpoch = 0;
  private readonly perEpoch: number;
  get stepsPerEpoch(): number {
    return this.perEpoch;
  }
  private hot: HotState;
  private plateau: PlateauState | null;
  private epochLossSum = 0;
  /** Tail of the sequential-mode call chain. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly lossArgs: Omit<LossArgs, 'smoothing'>;

  constructor(
    private readonly exec: Executor,
    private readonly data: Dataset,
    private readonly opts: RuntimeOptions,
  ) {
    this.program = exec.program;
    this.groupSteps = this.program.groups.map(() => 0);
    this.primary = this.program.updateSteps[0].group;
    this.stepRows = this.program.updateSteps.map(() => ({ rows: 0, next: 0 }));
    this.hot = hotFromSpec(this.program.spec);
    this.plateau = this.program.spec.schedule.type === 'plateau' ? plateauStart(this.hot.lr) : null;
    this.perEpoch = stepsPerEpoch(data.train.count, this.program.batchSize);
    const lossOp = this.program.forward[this.program.forward.length - 1];
    if (lossOp.kind !== 'loss') throw new Error('program has no loss op');
    this.lossArgs = { kind: lossOp.loss, rows: 0, cols: lossOp.cols, delta: lossOp.delta };
    this.rowsPerExample = lossOp.rows / this.program.batchSize;
  }

  /** Loss rows per example: 1, or T for cross_entropy on a [T, C] output (every token is a row). */
  private readonly rowsPerExample: number;

  get backend() {
    return this.exec.backend;
  }

  async init(): Promise<void> {
    await this.exec.setTrainData(this.data.train.x, this.data.train.y, this.data.train.count);
    this.exec.setOrder(epochOrder(this.data.train.count, this.program.seed, 0, this.opts.shuffle));
    this.exec.setHypers(packHypers(this.program, this.hot));
    await this.exec.writeState(this.opts.initialState);
  }

  /** The schedule of group g (without spec.groups: the spec's own, with the hot top-level lr). */
  private scheduleOf(g: number): Program['spec']['schedule'] {
    return this.hot.groups === undefined ? this.program.spec.schedule : this.program.groups[g].schedule;
  }

  private lrAt(t: number, g = this.primary): number {
    const groupHot = this.hot.groups?.[this.program.groups[g].name];
    if (groupHot === undefined) return learningRate(this.program.spec.schedule, this.hot.lr, t, this.plateau);
    return learningRate(this.program.groups[g].schedule, groupHot.lr, t, null);
  }

  /** Two modes. Pipelined (the usual): the step range is reserved and every executor call issued synchronously, so
   * a caller may start the next trainSteps before this one resolves (keeping the GPU busy). Sequential, for what
   * needs results between steps: plateau (evaluates at epoch ends) and momentum cycling on an executor that cannot
   * take momentum from the step record; such calls queue behind each other. */
  trainSteps(k: number): Promise<TrainResult> {
    if (this.stepRows[0].rows > 0)
      return Promise.reject(new Error('the first update step was given its own rows (setStepData): use trainUpdate'));
    const cycles = scheduledMomentum(this.scheduleOf(this.primary), 0) !== null;
    const sequential = this.program.spec.schedule.type === 'plateau' || (cycles && this.exec.stepMomentum !== true);
    if (!sequential) return this.trainPipelined(k, cycles);
    const run = this.queue.then(() => this.trainSequential(k, cycles));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async trainPipelined(k: number, cycles: boolean): Promise<TrainResult> {
    const lrs: number[] = [];
    const calls: Promise<StepStats>[] = [];
    const schedule = this.scheduleOf(this.primary);
    let left = k;
    while (left > 0) {
      const n = Math.min(left, this.perEpoch - this.stepInEpoch);
      // Fresh records per call: an executor may still read them after this function moves on.
      const recs: StepRecord[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const lr = this.lrAt(this.step + i);
        lrs.push(lr);
        recs[i] = { step: this.step + i, lr, rowStart: (this.stepInEpoch + i) * this.program.batchSize };
        if (cycles) recs[i].momentum = scheduledMomentum(schedule, this.step + i) ?? undefined;
      }
      calls.push(this.exec.train(recs));
      this.step += n;
      this.stepInEpoch += n;
      left -= n;
      if (this.stepInEpoch === this.perEpoch) this.nextEpoch();
    }
    const step = this.step;
    const epoch = this.epoch;
    return { ...collect(await Promise.all(calls), this.program.scalars.accuracy !== null), lrs, step, epoch };
  }

  private async trainSequential(k: number, cycles: boolean): Promise<TrainResult> {
    const lrs: number[] = [];
    const all: StepStats[] = [];
    let left = k;
    while (left > 0) {
      // Momentum cycling without step-record support: repack the hypers before each single step.
      const n = cycles ? 1 : Math.min(left, this.perEpoch - this.stepInEpoch);
      if (cycles) this.applyScheduledMomentum(this.step);
      const recs: StepRecord[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const lr = this.lrAt(this.step + i);
        lrs.push(lr);
        recs[i] = { step: this.step + i, lr, rowStart: (this.stepInEpoch + i) * this.program.batchSize };
      }
      const stats = await this.exec.train(recs);
      all.push(stats);
      for (let i = 0; i < n; i++) this.epochLossSum += stats.loss[i];
      this.step += n;
      this.stepInEpoch += n;
      left -= n;
      if (this.stepInEpoch === this.perEpoch) {
        await this.plateauAtEpochEnd();
        this.nextEpoch();
      }
    }
    return { ...collect(all, this.program.scalars.accuracy !== null), lrs, step: this.step, epoch: this.epoch };
  }

  private applyScheduledMomentum(t: number): void {
    const m = scheduledMomentum(this.program.spec.schedule, t);
    if (m === null) return;
    const o = this.program.spec.optimizer.type;
    this.hot =
      o === 'adam' || o === 'adamw' ? { ...this.hot, betas: [m, this.hot.betas[1]] } : { ...this.hot, momentum: m };
    this.exec.setHypers(packHypers(this.program, this.hot));
  }

  private async plateauAtEpochEnd(): Promise<void> {
    const s = this.program.spec.schedule;
    if (s.type !== 'plateau' || this.plateau === null) return;
    const metric = this.data.val.count > 0 ? (await this.evaluate('val')).loss : this.epochLossSum / this.perEpoch;
    this.plateau = plateauStep(s, this.plateau, metric);
  }

  private nextEpoch(): void {
    this.epoch++;
    this.stepInEpoch = 0;
    this.epochLossSum = 0;
    this.exec.setOrder(epochOrder(this.data.train.count, this.program.seed, this.epoch, this.opts.shuffle));
  }

  async trainUpdate(name: string, k = 1): Promise<TrainResult> {
    const i = updateStepIndex(this.program, name);
    if (i === 0 && this.stepRows[0].rows === 0) return this.trainSteps(k);
    const u = this.program.updateSteps[i];
    const data = this.stepRows[i];
    if (data.rows < u.batchSize) throw new Error(`update step "${name}" has no rows: call setStepData first`);
    const batches = Math.floor(data.rows / u.batchSize);
    const g = u.group;
    const schedule = this.program.groups[g].schedule;
    const cycles = scheduledMomentum(schedule, 0) !== null;
    if (cycles && this.exec.stepMomentum !== true)
      throw new Error('momentum cycling in a parameter group needs an executor that takes momentum per step');
    const lrs: number[] = [];
    const recs: StepRecord[] = [];
    for (let j = 0; j < k; j++) {
      const t = this.groupSteps[g] + j;
      const lr = this.lrAt(t, g);
      lrs.push(lr);
      const rec: StepRecord = { step: t, lr, rowStart: ((data.next + j) % batches) * u.batchSize, update: i };
      if (cycles) rec.momentum = scheduledMomentum(schedule, t) ?? undefined;
      recs.push(rec);
    }
    this.groupSteps[g] += k;
    data.next = (data.next + k) % batches;
    const stats = await this.exec.train(recs);
    const step = this.groupSteps[g];
    return { ...collect([stats], u.scalars.accuracy !== null), lrs, step, epoch: this.epoch };
  }

  async setStepData(name: string, x: Float32Array, y: Float32Array, rows: number): Promise<void> {
    const i = updateStepIndex(this.program, name);
    await this.exec.setTrainData(x, y, rows, i);
    this.stepRows[i] = { rows, next: 0 };
  }

  predict(x: Float32Array, rows: number): Promise<Float32Array> {
    return this.predictWith(x, rows, undefined);
  }

  predictEntry(name: string, x: Float32Array, rows: number): Promise<Float32Array> {
    const i = this.program.evaluations.findIndex((e) => e.name === name);
    if (i < 0) throw new Error(`no evaluation entry "${name}"`);
    return this.predictWith(x, rows, i);
  }

  private async predictWith(x: Float32Array, rows: number, entry: number | undefined): Promise<Float32Array> {
    const n = this.program.batchSize;
    const e = entry === undefined ? null : this.program.evaluations[entry];
    const shapes = evalShapes(this.program);
    const xRow = (e?.inputShape ?? shapes.input).reduce((a, b) => a * b, 1);
    const yRow = (e?.outputShape ?? shapes.output).reduce((a, b) => a * b, 1);
    if (this.exec.predictRows && rows > n) return this.exec.predictRows(x, rows, entry);
    const out = new Float32Array(rows * yRow);
    const chunk = new Float32Array(n * xRow);
    for (let r = 0; r < rows; r += n) {
      const m = Math.min(n, rows - r);
      chunk.fill(0);
      chunk.set(x.subarray(r * xRow, (r + m) * xRow));
      const y = await this.exec.predict(chunk, entry);
      out.set(y.subarray(0, m * yRow), r * yRow);
    }
    return out;
  }

  async evaluate(split: 'train' | 'val'): Promise<EvalResult> {
    const first = this.program.updateSteps[0];
    if (first.from !== 0 || first.to !== this.program.spec.model.layers.length)
      throw new Error(`evaluate runs the whole model, but the first update step "${first.name}" runs a slice of it`);
    const s = this.data[split];
    if (s.count === 0) return { loss: Number.NaN, accuracy: null, count: 0 };
    const pred = await this.predict(s.x, s.count);
    const rows = s.count * this.rowsPerExample;
    const args: LossArgs = { ...this.lossArgs, rows, smoothing: this.hot.labelSmoothing };
    const loss = lossValue(args, pred, s.y);
    const accOp = this.program.metrics.find((op) => op.kind === 'accuracy');
    const accuracy = accOp?.kind === 'accuracy' ? accuracyValue(accOp.mode, rows, accOp.cols, pred, s.y) : null;
    return { loss, accuracy, count: s.count };
  }

  async getWeights(): Promise<StateDict> {
    const state = await this.exec.readState();
    const sd: StateDict = {};
    for (const p of this.program.params) {
      const t = this.program.tensors[p.tensor];
      sd[p.key] = { shape: [...t.shape], data: Array.from(state.subarray(t.offset, t.offset + t.size)) };
    }
    return sd;
  }

  async setWeights(sd: StateDict): Promise<string[]> {
    const problems: string[] = [];
    const state = await this.exec.readState();
    for (const [key, value] of Object.entries(sd)) {
      const p = this.program.params.find((q) => q.key === key);
      if (p === undefined) {
        problems.push(`${key}: the model has no such parameter`);
        continue;
      }
      const t = this.program.tensors[p.tensor];
      if (value.shape.join('x') !== t.shape.join('x') || value.data.length !== t.size) {
        problems.push(`${key}: shape [${value.shape.join(', ')}] does not match the model's [${t.shape.join(', ')}]`);
        continue;
      }
      state.set(value.data, t.offset);
    }
    await this.exec.writeState(state);
    return problems;
  }

  setHyper(h: Partial<HotHypers>): void {
    this.hot = applyHot(this.hot, h);
    this.exec.setHypers(packHypers(this.program, this.hot));
  }

  readState(): Promise<Float32Array> {
    return this.exec.readState();
  }

  async writeState(state: Float32Array): Promise<void> {
    await this.exec.writeState(state);
  }

  seek(step: number): void {
    this.step = step;
    this.epoch = Math.floor(step / this.perEpoch);
    this.stepInEpoch = step % this.perEpoch;
    this.epochLossSum = 0;
    this.exec.setOrder(epochOrder(this.data.train.count, this.program.seed, this.epoch, this.opts.shuffle));
  }

  dispose(): void {
    this.exec.dispose();
  }
}

/** Concatenates per-call stats into the per-step number arrays of a TrainResult. */
function collect(stats: StepStats[], hasAccuracy: boolean): { losses: number[]; accuracies: number[] | null } {
  const losses: number[] = [];
  const accuracies: number[] | null = hasAccuracy ? [] : null;
  for (const st of stats) {
    for (let i = 0; i < st.loss.length; i++) losses.push(st.loss[i]);
    if (accuracies !== null && st.accuracy !== null)
      for (let i = 0; i < st.accuracy.length; i++) accuracies.push(st.accuracy[i]);
  }
  return { losses, accuracies };
}
