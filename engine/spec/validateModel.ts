// Validation of the model section: input shape, every layer's fields, and the shapes flowing through the layers
// (so order mistakes like "dense after conv2d without flatten" are caught with the layer's path), plus whether the
// output suits the loss and the data. Part of validate.ts, split out to keep each file to one job.

import { ACTIVATIONS } from '../graph/activations';
import type { Checker, Obj } from './check';
import { LAYER_DEFAULTS, LAYER_TYPES, LIMITS, REGRESSION_DATA } from './defaults';
import type { ActivationName, InitKind, LayerOf, LayerType, NormalizedLayer, NormalizedSpec } from './types';

const INIT_KINDS: readonly InitKind[] = [
  'default',
  'zeros',
  'normal',
  'xavier_uniform',
  'xavier_normal',
  'he_uniform',
  'he_normal',
];

/** Shape flowing through the layers, and who produced it (for "dense after conv2d" messages). */
export interface Flow {
  shape: number[];
  from: string;
  params: number;
  /** Paths of batchnorm layers on feature vectors (they need a batch of at least 2, as in PyTorch). */
  bnVectors: string[];
  /** Sum over layers of per-example output elements: a bound on activation memory per example. */
  actElements: number;
}

export function checkInput(c: Checker, raw: unknown): number[] | null {
  const arr = c.array('model.input', raw, 1, 3);
  if (arr === null) return null;
  const dims = arr.map((v, i) => c.int(`model.input[${i}]`, v, 1, LIMITS.inputDim));
  const total = dims.reduce((a, b) => a * b, 1);
  if (total > LIMITS.inputElements)
    c.fail('model.input', `has ${total} elements; the limit is ${LIMITS.inputElements}`);
  return dims;
}

/** What a layer check sees. */
interface LayerCtx {
  c: Checker;
  p: string;
  l: Obj;
  flow: Flow;
  depth: number;
  /** True when the incoming value is a [channels, height, width] map (else fails with the layer's message). */
  needSpatial(): boolean;
  /** True when the incoming value is a [T, d] sequence (else fails with the layer's message). */
  needSequence(): boolean;
  init(): { type: InitKind; std: number };
}

/** One entry per layer type: its allowed fields and its check, which normalizes the layer and moves the flow's
 * shape on. Keyed by LayerType, so a layer type without validation is a type error (as one without lowering is in
 * engine/graph/layers.ts). */
interface LayerCheck<T extends LayerType> {
  fields: readonly string[];
  check(x: LayerCtx): LayerOf<T> | null;
}

const prod = (s: number[]): number => s.reduce((a, b) => a * b, 1);

function activationCheck<T extends ActivationName>(type: T): LayerCheck<T> {
  const param = ACTIVATIONS[type].param;
  return {
    fields: param === null ? ['type'] : ['type', param.key],
    check: ({ c, p, l }) => {
      if (param === null) return { type } as LayerOf<T>;
      if (param.key === 'slope')
        return { type, slope: c.num(`${p}.slope`, l.slope, -10, 10, LAYER_DEFAULTS.activation.slope) } as LayerOf<T>;
      return {
        type,
        alpha: c.num(`${p}.alpha`, l.alpha, 0, 10, LAYER_DEFAULTS.activation.alpha, { min: true }),
      } as LayerOf<T>;
    },
  };
}

function poolCheck<T extends 'maxpool2d' | 'avgpool2d'>(type: T): LayerCheck<T> {
  return {
    fields: ['type', 'kernel', 'stride'],
    check: ({ c, p, l, flow, needSpatial }) => {
      const kernel = c.int(`${p}.kernel`, l.kernel, 1, LIMITS.kernel);
      const stride = c.int(`${p}.stride`, l.stride, 1, LIMITS.kernel, kernel);
      const layer = { type, kernel, stride } as LayerOf<T>;
      if (!needSpatial()) return layer;
      const [ch, h, w] = flow.shape;
      const oh = Math.floor((h - kernel) / stride) + 1;
      const ow = Math.floor((w - kernel) / stride) + 1;
      if (oh < 1 || ow < 1) c.failAt(p, `${type} kernel ${kernel} is larger than the ${h}x${w} input`);
      set(flow, [ch, Math.max(oh, 1), Math.max(ow, 1)], `${type} (${p})`);
      return layer;
    },
  };
}

