// ExperimentSpec: the one interchange format of Gradient Atlas (lab editor, presets, problems, URLs, CLI).
// This file is types only. Defaults live in defaults.ts, checks in validate.ts, the URL form in encode.ts.
// Optional fields are optional for authors; `normalizeSpec` returns a `NormalizedSpec` where every default is
// filled in, and everything past validation (compile, backends) only ever sees the normalized form.
//
// Extending: a new layer is a new member of `LayerSpec` plus an entry in the validation table and a gradient rule
// in engine/graph; nothing else in the core has to change.

// ---------------------------------------------------------------- data

/** The seeded 2-D toy generators, and 'mnist': 30,000 packed handwritten digits (public/data/mnist.bin). */
export type DataKind = 'circle' | 'xor' | 'blobs' | 'spiral' | 'moons' | 'plane' | 'bumps' | 'mnist';
export type ToyDataKind = Exclude<DataKind, 'mnist'>;

/** Input features computed from a 2-D point (x1, x2), as in TensorFlow Playground. The sines are sin(pi * x):
 * our coordinates span about [-1, 1], where sin(x) alone would be nearly x. */
export type DataFeature = 'x1' | 'x2' | 'x1sq' | 'x2sq' | 'x1x2' | 'sinx1' | 'sinx2';

export interface DataSpec {
  kind: DataKind;
  /** Total number of points (train + validation); for mnist, how many of the 30,000 digits (default all). */
  points?: number;
  /** Generator-specific noise level (standard deviation of added Gaussian noise, in input units). 0 for mnist. */
  noise?: number;
  /** Fraction of the points held out for validation: the last ones after a seeded shuffle (toys), the last digits
   * of the packed order (mnist: the default 0.2 gives 24,000 train and 6,000 validation digits). */
  valFraction?: number;
  seed?: number;
  /** Number of classes, for generators that support more than two (blobs, spiral); 10 for mnist. */
  classes?: number;
  /** 2-D kinds only: the input columns, normalized to the canonical order of DATA_FEATURES (default x1, x2);
   * model.input must be [features.length]. */
  features?: DataFeature[];
  /** 2-D kinds only: learner-added training points as flat triples [x1, x2, label, ...] (a class index, or any
   * value for plane/bumps), appended to the training split (never validation). */
  extra?: number[];
}

// ---------------------------------------------------------------- model

export type ActivationName = 'relu' | 'leaky_relu' | 'elu' | 'gelu' | 'silu' | 'sigmoid' | 'tanh' | 'softplus';

export type InitKind =
  | 'default' // PyTorch's own: kaiming_uniform(a=sqrt(5)) weights, U(-1/sqrt(fan_in), 1/sqrt(fan_in)) bias
  | 'zeros'
  | 'normal'
  | 'xavier_uniform'
  | 'xavier_normal'
  | 'he_uniform'
  | 'he_normal';

/** How a dense/conv layer's weight is initialised. Biases follow PyTorch's default except under 'zeros'
 * (weights and bias zero) and the non-default kinds (bias zero, as most frameworks do for xavier/he/normal). */
export interface InitSpec {
  type: InitKind;
  /** Standard deviation for 'normal' (mean 0). */
  std?: number;
}

export interface DenseLayer {
  type: 'dense';
  units: number;
  bias?: boolean;
  init?: InitSpec;
}
export interface Conv2dLayer {
  type: 'conv2d';
  filters: number;
  /** Square kernel size. */
  kernel: number;
  stride?: number;
  /** Zero padding on every side. */
  padding?: number;
  bias?: boolean;
  init?: InitSpec;
}
export interface Pool2dLayer {
  type: 'maxpool2d' | 'avgpool2d';
  kernel: number;
  /** Defaults to kernel (non-overlapping windows), as in PyTorch. */
  stride?: number;
}
export interface FlattenLayer {
  type: 'flatten';
}
/** BatchNorm1d after a feature vector, BatchNorm2d after a [C,H,W] map; chosen from the incoming shape. */
export interface BatchNormLayer {
  type: 'batchnorm';
  momentum?: number;
  eps?: number;
}
/** LayerNorm over all trailing (non-batch) dims, elementwise affine. */
export interface LayerNormLayer {
  type: 'layernorm';
  eps?: number;
}
export interface DropoutLayer {
  type: 'dropout';
  rate: number;
}
export interface ActivationLayer {
  type: ActivationName;
  /** leaky_relu negative slope (default 0.01). */
  slope?: number;
  /** elu alpha (default 1). */
  alpha?: number;
}
/** output = input + body(input); the body must preserve the shape. */
export interface ResidualLayer {
  type: 'residual';
  layers: LayerSpec[];
}

