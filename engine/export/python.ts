// The spec-specific parts of an exported train.py, written as Python source: the model as the nn.Sequential whose
// state dict the engine uses (engine/README.md, "Weights travel as..."), the loss, the torch.optim optimizer, the
// schedule as the closed-form lr(t) of engine/optim/schedules.ts and onecycle's momentum cycling. Each table maps
// a spec kind to its code, so a new layer, loss, optimizer or schedule is one entry here.
// Not here: the fixed parts of train.py (trainPy.ts) and the files of the project (project.ts).

import type { ActivationName, NormalizedLayer, NormalizedSpec } from '../spec/types';

/** A JS value as a Python literal (numbers, booleans, null, strings, arrays, plain objects). */
export function py(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return Number.isNaN(v) ? "float('nan')" : v > 0 ? "float('inf')" : "float('-inf')";
    return String(v);
  }
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(py).join(', ')}]`;
  if (typeof v === 'object')
    return `{${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${JSON.stringify(k)}: ${py(x)}`)
      .join(', ')}}`;
  throw new Error(`no Python literal for ${typeof v}`);
}

/** As py(), but a dict whose one-line form is long gets one key per line (readable constants in train.py). */
export function pyBlock(v: unknown, indent = ''): string {
  const line = py(v);
  if (line.length + indent.length <= 100 || typeof v !== 'object' || v === null || Array.isArray(v)) return line;
  const inner = `${indent}    `;
  const rows = Object.entries(v as Record<string, unknown>).map(
    ([k, x]) => `${inner}${JSON.stringify(k)}: ${pyBlock(x, inner)},`,
  );
  return `{\n${rows.join('\n')}\n${indent}}`;
}

const prod = (s: number[]): number => s.reduce((a, b) => a * b, 1);
const shapeText = (s: number[]): string => `[${s.join(', ')}]`;

const ACTIVATIONS: { [A in ActivationName]: (l: { slope?: number; alpha?: number }) => string } = {
  relu: () => 'nn.ReLU()',
  leaky_relu: (l) => `nn.LeakyReLU(${py(l.slope ?? 0.01)})`,
  elu: (l) => `nn.ELU(${py(l.alpha ?? 1)})`,
  gelu: () => 'nn.GELU()',
  silu: () => 'nn.SiLU()',
  sigmoid: () => 'nn.Sigmoid()',
  tanh: () => 'nn.Tanh()',
  softplus: () => 'nn.Softplus()',
};

/** Layer types train.py cannot build yet: the sequence and generative layers (their train.py support comes with
 * their UI). Their specs are refused with one message per layer instead of an export that would not match. */
const NOT_EXPORTED = new Set<NormalizedLayer['type']>([
  'embedding',
  'positional',
  'attention',
  'rnn',
  'lstm',
  'gru',
  'seqpool',
  'stop_gradient',
  'sample_normal',
]);

/** Why a spec cannot be exported (empty when it can). */
export function notExportable(spec: NormalizedSpec): string[] {
  const out: string[] = [];
  if (spec.model.input.length === 2)
    out.push('model.input: a [T, features] sequence input cannot be exported to train.py yet');
  const walk = (layers: NormalizedLayer[], path: string): void =>
    layers.forEach((l, i) => {
      if (NOT_EXPORTED.has(l.type)) out.push(`${path}[${i}]: ${l.type} layers cannot be exported to train.py yet`);
      if (l.type === 'residual') walk(l.layers, `${path}[${i}].layers`);
    });
  walk(spec.model.layers, 'model.layers');
  if (spec.groups !== undefined)
    out.push('groups: parameter groups and update steps cannot be exported to train.py yet');
  return out;
}

interface ModelWalk {
  lines: string[];
  /** Dropout layers get the engine's RNG stream numbers in this (depth-first) order, as graph/layers.ts assigns. */
  dropouts: number;
  hasBatchNorm: boolean;
  hasResidual: boolean;
}

/** One module expression per layer and the per-example shape it outputs. */
function moduleOf(layer: NormalizedLayer, shape: number[], walk: ModelWalk, indent: string): [string, number[]] {
  switch (layer.type) {
    case 'dense': {
      const bias = layer.bias ? '' : ', bias=False';
      return [`nn.Linear(${prod(shape)}, ${layer.units}${bias})`, [layer.units]];
    }
    case 'conv2d': {
      const [c, h, w] = shape;
      const { kernel: k, stride: s, padding: p } = layer;
      const out = [layer.filters, Math.floor((h + 2 * p - k) / s) + 1, Math.floor((w + 2 * p - k) / s) + 1];
      const bias = layer.bias ? '' : ', bias=False';
      return [`nn.Conv2d(${c}, ${layer.filters}, kernel_size=${k}, stride=${s}, padding=${p}${bias})`, out];
    }
    case 'maxpool2d':
    case 'avgpool2d': {
      const [c, h, w] = shape;
      const { kernel: k, stride: s } = layer;
      const cls = layer.type === 'maxpool2d' ? 'nn.MaxPool2d' : 'nn.AvgPool2d';
      return [`${cls}(${k}, stride=${s})`, [c, Math.floor((h - k) / s) + 1, Math.floor((w - k) / s) + 1]];
    }
    case 'flatten':
      return ['nn.Flatten()', [prod(shape)]];
    case 'batchnorm': {
      walk.hasBatchNorm = true;
      const cls = shape.length === 3 ? 'nn.BatchNorm2d' : 'nn.BatchNorm1d';
      return [`${cls}(${shape[0]}, eps=${py(layer.eps)}, momentum=${py(layer.momentum)})`, shape];
    }
    case 'layernorm':
      return [`nn.LayerNorm(${shapeText(shape)}, eps=${py(layer.eps)})`, shape];
    case 'dropout':
      walk.dropouts++;
      return [`Dropout(${py(layer.rate)}, stream=${walk.dropouts})`, shape];
    case 'residual': {
      walk.hasResidual = true;
      const inner = sequentialLines(layer.layers, shape, walk, `${indent}    `);
      return [`Residual(\n${inner.join('\n')}\n${indent})`, shape];
    }
    case 'reshape':
      return [`nn.Unflatten(1, ${py(layer.shape)})`, [...layer.shape]];
    case 'conv_transpose2d': {
      const [c, h, w] = shape;
      const { kernel: k, stride: s, padding: p, outputPadding: op } = layer;
      const out = [layer.filters, (h - 1) * s - 2 * p + k + op, (w - 1) * s - 2 * p + k + op];
      const bias = layer.bias ? '' : ', bias=False';
      return [
        `nn.ConvTranspose2d(${c}, ${layer.filters}, kernel_size=${k}, stride=${s}, padding=${p}, output_padding=${op}${bias})`,
        out,
      ];
    }
    case 'upsample':
      return [
        `nn.Upsample(scale_factor=${layer.scale}, mode='nearest')`,
        [shape[0], shape[1] * layer.scale, shape[2] * layer.scale],
      ];
    case 'embedding':
    case 'positional':
    case 'attention':
    case 'rnn':
    case 'lstm':
    case 'gru':
    case 'seqpool':
    case 'stop_gradient':
    case 'sample_normal':
      // exportProject refuses these first (notExportable).
      throw new Error(`${layer.type} layers cannot be exported to train.py yet`);
    default:
      return [ACTIVATIONS[layer.type](layer), shape];
  }
}

function sequentialLines(layers: NormalizedLayer[], input: number[], walk: ModelWalk, indent: string): string[] {
  let shape = input;
  return layers.map((layer, i) => {
    const [code, out] = moduleOf(layer, shape, walk, indent);
    shape = out;
    return `${indent}${code},  # ${i}: ${shapeText(out)}`;
  });
}

export interface ModelCode {
  /** `def build_model(): ...` */
  code: string;
  dropouts: number;
  hasBatchNorm: boolean;
  hasResidual: boolean;
}

export function modelCode(spec: NormalizedSpec): ModelCode {
  const walk: ModelWalk = { lines: [], dropouts: 0, hasBatchNorm: false, hasResidual: false };
  const lines = sequentialLines(spec.model.layers, spec.model.input, walk, '        ');
  const code = [
    'def build_model():',
    `    """The spec's layers; indices are the state-dict keys (input ${shapeText(spec.model.input)} per example)."""`,
    '    return nn.Sequential(',
    ...lines,
    '    )',
  ].join('\n');
  return { code, dropouts: walk.dropouts, hasBatchNorm: walk.hasBatchNorm, hasResidual: walk.hasResidual };
}

export function lossCode(spec: NormalizedSpec): string {
  const l = spec.loss;
  switch (l.type) {
    case 'mse':
      return 'nn.MSELoss()';
    case 'mae':
      return 'nn.L1Loss()';
    case 'huber':
      return `nn.HuberLoss(delta=${py(l.delta)})`;
    case 'bce_logits':
      return 'nn.BCEWithLogitsLoss()';
    case 'cross_entropy':
      return `nn.CrossEntropyLoss(label_smoothing=${py(l.labelSmoothing)})`;
  }
}

export function optimizerCode(spec: NormalizedSpec): string {
  const o = spec.optimizer;
  switch (o.type) {
    case 'sgd':
      return `torch.optim.SGD(params, lr=${py(o.lr)}, momentum=${py(o.momentum)}, dampening=${py(o.dampening)}, nesterov=${py(o.nesterov)}, weight_decay=${py(o.weightDecay)})`;
    case 'rmsprop':
      return `torch.optim.RMSprop(params, lr=${py(o.lr)}, alpha=${py(o.alpha)}, eps=${py(o.eps)}, momentum=${py(o.momentum)}, centered=${py(o.centered)}, weight_decay=${py(o.weightDecay)})`;
    case 'adagrad':
      return `torch.optim.Adagrad(params, lr=${py(o.lr)}, lr_decay=${py(o.lrDecay)}, weight_decay=${py(o.weightDecay)}, initial_accumulator_value=${py(o.initialAccumulatorValue)}, eps=${py(o.eps)})`;
    case 'adam':
    case 'adamw': {
      const cls = o.type === 'adam' ? 'Adam' : 'AdamW';
      return `torch.optim.${cls}(params, lr=${py(o.lr)}, betas=(${py(o.betas[0])}, ${py(o.betas[1])}), eps=${py(o.eps)}, weight_decay=${py(o.weightDecay)})`;
    }
  }
}

type Schedule = NormalizedSpec['schedule'];

/** The body of `curve(t)`: the schedule's own lr at t >= 0 after warm-up (schedules.ts `curve`). */
const CURVES: { [T in Schedule['type']]: (s: Extract<Schedule, { type: T }>) => string[] } = {
  constant: () => ['return BASE_LR'],
  step: (s) => [`return BASE_LR * ${py(s.gamma)} ** (t // ${s.stepSize})`],
  exponential: (s) => [`return BASE_LR * ${py(s.gamma)} ** t`],
  cosine: (s) => [
    `T, min_lr = ${s.totalSteps - s.warmupSteps}, ${py(s.minLr)}  # CosineAnnealingLR(T_max=totalSteps - warmup)`,
    'if t >= T:',
    '    return min_lr',
    'return min_lr + (BASE_LR - min_lr) * (1 + math.cos(math.pi * t / T)) / 2',
  ],
  cosine_restarts: (s) => [
    `t0, t_mult, min_lr = ${s.t0}, ${py(s.tMult)}, ${py(s.minLr)}  # CosineAnnealingWarmRestarts`,
    't_cur, t_i = t, t0',
    'if t_mult == 1:',
    '    t_cur = t % t0',
    'elif t >= t0:',
    '    n = math.floor(math.log(t / t0 * (t_mult - 1) + 1) / math.log(t_mult))',
    '    t_cur = t - t0 * (t_mult ** n - 1) / (t_mult - 1)',
    '    t_i = t0 * t_mult ** n',
    'return min_lr + (BASE_LR - min_lr) * (1 + math.cos(math.pi * t_cur / t_i)) / 2',
  ],
  onecycle: (s) => [
    '# OneCycleLR, anneal_strategy "cos", in closed form',
    `initial = ${py(s.maxLr)} / ${py(s.divFactor)}`,
    `end1, end2 = ${py(s.pctStart)} * ${s.totalSteps} - 1, ${s.totalSteps} - 1`,
    'step = min(t, end2)',
    'if step <= end1:',
    `    return anneal(initial, ${py(s.maxLr)}, step / end1)`,
    `return anneal(${py(s.maxLr)}, initial / ${py(s.finalDivFactor)}, (step - end1) / (end2 - end1))`,
  ],
  plateau: () => ['return PLATEAU.lr  # ReduceLROnPlateau, stepped once per epoch in train()'],
};

function curveLines(s: Schedule): string[] {
  // The table is typed per kind; TS cannot narrow the lookup by itself.
  return (CURVES[s.type] as (s: Schedule) => string[])(s);
}

/** lr_at(step), momentum_at(step) and, for plateau, its state: schedules.ts in Python. */
export function scheduleCode(spec: NormalizedSpec): string {
  const s = spec.schedule;
  const out: string[] = [`BASE_LR = ${py(spec.optimizer.lr)}`, `WARMUP_STEPS = ${s.warmupSteps}`, '', ''];
  if (s.type === 'onecycle') out.push(ANNEAL, '');
  if (s.type === 'plateau') out.push(plateauCode(s), '');
  out.push(
    'def curve(t):',
    `    """The ${s.type} schedule's learning rate at t >= 0 steps after warm-up."""`,
    ...curveLines(s).map((l) => `    ${l}`),
    '',
    '',
    'def lr_at(step):',
    '    """The learning rate of 0-based step `step`: warm-up (t+1)/w of the start, then the schedule."""',
    '    if step < WARMUP_STEPS:',
    '        return curve(0) * (step + 1) / WARMUP_STEPS',
    '    return curve(step - WARMUP_STEPS)',
    '',
    '',
    'def momentum_at(step):',
  );
  if (s.type === 'onecycle' && s.cycleMomentum) {
    const what = spec.optimizer.type === 'adam' || spec.optimizer.type === 'adamw' ? 'beta1' : 'momentum';
    out.push(
      `    """OneCycleLR's cycle_momentum: ${what} from ${s.maxMomentum} down to ${s.baseMomentum} and back, against the lr."""`,
      `    step = min(max(step - WARMUP_STEPS, 0), ${s.totalSteps} - 1)`,
      `    end1, end2 = ${py(s.pctStart)} * ${s.totalSteps} - 1, ${s.totalSteps} - 1`,
      '    if step <= end1:',
      `        return anneal(${py(s.maxMomentum)}, ${py(s.baseMomentum)}, step / end1)`,
      `    return anneal(${py(s.baseMomentum)}, ${py(s.maxMomentum)}, (step - end1) / (end2 - end1))`,
    );
  } else out.push('    """This schedule leaves the momentum alone."""', '    return None');
  const adam = spec.optimizer.type === 'adam' || spec.optimizer.type === 'adamw';
  out.push(
    '',
    '',
    'def set_hypers(optimizer, step):',
    '    """Sets the step\'s learning rate (and cycled momentum) before optimizer.step(), as the engine does."""',
    '    lr, momentum = lr_at(step), momentum_at(step)',
    '    for group in optimizer.param_groups:',
    "        group['lr'] = lr",
    '        if momentum is not None:',
    adam ? "            group['betas'] = (momentum, group['betas'][1])" : "            group['momentum'] = momentum",
    '    return lr',
  );
  return out.join('\n');
}

const ANNEAL = [
  'def anneal(a, b, pct):',
  '    """OneCycleLR\'s cosine annealing from a to b at pct in [0, 1]."""',
  '    return b + (a - b) / 2 * (math.cos(math.pi * pct) + 1)',
  '',
].join('\n');

function plateauCode(s: Extract<Schedule, { type: 'plateau' }>): string {
  return [
    'class Plateau:',
    '    """ReduceLROnPlateau (mode min, relative threshold, no cooldown), stepped at each epoch end on the validation',
    `    loss, or on the epoch's mean training loss when there is no validation split (as the engine does)."""`,
    '',
    `    factor, patience, min_lr, threshold = ${py(s.factor)}, ${s.patience}, ${py(s.minLr)}, ${py(s.threshold)}`,
    '',
    '    def __init__(self):',
    "        self.best, self.bad_epochs, self.lr = float('inf'), 0, BASE_LR",
    '',
    '    def step(self, metric):',
    '        if metric < self.best * (1 - self.threshold):',
    '            self.best, self.bad_epochs = metric, 0',
    '        else:',
    '            self.bad_epochs += 1',
    '        if self.bad_epochs > self.patience:',
    '            reduced = max(self.lr * self.factor, self.min_lr)',
    '            if self.lr - reduced > 1e-8:',
    '                self.lr = reduced',
    '            self.bad_epochs = 0',
    '',
    '',
    'PLATEAU = Plateau()',
    '',
  ].join('\n');
}