function recurrentCheck<T extends 'rnn' | 'lstm' | 'gru'>(type: T, gates: number): LayerCheck<T> {
  return {
    fields: ['type', 'hidden', 'bidirectional', 'returnSequences'],
    check: ({ c, p, l, flow, needSequence }) => {
      const hidden = c.int(`${p}.hidden`, l.hidden, 1, LIMITS.units);
      const d = LAYER_DEFAULTS.recurrent;
      const bidirectional = c.bool(`${p}.bidirectional`, l.bidirectional, d.bidirectional);
      const returnSequences = c.bool(`${p}.returnSequences`, l.returnSequences, d.returnSequences);
      const layer = { type, hidden, bidirectional, returnSequences } as LayerOf<T>;
      if (!needSequence()) return layer;
      const [t, f] = flow.shape;
      const dirs = bidirectional ? 2 : 1;
      flow.params += dirs * gates * hidden * (f + hidden + 2);
      // Unrolled: per step and direction the gate projections and about eight [hidden] intermediates.
      flow.actElements += dirs * t * (3 * gates * hidden + 8 * hidden);
      set(flow, returnSequences ? [t, hidden * dirs] : [hidden * dirs], `${type} (${p})`);
      return layer;
    },
  };
}

const LAYER_CHECKS: { [T in LayerType]: LayerCheck<T> } = {
  dense: {
    fields: ['type', 'units', 'bias', 'init'],
    check: ({ c, p, l, flow, init }) => {
      const shape = flow.shape;
      if (shape.length === 3) c.failAt(p, `dense after ${flow.from} needs a flatten first`);
      const units = c.int(`${p}.units`, l.units, 1, LIMITS.units);
      const bias = c.bool(`${p}.bias`, l.bias, true);
      // On a [T, d] sequence dense acts per token on d, as nn.Linear does.
      const features = shape.length === 2 ? shape[1] : prod(shape);
      flow.params += units * features + (bias ? units : 0);
      set(flow, shape.length === 2 ? [shape[0], units] : [units], `dense (${p})`);
      return { type: 'dense', units, bias, init: init() };
    },
  },
  conv2d: {
    fields: ['type', 'filters', 'kernel', 'stride', 'padding', 'bias', 'init'],
    check: ({ c, p, l, flow, needSpatial, init }) => {
      const filters = c.int(`${p}.filters`, l.filters, 1, LIMITS.filters);
      const kernel = c.int(`${p}.kernel`, l.kernel, 1, LIMITS.kernel);
      const stride = c.int(`${p}.stride`, l.stride, 1, LIMITS.stride, 1);
      const padding = c.int(`${p}.padding`, l.padding, 0, LIMITS.padding, 0);
      const bias = c.bool(`${p}.bias`, l.bias, true);
      const layer = { type: 'conv2d' as const, filters, kernel, stride, padding, bias, init: init() };
      if (!needSpatial()) return layer;
      const [ch, h, w] = flow.shape;
      const oh = Math.floor((h + 2 * padding - kernel) / stride) + 1;
      const ow = Math.floor((w + 2 * padding - kernel) / stride) + 1;
      if (oh < 1 || ow < 1)
        c.failAt(p, `conv2d kernel ${kernel} does not fit the ${h}x${w} input with padding ${padding}`);
      flow.params += filters * ch * kernel * kernel + (bias ? filters : 0);
      set(flow, [filters, Math.max(oh, 1), Math.max(ow, 1)], `conv2d (${p})`);
      return layer;
    },
  },
  conv_transpose2d: {
    fields: ['type', 'filters', 'kernel', 'stride', 'padding', 'outputPadding', 'bias', 'init'],
    check: ({ c, p, l, flow, needSpatial, init }) => {
      const d = LAYER_DEFAULTS.conv_transpose2d;
      const filters = c.int(`${p}.filters`, l.filters, 1, LIMITS.filters);
      const kernel = c.int(`${p}.kernel`, l.kernel, 1, LIMITS.kernel);
      const stride = c.int(`${p}.stride`, l.stride, 1, LIMITS.stride, d.stride);
      const padding = c.int(`${p}.padding`, l.padding, 0, LIMITS.padding, d.padding);
      const outputPadding = c.int(`${p}.outputPadding`, l.outputPadding, 0, LIMITS.stride, d.outputPadding);
      const bias = c.bool(`${p}.bias`, l.bias, d.bias);
      const layer = {
        type: 'conv_transpose2d' as const,
        filters,
        kernel,
        stride,
        padding,
        outputPadding,
        bias,
        init: init(),
      };
      if (outputPadding >= stride && outputPadding > 0)
        c.failAt(p, `conv_transpose2d outputPadding ${outputPadding} must be smaller than the stride ${stride}`);
      if (!needSpatial()) return layer;
      const [ch, h, w] = flow.shape;
      const oh = (h - 1) * stride - 2 * padding + kernel + outputPadding;
      const ow = (w - 1) * stride - 2 * padding + kernel + outputPadding;
      if (oh < 1 || ow < 1) c.failAt(p, `conv_transpose2d padding ${padding} leaves no output for the ${h}x${w} input`);
      flow.params += ch * filters * kernel * kernel + (bias ? filters : 0);
      set(flow, [filters, Math.max(oh, 1), Math.max(ow, 1)], `conv_transpose2d (${p})`);
      return layer;
    },
  },
  maxpool2d: poolCheck('maxpool2d'),
  avgpool2d: poolCheck('avgpool2d'),
  upsample: {
    fields: ['type', 'scale'],
    check: ({ c, p, l, flow, needSpatial }) => {
      const scale = c.int(`${p}.scale`, l.scale, 1, LIMITS.stride);
      if (!needSpatial()) return { type: 'upsample', scale };
      const [ch, h, w] = flow.shape;
      set(flow, [ch, h * scale, w * scale], `upsample (${p})`);
      return { type: 'upsample', scale };
    },
  },
  flatten: {
    fields: ['type'],
    check: ({ p, flow }) => {
      set(flow, [prod(flow.shape)], `flatten (${p})`);
      return { type: 'flatten' };
    },
  },
  reshape: {
    fields: ['type', 'shape'],
    check: ({ c, p, l, flow }) => {
      const arr = c.array(`${p}.shape`, l.shape, 1, 3);
      if (arr === null) return null;
      const shape = arr.map((v, i) => c.int(`${p}.shape[${i}]`, v, 1, LIMITS.inputDim));
      if (prod(shape) !== prod(flow.shape))
        c.failAt(
          p,
          `reshape to ${describe(shape)} needs ${prod(shape)} values, but ${flow.from} gives ${prod(flow.shape)}`,
        );
      else set(flow, shape, `reshape (${p})`);
      return { type: 'reshape', shape };
    },
  },
  batchnorm: {
    fields: ['type', 'momentum', 'eps'],
    check: ({ c, p, l, flow }) => {
      const momentum = c.num(`${p}.momentum`, l.momentum, 0, 1, LAYER_DEFAULTS.batchnorm.momentum);
      const eps = c.num(`${p}.eps`, l.eps, 0, 1, LAYER_DEFAULTS.batchnorm.eps, { min: true });
      if (flow.shape.length === 2) c.failAt(p, `batchnorm after ${flow.from} does not take a sequence; use layernorm`);
      flow.params += 2 * flow.shape[0];
      if (flow.shape.length === 1) flow.bnVectors.push(p);
      return { type: 'batchnorm', momentum, eps };
    },
  },
  layernorm: {
    fields: ['type', 'eps'],
    check: ({ c, p, l, flow }) => {
      const eps = c.num(`${p}.eps`, l.eps, 0, 1, LAYER_DEFAULTS.layernorm.eps, { min: true });
      // Over d on a [T, d] sequence; over every trailing dim otherwise.
      flow.params += 2 * (flow.shape.length === 2 ? flow.shape[1] : prod(flow.shape));
      return { type: 'layernorm', eps };
    },
  },
  dropout: {
    fields: ['type', 'rate'],
    check: ({ c, p, l }) => ({ type: 'dropout', rate: c.num(`${p}.rate`, l.rate, 0, 1, undefined, { max: true }) }),
  },
  residual: {
    fields: ['type', 'layers'],
    check: ({ c, p, l, flow, depth }) => {
      if (depth >= LIMITS.depth) {
        c.failAt(p, `residual blocks nest at most ${LIMITS.depth} deep`);
        return null;
      }
      const body = c.array(`${p}.layers`, l.layers, 1, LIMITS.layers);
      if (body === null) return null;
      const shape = flow.shape;
      const inner: Flow = { shape: [...shape], from: flow.from, params: 0, bnVectors: flow.bnVectors, actElements: 0 };
      const layers = checkLayers(c, `${p}.layers`, body, inner, depth + 1);
      flow.params += inner.params;
      flow.actElements += inner.actElements;
      if (describe(inner.shape) !== describe(shape))
        c.failAt(p, `residual body must keep the shape ${describe(shape)}, but outputs ${describe(inner.shape)}`);
      return { type: 'residual', layers };
    },
  },
  embedding: {
    fields: ['type', 'vocab', 'dim'],
    check: ({ c, p, l, flow }) => {
      const vocab = c.int(`${p}.vocab`, l.vocab, 2, LIMITS.vocab);
      const dim = c.int(`${p}.dim`, l.dim, 1, LIMITS.units);
      if (flow.shape.length !== 1 || flow.from !== 'the input')
        c.failAt(
          p,
          `embedding needs the token ids [T] of the input, but gets ${describe(flow.shape)} from ${flow.from}`,
        );
      else {
        flow.params += vocab * dim;
        set(flow, [flow.shape[0], dim], `embedding (${p})`);
      }
      return { type: 'embedding', vocab, dim };
    },
  },
  positional: {
    fields: ['type', 'kind', 'maxLen'],
    check: ({ c, p, l, flow, needSequence }) => {
      const kind = c.oneOf(`${p}.kind`, l.kind, ['sinusoidal', 'learned'] as const);
      if (kind === null) return null;
      const [t, d] = flow.shape;
      if (kind === 'sinusoidal') {
        if (l.maxLen !== undefined) c.fail(`${p}.maxLen`, 'is only for kind learned');
        if (needSequence() && d % 2 !== 0) c.failAt(p, `sinusoidal positions need an even width, not ${d}`);
        return { type: 'positional', kind };
      }
      const maxLen = c.int(`${p}.maxLen`, l.maxLen, 1, LIMITS.inputDim);
      if (needSequence()) {
        if (maxLen < t) c.failAt(p, `positional maxLen ${maxLen} is shorter than the sequence (${t})`);
        flow.params += maxLen * d;
      }
      return { type: 'positional', kind, maxLen };
    },
  },
  attention: {
    fields: ['type', 'heads', 'causal'],
    check: ({ c, p, l, flow, needSequence }) => {
      const heads = c.int(`${p}.heads`, l.heads, 1, 64);
      const causal = c.bool(`${p}.causal`, l.causal, false);
      if (needSequence()) {
        const d = flow.shape[1];
        if (d % heads !== 0) c.failAt(p, `attention width ${d} is not divisible by ${heads} heads`);
        flow.params += 4 * d * d + 4 * d;
        flow.actElements += flow.shape[0] * (4 * d + 2 * heads * flow.shape[0]);
      }
      return { type: 'attention', heads, causal };
    },
  },
  rnn: recurrentCheck('rnn', 1),
  lstm: recurrentCheck('lstm', 4),
  gru: recurrentCheck('gru', 3),
  seqpool: {
    fields: ['type', 'mode'],
    check: ({ c, p, l, flow, needSequence }) => {
      const mode = c.oneOf(`${p}.mode`, l.mode, ['mean', 'last'] as const);
      if (mode === null) return null;
      if (needSequence()) set(flow, [flow.shape[1]], `seqpool (${p})`);
      return { type: 'seqpool', mode };
    },
  },
  stop_gradient: { fields: ['type'], check: () => ({ type: 'stop_gradient' }) },
  sample_normal: {
    fields: ['type', 'klWeight'],
    check: ({ c, p, l, flow }) => {
      const klWeight = c.num(`${p}.klWeight`, l.klWeight, 0, 1e6, LAYER_DEFAULTS.sample_normal.klWeight);
      if (flow.shape.length !== 1 || flow.shape[0] % 2 !== 0)
        c.failAt(
          p,
          `sample_normal needs [2k] features (mu then log-variance), but ${flow.from} gives ${describe(flow.shape)}`,
        );
      else set(flow, [flow.shape[0] / 2], `sample_normal (${p})`);
      return { type: 'sample_normal', klWeight };
    },
  },
  relu: activationCheck('relu'),
  leaky_relu: activationCheck('leaky_relu'),
  elu: activationCheck('elu'),
  gelu: activationCheck('gelu'),
  silu: activationCheck('silu'),
  sigmoid: activationCheck('sigmoid'),
  tanh: activationCheck('tanh'),
  softplus: activationCheck('softplus'),
};