/** nn.Embedding: integer token ids [T] (f32 integers below vocab) -> [T, dim]. Key `<i>.weight` [vocab, dim]. */
export interface EmbeddingLayer {
  type: 'embedding';
  vocab: number;
  dim: number;
}
/** Adds a position table to [T, d]: sinusoidal PE[t, 2i] = sin(t / 10000^(2i/d)), PE[t, 2i+1] = cos(...) (no
 * parameters), or a learned [maxLen, d] table (key `<i>.weight`) whose first T rows are added. */
export interface PositionalLayer {
  type: 'positional';
  kind: 'sinusoidal' | 'learned';
  /** learned only: rows of the table (>= T). */
  maxLen?: number;
}
/** Multi-head self-attention on [T, d] as nn.MultiheadAttention(d, heads, batch_first=True) with q = k = v = x and
 * no dropout; causal masks key j > query i. Keys in_proj_weight [3d, d], in_proj_bias, out_proj.weight, out_proj.bias. */
export interface AttentionLayer {
  type: 'attention';
  heads: number;
  causal?: boolean;
}
/** nn.RNN (tanh) / nn.LSTM / nn.GRU, one layer, batch-first, on [T, F]. returnSequences gives [T, H*dirs], otherwise
 * h_n of each direction concatenated (forward then backward), [H*dirs]. */
export interface RecurrentLayer {
  type: 'rnn' | 'lstm' | 'gru';
  hidden: number;
  bidirectional?: boolean;
  returnSequences?: boolean;
}
/** [T, d] -> [d]: the mean over positions, or the last position. */
export interface SeqPoolLayer {
  type: 'seqpool';
  mode: 'mean' | 'last';
}
/** nn.Unflatten of the per-example features to `shape` (same element count). */
export interface ReshapeLayer {
  type: 'reshape';
  shape: number[];
}
/** nn.ConvTranspose2d, weight [in, out, k, k]; output size (H - 1) * stride - 2 * padding + kernel + outputPadding. */
export interface ConvTranspose2dLayer {
  type: 'conv_transpose2d';
  filters: number;
  kernel: number;
  stride?: number;
  padding?: number;
  outputPadding?: number;
  bias?: boolean;
  init?: InitSpec;
}
/** nn.Upsample(scale_factor = scale, mode = 'nearest') on [C, H, W]. */
export interface UpsampleLayer {
  type: 'upsample';
  scale: number;
}

/** Identity whose gradient is zero (torch's detach): what flows back stops here. */
export interface StopGradientLayer {
  type: 'stop_gradient';
}
/** The VAE reparameterisation: the input [2k] is mu then log-variance; training gives z = mu + exp(logvar / 2) * eps
 * with eps ~ N(0, 1) from the counter RNG (stream per layer, counter = step and element), evaluation gives z = mu.
 * Adds the loss term klWeight * KL(N(mu, var) || N(0, 1)), summed over the k latents and averaged over the batch. */
export interface SampleNormalLayer {
  type: 'sample_normal';
  klWeight?: number;
}

export type LayerSpec =
  | DenseLayer
  | Conv2dLayer
  | Pool2dLayer
  | FlattenLayer
  | BatchNormLayer
  | LayerNormLayer
  | DropoutLayer
  | ActivationLayer
  | ResidualLayer
  | EmbeddingLayer
  | PositionalLayer
  | AttentionLayer
  | RecurrentLayer
  | SeqPoolLayer
  | ReshapeLayer
  | ConvTranspose2dLayer
  | UpsampleLayer
  | StopGradientLayer
  | SampleNormalLayer;

export type LayerType = LayerSpec['type'];

export interface ModelSpec {
  /** Per-example input shape: [features], [T, features] (a sequence), [T] token ids (before an embedding) or
   * [channels, height, width]. */
  input: number[];
  layers: LayerSpec[];
}

// ---------------------------------------------------------------- loss

export type LossSpec =
  | { type: 'mse' }
  | { type: 'mae' }
  | { type: 'huber'; delta?: number }
  /** Targets 0/1 with the output's shape; sigmoid is inside the loss (BCEWithLogitsLoss). */
  | { type: 'bce_logits' }
  /** Targets are class indices; softmax is inside the loss (CrossEntropyLoss). */
  | { type: 'cross_entropy'; labelSmoothing?: number };

