// Pure edits of a normalized spec, one per thing a learner can change in the Lab's controls. Each returns a plain
// ExperimentSpec-shaped object; the experiment store validates it before anything trains on it.
import type { ExperimentSpec, NormalizedSpec, OptimizerType, ScheduleType } from '../../../engine/index';
import { type DatasetId, DEFAULT_SPECS, datasetDef, MNIST_CNN, OPTIMIZERS } from './catalog';
import { designOf, layersOf, type NetDesign, sanitize } from './design';

type Spec = NormalizedSpec;
type Loose = Record<string, unknown>;

const clone = <T>(v: T): T => structuredClone(v);

/** A spec as the validator reads it (the normalized form is a valid ExperimentSpec; `data: null` becomes absent). */
export function asRaw(s: Spec): ExperimentSpec {
  const c = clone(s) as unknown as ExperimentSpec & { data?: unknown };
  if (c.data === null) delete c.data;
  return c;
}

export function inputWidth(s: Spec): number {
  return s.model.input.reduce((a, b) => a * b, 1);
}

/** Switches the dataset, keeping the network and training settings where they still fit. */
export function withDataset(s: Spec, id: DatasetId): ExperimentSpec {
  const def = datasetDef(id);
  const before = datasetDef(s.data?.kind);
  if (def.task === 'mnist' || before.task === 'mnist') {
    const base = clone(DEFAULT_SPECS[def.task]);
    if (base.data) base.data.kind = id as NonNullable<ExperimentSpec['data']>['kind'];
    return base;
  }
  const r = asRaw(s);
  const data = { ...(r.data as unknown as Loose), kind: id } as Loose;
  const classes = def.classes
    ? def.classes.includes(Number(data.classes))
      ? Number(data.classes)
      : def.classes[0]
    : 2;
  // Added points keep their labels only within one task and class count (a 0.37 target or class 4 would not fit).
  if (def.task === 'regress2d' || def.task !== before.task || classes !== Number(data.classes)) delete data.extra;
  data.classes = classes;
  r.data = data as unknown as ExperimentSpec['data'];
  return retarget(r, def.task === 'regress2d' ? 1 : classes, def.task === 'regress2d');
}

/** Sets the output width and loss to fit the task (classes, or one regression output). */
function retarget(r: ExperimentSpec, outputs: number, regression: boolean): ExperimentSpec {
  const layers = r.model.layers;
  const last = layers[layers.length - 1];
  if (last?.type === 'dense') layers[layers.length - 1] = { ...last, units: outputs };
  if (regression && r.loss.type === 'cross_entropy') r.loss = { type: 'mse' };
  if (!regression && r.loss.type !== 'cross_entropy') r.loss = { type: 'cross_entropy' };
  return r;
}

export function withData(s: Spec, patch: Loose): ExperimentSpec {
  const r = asRaw(s);
  r.data = { ...(r.data as unknown as Loose), ...patch } as unknown as ExperimentSpec['data'];
  const classes = (r.data as unknown as Loose).classes;
  if (patch.classes !== undefined && typeof classes === 'number') return retarget(r, classes, false);
  return r;
}

/** Changes the input features (2-D data): the model's input width follows. */
export function withFeatures(s: Spec, features: string[]): ExperimentSpec {
  const r = withData(s, { features });
  r.model.input = [features.length];
  const d = designOf(s.model.layers);
  if (d) r.model.layers = layersOf(sanitize(d, features.length), false);
  return r;
}

export function withDesign(s: Spec, design: NetDesign): ExperimentSpec {
  const r = asRaw(s);
  const image = s.model.input.length === 3;
  r.model.layers = layersOf(sanitize(design, inputWidth(s)), image);
  return r;
}

/** MNIST only: switch between the default MLP and the default CNN. */
export function withMnistArchitecture(s: Spec, cnn: boolean): ExperimentSpec {
  const r = asRaw(s);
  const base = cnn ? MNIST_CNN : DEFAULT_SPECS.mnist;
  r.model = clone(base.model);
  return r;
}