export function checkLayers(c: Checker, path: string, raw: unknown[], flow: Flow, depth: number): NormalizedLayer[] {
  const out: NormalizedLayer[] = [];
  raw.forEach((lr, i) => {
    const p = `${path}[${i}]`;
    const l = c.obj(p, lr);
    if (l === null) return;
    const type = c.oneOf(`${p}.type`, l.type, LAYER_TYPES);
    if (type === null) return;
    const entry = LAYER_CHECKS[type] as LayerCheck<LayerType>;
    c.known(p, l, entry.fields);
    const layer = entry.check(layerCtx(c, p, type, l, flow, depth));
    if (layer !== null) out.push(layer);
  });
  return out;
}

function describe(shape: number[]): string {
  return `[${shape.join(', ')}]`;
}

function layerCtx(c: Checker, p: string, type: string, l: Obj, flow: Flow, depth: number): LayerCtx {
  return {
    c,
    p,
    l,
    flow,
    depth,
    needSpatial: () => {
      if (flow.shape.length === 3) return true;
      c.failAt(
        p,
        `${type} after ${flow.from} needs a [channels, height, width] input, but gets ${describe(flow.shape)}`,
      );
      return false;
    },
    needSequence: () => {
      if (flow.shape.length === 2) return true;
      c.failAt(p, `${type} after ${flow.from} needs a [T, features] sequence, but gets ${describe(flow.shape)}`);
      return false;
    },
    init: () => {
      const d = LAYER_DEFAULTS.dense.init;
      if (l.init === undefined) return { type: d.type, std: d.std };
      // Shorthand: "init": "he_normal".
      const o: Obj | null = typeof l.init === 'string' ? { type: l.init } : c.obj(`${p}.init`, l.init);
      if (o === null) return { type: d.type, std: d.std };
      c.known(`${p}.init`, o, ['type', 'std']);
      const kind = c.oneOf(`${p}.init.type`, o.type, INIT_KINDS) ?? 'default';
      const std = c.num(`${p}.init.std`, o.std, 0, 10, d.std, { min: true });
      return { type: kind, std };
    },
  };
}