export type LossType = LossSpec['type'];

// ---------------------------------------------------------------- optimizer (torch.optim names and defaults)

export interface SgdSpec {
  type: 'sgd';
  lr: number;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  weightDecay?: number;
}
export interface RmspropSpec {
  type: 'rmsprop';
  lr?: number;
  alpha?: number;
  eps?: number;
  momentum?: number;
  centered?: boolean;
  weightDecay?: number;
}
export interface AdagradSpec {
  type: 'adagrad';
  lr?: number;
  eps?: number;
  weightDecay?: number;
  lrDecay?: number;
  initialAccumulatorValue?: number;
}
export interface AdamSpec {
  /** 'adam' adds weightDecay*W to the gradient (L2); 'adamw' decays the weights directly (decoupled). */
  type: 'adam' | 'adamw';
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
}
export type OptimizerSpec = SgdSpec | RmspropSpec | AdagradSpec | AdamSpec;
export type OptimizerType = OptimizerSpec['type'];

// ---------------------------------------------------------------- schedule

/** lr(t) = optimizer.lr * f(t), t the 0-based step. warmupSteps w > 0 gives f(t) = (t+1)/w for t < w and runs the
 * schedule on t - w afterwards. See engine/optim/schedules.ts for the formulas. */
export type ScheduleSpec =
  | { type: 'constant'; warmupSteps?: number }
  | { type: 'step'; stepSize: number; gamma?: number; warmupSteps?: number }
  | { type: 'exponential'; gamma: number; warmupSteps?: number }
  | { type: 'cosine'; totalSteps: number; minLr?: number; warmupSteps?: number }
  | { type: 'cosine_restarts'; t0: number; tMult?: number; minLr?: number; warmupSteps?: number }
  | {
      type: 'onecycle';
      maxLr: number;
      totalSteps: number;
      pctStart?: number;
      divFactor?: number;
      finalDivFactor?: number;
      /** As OneCycleLR: cycle momentum (SGD/RMSprop) or beta1 (Adam/AdamW) inversely to the lr, from maxMomentum
       * down to baseMomentum and back. Default true, as in torch (which rejects it for Adagrad). */
      cycleMomentum?: boolean;
      baseMomentum?: number;
      maxMomentum?: number;
      warmupSteps?: number;
    }
  /** Evaluated once per epoch on the validation loss (or the epoch's mean training loss without a val split). */
  | { type: 'plateau'; factor?: number; patience?: number; minLr?: number; threshold?: number; warmupSteps?: number };

export type ScheduleType = ScheduleSpec['type'];

// ---------------------------------------------------------------- regularisation and training

export interface RegularizationSpec {
  /** Adds l1 * sum|W| over dense and conv weights (not biases or norm parameters) to the loss. */
  l1?: number;
  /** Adds l2 * sum(W^2) over dense and conv weights to the loss (not the optimizer's weight decay). */
  l2?: number;
  /** Global gradient-norm clipping (torch.nn.utils.clip_grad_norm_); absent or null = off. */
  clipGradNorm?: number | null;
  /** Elementwise gradient clipping to [-v, v] (torch.nn.utils.clip_grad_value_); absent or null = off. */
  clipGradValue?: number | null;
}

export interface TrainingSpec {
  batchSize: number;
  seed?: number;
  /** Steps to run when a runner is not told otherwise (CLI jobs carry their own count). */
  steps?: number;
}

// ---------------------------------------------------------------- parameter groups and update steps

/** A parameter group (torch: the parameter list handed to ONE optimizer): the parameters of these top-level layers
 * (residual bodies included), with the group's own optimizer (its own state, step counter and bias corrections)
 * and lr schedule. Absent optimizer/schedule: the spec's top-level ones. Layers in no group are never updated. */
export interface ParamGroupSpec {
  name: string;
  layers: number[];
  optimizer?: OptimizerSpec;
  schedule?: ScheduleSpec;
}

/** An update step (torch: `opt.zero_grad(); loss(model[from:to](x), y).backward(); opt.step()`): the forward of
 * model.layers[from, to) on the step's own rows, its loss, and the update of ONE group's parameters. Gradients reach
 * only that group: other parameters in the slice are read but never written. */
export interface UpdateStepSpec {
  name: string;
  group: string;
  /** Layer slice run by this step (default the whole model); the input shape is what flows into layer `from`. */
  from?: number;
  to?: number;
  /** Default: the spec's loss. */
  loss?: LossSpec;
  /** Rows per step (default training.batchSize). */
  batchSize?: number;
}