export function withOptimizer(s: Spec, type: OptimizerType): ExperimentSpec {
  const r = asRaw(s);
  const def = OPTIMIZERS.find((o) => o.id === type);
  // Keep the learning rate when moving between adaptive methods; SGD and the rest have different sensible ranges.
  const adaptive = (t: string) => t !== 'sgd';
  const lr = adaptive(type) === adaptive(s.optimizer.type) ? s.optimizer.lr : (def?.lr ?? 0.01);
  r.optimizer = { type, lr } as ExperimentSpec['optimizer'];
  return r;
}

export function withOptimizerField(s: Spec, key: string, value: number): ExperimentSpec {
  const r = asRaw(s);
  const o = r.optimizer as unknown as Loose;
  if (key === 'beta1' || key === 'beta2') {
    const betas = [...((o.betas as number[]) ?? [0.9, 0.999])];
    betas[key === 'beta1' ? 0 : 1] = value;
    o.betas = betas;
  } else o[key] = value;
  return r;
}

/** Sensible parameters for each schedule, sized to the run (total steps). */
export function withSchedule(s: Spec, type: ScheduleType, totalSteps: number): ExperimentSpec {
  const r = asRaw(s);
  const warmupSteps = s.schedule.warmupSteps;
  const table: Record<ScheduleType, ExperimentSpec['schedule']> = {
    constant: { type: 'constant', warmupSteps },
    step: { type: 'step', stepSize: Math.max(1, Math.round(totalSteps / 3)), gamma: 0.3, warmupSteps },
    exponential: { type: 'exponential', gamma: Number((0.01 ** (1 / totalSteps)).toPrecision(6)), warmupSteps },
    cosine: { type: 'cosine', totalSteps, warmupSteps },
    cosine_restarts: { type: 'cosine_restarts', t0: Math.max(1, Math.round(totalSteps / 4)), warmupSteps },
    onecycle: {
      type: 'onecycle',
      maxLr: s.optimizer.lr * 10,
      totalSteps,
      warmupSteps: 0,
      cycleMomentum: s.optimizer.type !== 'adagrad',
    },
    plateau: { type: 'plateau', patience: 5, factor: 0.5, warmupSteps },
  };
  r.schedule = table[type];
  return r;
}

export function withWarmup(s: Spec, warmupSteps: number): ExperimentSpec {
  const r = asRaw(s);
  r.schedule = { ...(r.schedule as Loose), warmupSteps } as unknown as ExperimentSpec['schedule'];
  return r;
}

export function withRegularization(s: Spec, patch: Partial<NormalizedSpec['regularization']>): ExperimentSpec {
  const r = asRaw(s);
  r.regularization = { ...r.regularization, ...patch };
  return r;
}

export function withTraining(s: Spec, patch: Partial<NormalizedSpec['training']>): ExperimentSpec {
  const r = asRaw(s);
  r.training = { ...r.training, ...patch };
  return r;
}

export function withLabelSmoothing(s: Spec, v: number): ExperimentSpec {
  const r = asRaw(s);
  if (r.loss.type === 'cross_entropy') r.loss = { ...r.loss, labelSmoothing: v };
  return r;
}

// ------------------------------------------------------------------------------------------------ compare mode

/** The controlled comparisons compare mode offers: B is A with one thing changed. */
export const COMPARISONS = [
  { id: 'batchnorm', label: 'BatchNorm on vs off' },
  { id: 'optimizer', label: 'Adam vs SGD' },
  { id: 'dropout', label: 'Dropout 0 vs 0.5' },
  { id: 'same', label: 'Same settings (edit B yourself)' },
] as const;
export type ComparisonId = (typeof COMPARISONS)[number]['id'];

export function comparisonOf(a: Spec, id: ComparisonId): ExperimentSpec {
  const d = designOf(a.model.layers);
  if (id === 'optimizer') return withOptimizer(a, a.optimizer.type === 'sgd' ? 'adam' : 'sgd');
  if (!d || id === 'same') return asRaw(a);
  if (id === 'batchnorm') {
    const on = d.blocks.some((b) => b.batchnorm);
    return withDesign(a, { ...d, blocks: d.blocks.map((b) => ({ ...b, batchnorm: !on })) });
  }
  const on = d.blocks.some((b) => b.kind === 'dense' && b.dropout > 0);
  return withDesign(a, {
    ...d,
    blocks: d.blocks.map((b) => (b.kind === 'dense' ? { ...b, dropout: on ? 0 : 0.5 } : b)),
  });
}
