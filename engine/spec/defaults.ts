// Every default of the ExperimentSpec, in one place. Optimizer defaults are torch.optim's (SGD has no default lr
// in torch, so none here either); BatchNorm/LayerNorm/activation defaults are torch.nn's.

import type { DataFeature, DataKind, LayerType, LossType, OptimizerType, ScheduleType, ToyDataKind } from './types';

/** Appended to, never reordered: the URL encoding stores a kind as its index here. */
export const DATA_KINDS: readonly DataKind[] = ['circle', 'xor', 'blobs', 'spiral', 'moons', 'plane', 'bumps', 'mnist'];
export const TOY_KINDS: readonly ToyDataKind[] = ['circle', 'xor', 'blobs', 'spiral', 'moons', 'plane', 'bumps'];
export const REGRESSION_DATA: readonly DataKind[] = ['plane', 'bumps'];
/** The canonical order of the 2-D input features (also their URL indices: append only). */
export const DATA_FEATURES: readonly DataFeature[] = ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'];

export const DATA_DEFAULTS = {
  points: 500,
  noise: 0.1,
  valFraction: 0.2,
  seed: 1,
  classes: 2,
  features: ['x1', 'x2'] as DataFeature[],
};

/** The packed MNIST digits: what the pack holds and what a model on it must look like. */
export const MNIST = {
  points: 30_000,
  classes: 10,
  rows: 28,
  cols: 28,
  /** model.input for an MLP (flat pixels) or a CNN (one channel). */
  inputs: [[784], [1, 28, 28]] as readonly number[][],
} as const;

export const LAYER_DEFAULTS = {
  dense: { bias: true, init: { type: 'default', std: 0.01 } },
  conv2d: { stride: 1, padding: 0, bias: true, init: { type: 'default', std: 0.01 } },
  batchnorm: { momentum: 0.1, eps: 1e-5 },
  layernorm: { eps: 1e-5 },
  conv_transpose2d: { stride: 1, padding: 0, outputPadding: 0, bias: true },
  recurrent: { bidirectional: false, returnSequences: false },
  sample_normal: { klWeight: 1 },
  activation: { slope: 0.01, alpha: 1 },
} as const;

export const LAYER_TYPES: readonly LayerType[] = [
  'dense',
  'conv2d',
  'maxpool2d',
  'avgpool2d',
  'flatten',
  'batchnorm',
  'layernorm',
  'dropout',
  'relu',
  'leaky_relu',
  'elu',
  'gelu',
  'silu',
  'sigmoid',
  'tanh',
  'softplus',
  'residual',
  'embedding',
  'positional',
  'attention',
  'rnn',
  'lstm',
  'gru',
  'seqpool',
  'reshape',
  'conv_transpose2d',
  'upsample',
  'stop_gradient',
  'sample_normal',
];

export const LOSS_TYPES: readonly LossType[] = ['mse', 'mae', 'huber', 'bce_logits', 'cross_entropy'];
export const LOSS_DEFAULTS = { huberDelta: 1, labelSmoothing: 0 };

export const OPTIMIZER_TYPES: readonly OptimizerType[] = ['sgd', 'rmsprop', 'adagrad', 'adam', 'adamw'];
export const OPTIMIZER_DEFAULTS = {
  sgd: { momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 },
  rmsprop: { lr: 0.01, alpha: 0.99, eps: 1e-8, momentum: 0, centered: false, weightDecay: 0 },
  adagrad: { lr: 0.01, eps: 1e-10, weightDecay: 0, lrDecay: 0, initialAccumulatorValue: 0 },
  adam: { lr: 0.001, betas: [0.9, 0.999] as [number, number], eps: 1e-8, weightDecay: 0 },
  adamw: { lr: 0.001, betas: [0.9, 0.999] as [number, number], eps: 1e-8, weightDecay: 0.01 },
};

export const SCHEDULE_TYPES: readonly ScheduleType[] = [
  'constant',
  'step',
  'exponential',
  'cosine',
  'cosine_restarts',
  'onecycle',
  'plateau',
];
export const SCHEDULE_DEFAULTS = {
  warmupSteps: 0,
  step: { gamma: 0.1 },
  cosine: { minLr: 0 },
  cosine_restarts: { tMult: 1, minLr: 0 },
  onecycle: {
    pctStart: 0.3,
    divFactor: 25,
    finalDivFactor: 1e4,
    cycleMomentum: true,
    baseMomentum: 0.85,
    maxMomentum: 0.95,
  },
  plateau: { factor: 0.1, patience: 10, minLr: 0, threshold: 1e-4 },
};

export const REGULARIZATION_DEFAULTS = { l1: 0, l2: 0, clipGradNorm: null, clipGradValue: null };
export const TRAINING_DEFAULTS = { seed: 0, steps: 1000 };

/** Size limits (a learner's browser must survive any spec that validates). */
export const LIMITS = {
  units: 4096,
  vocab: 65536,
  filters: 1024,
  kernel: 15,
  stride: 8,
  padding: 16,
  inputDim: 4096,
  inputElements: 1 << 20,
  layers: 64,
  depth: 4,
  batchSize: 4096,
  points: 100000,
  /** Learner-added points (data.extra triples). */
  extraPoints: 200,
  classes: 10,
  steps: 10_000_000,
  parameters: 50_000_000,
  activationElements: 1 << 26,
} as const;