/** An evaluation entry over a layer slice (e.g. a GAN's generator or a VAE's decoder alone), inside the Program. */
export interface EvaluationSpec {
  name: string;
  from?: number;
  to?: number;
}

export interface ExperimentSpec {
  /** May be absent when a job supplies its own batches. */
  data?: DataSpec;
  model: ModelSpec;
  loss: LossSpec;
  optimizer: OptimizerSpec;
  schedule?: ScheduleSpec;
  regularization?: RegularizationSpec;
  training: TrainingSpec;
  /** Absent: one group of every layer with `optimizer` and `schedule`, one step (today's behaviour exactly). */
  groups?: ParamGroupSpec[];
  /** The update steps a runtime can run by name (requires groups; default one whole-model step per group). The
   * first is the one `trainSteps` runs, on the spec's data. */
  steps?: UpdateStepSpec[];
  evaluations?: EvaluationSpec[];
}

// ---------------------------------------------------------------- normalized forms (every default filled)

/** Makes the listed optional keys required, recursively for nothing else. */
type Filled<T> = T extends unknown ? { [K in keyof T]-?: Exclude<T[K], undefined> } : never;

export type NormalizedLayer =
  | (Filled<Omit<DenseLayer, 'init'>> & { init: Filled<InitSpec> })
  | (Filled<Omit<Conv2dLayer, 'init'>> & { init: Filled<InitSpec> })
  | Filled<Pool2dLayer>
  | FlattenLayer
  | Filled<BatchNormLayer>
  | Filled<LayerNormLayer>
  | DropoutLayer
  /** Only the activation's own parameter (slope or alpha) is filled. */
  | ActivationLayer
  | { type: 'residual'; layers: NormalizedLayer[] }
  | EmbeddingLayer
  /** maxLen only for kind learned. */
  | PositionalLayer
  | Filled<AttentionLayer>
  | Filled<RecurrentLayer>
  | SeqPoolLayer
  | ReshapeLayer
  | (Filled<Omit<ConvTranspose2dLayer, 'init'>> & { init: Filled<InitSpec> })
  | UpsampleLayer
  | StopGradientLayer
  | Filled<SampleNormalLayer>;

/** The normalized layer of one type: `LayerOf<'dense'>`; for the types that share a member (activations, pools,
 * recurrent cells), that member. */
export type LayerOf<T extends LayerType> = NormalizedLayer extends infer L
  ? L extends { type: infer U }
    ? T extends U
      ? L
      : never
    : never
  : never;

/** A data section with every default filled (for mnist: noise 0, classes 10, no features, no extra points). */
export type NormalizedData = Filled<DataSpec>;

export interface NormalizedSpec {
  data: NormalizedData | null;
  model: { input: number[]; layers: NormalizedLayer[] };
  loss: Filled<LossSpec>;
  optimizer: Filled<OptimizerSpec>;
  schedule: Filled<ScheduleSpec>;
  regularization: { l1: number; l2: number; clipGradNorm: number | null; clipGradValue: number | null };
  training: Filled<TrainingSpec>;
  /** Present only when the spec names groups (so specs without them normalize exactly as before). */
  groups?: NormalizedGroup[];
  steps?: NormalizedStep[];
  evaluations?: Required<EvaluationSpec>[];
}

export interface NormalizedGroup {
  name: string;
  layers: number[];
  optimizer: Filled<OptimizerSpec>;
  schedule: Filled<ScheduleSpec>;
}

export interface NormalizedStep {
  name: string;
  group: string;
  from: number;
  to: number;
  loss: Filled<LossSpec>;
  batchSize: number;
}

// ---------------------------------------------------------------- tensors and weights exchange

/** A dense row-major tensor as it travels in JSON jobs and results. */
export interface TensorJson {
  shape: number[];
  data: number[];
}

/** The PyTorch state dict of the equivalent nn.Sequential: `<i>.weight`, `<i>.bias`, `<i>.running_mean`,
 * `<i>.running_var`; residual bodies nest as `<i>.layers.<j>.weight`. Linear weight [out, in]; Conv2d [out, in, kh, kw]. */
export type StateDict = Record<string, TensorJson>;

/** A validation failure: `path` is the dotted/indexed location (`model.layers[2].units`), `message` the whole sentence
 * shown to people, which always starts with the path. */
export interface SpecError {
  path: string;
  message: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: SpecError[] };