function set(flow: Flow, shape: number[], from: string): void {
  flow.shape = shape;
  flow.from = from;
  flow.actElements += shape.reduce((a, b) => a * b, 1);
}

/** The model's output must suit the loss and the data. */
export function checkHead(c: Checker, out: Flow, loss: NormalizedSpec['loss'], data: NormalizedSpec['data']): void {
  // A [T, C] sequence output: cross_entropy per token against [T] targets, other losses over every element.
  if (out.shape.length === 2 && data === null) {
    if (loss.type === 'cross_entropy' && out.shape[1] < 2)
      c.failAt('model.layers', 'cross_entropy needs an output of at least 2 units (one per class)');
    return;
  }
  if (out.shape.length !== 1) {
    c.failAt('model.layers', `the last layer outputs ${describe(out.shape)}; add flatten (and dense) before the loss`);
    return;
  }
  const units = out.shape[0];
  if (loss.type === 'cross_entropy' && units < 2)
    c.failAt('model.layers', 'cross_entropy needs an output of at least 2 units (one per class)');
  if (data === null) return;
  // MNIST with another loss is reported once, by the data checks (validateData.ts), not as unit mismatches here.
  if (data.kind === 'mnist' && loss.type !== 'cross_entropy') return;
  const regression = REGRESSION_DATA.includes(data.kind);
  if (regression && (loss.type === 'cross_entropy' || loss.type === 'bce_logits'))
    c.failAt('loss.type', `${loss.type} needs class labels, but data.kind ${data.kind} is a regression set`);
  if (loss.type === 'cross_entropy' && units !== data.classes)
    c.failAt('model.layers', `the output has ${units} units but data has ${data.classes} classes`);
  if (loss.type !== 'cross_entropy' && units !== 1)
    c.failAt('model.layers', `${loss.type} on data.kind ${data.kind} needs 1 output unit, not ${units}`);
  if (!regression && loss.type !== 'cross_entropy' && data.classes !== 2)
    c.failAt('loss.type', `${loss.type} supports 2 classes; use cross_entropy for ${data.classes}`);
}
