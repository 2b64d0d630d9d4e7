// Validation of the model section: input shape, every layer's fields, and the shapes flowing through the layers
// (so order mistakes like "dense after conv2d without flatten" are caught with the layer's path), plus whether the
// output suits the loss and the data. Part of validate.ts, split out to keep each file to one job.

import { ACTIVATIONS, isActivation } from '../graph/activations';
import type { Checker, Obj } from './check';
import { LAYER_DEFAULTS, LAYER_TYPES, LIMITS, REGRESSION_DATA } from './defaults';
import type { InitKind, NormalizedLayer, NormalizedSpec } from './types';

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
  if (arr.length === 2) {
    c.fail('model.input', 'must be [features] or [channels, height, width]');
    return null;
  }
  const dims = arr.map((v, i) => c.int(`model.input[${i}]`, v, 1, LIMITS.inputDim));
  const total = dims.reduce((a, b) => a * b, 1);
  if (total > LIMITS.inputElements)
    c.fail('model.input', `has ${total} elements; the limit is ${LIMITS.inputElements}`);
  return dims;
}

const LAYER_FIELDS: Record<string, readonly string[]> = {
  dense: ['type', 'units', 'bias', 'init'],
  conv2d: ['type', 'filters', 'kernel', 'stride', 'padding', 'bias', 'init'],
  maxpool2d: ['type', 'kernel', 'stride'],
  avgpool2d: ['type', 'kernel', 'stride'],
  flatten: ['type'],
  batchnorm: ['type', 'momentum', 'eps'],
  layernorm: ['type', 'eps'],
  dropout: ['type', 'rate'],
  residual: ['type', 'layers'],
};

export function checkLayers(c: Checker, path: string, raw: unknown[], flow: Flow, depth: number): NormalizedLayer[] {
  const out: NormalizedLayer[] = [];
  raw.forEach((lr, i) => {
    const p = `${path}[${i}]`;
    const l = c.obj(p, lr);
    if (l === null) return;
    const type = c.oneOf(`${p}.type`, l.type, LAYER_TYPES);
    if (type === null) return;
    const fields = LAYER_FIELDS[type] ?? ['type', ACTIVATIONS[type as keyof typeof ACTIVATIONS]?.param?.key ?? 'type'];
    c.known(p, l, fields);
    const layer = checkLayer(c, p, type, l, flow, depth);
    if (layer !== null) out.push(layer);
  });
  return out;
}

function describe(shape: number[]): string {
  return `[${shape.join(', ')}]`;
}

function checkLayer(c: Checker, p: string, type: string, l: Obj, flow: Flow, depth: number): NormalizedLayer | null {
  const shape = flow.shape;
  const spatial = shape.length === 3;
  const needSpatial = (): boolean => {
    if (spatial) return true;
    c.failAt(p, `${type} after ${flow.from} needs a [channels, height, width] input, but gets ${describe(shape)}`);
    return false;
  };
  const init = (): { type: InitKind; std: number } => {
    const d = LAYER_DEFAULTS.dense.init;
    if (l.init === undefined) return { type: d.type, std: d.std };
    // Shorthand: "init": "he_normal".
    const o: Obj | null = typeof l.init === 'string' ? { type: l.init } : c.obj(`${p}.init`, l.init);
    if (o === null) return { type: d.type, std: d.std };
    c.known(`${p}.init`, o, ['type', 'std']);
    const kind = c.oneOf(`${p}.init.type`, o.type, INIT_KINDS) ?? 'default';
    const std = c.num(`${p}.init.std`, o.std, 0, 10, d.std, { min: true });
    return { type: kind, std };
  };
  switch (type) {
    case 'dense': {
      if (spatial) c.failAt(p, `dense after ${flow.from} needs a flatten first`);
      const units = c.int(`${p}.units`, l.units, 1, LIMITS.units);
      const bias = c.bool(`${p}.bias`, l.bias, true);
      const features = shape.reduce((a, b) => a * b, 1);
      flow.params += units * features + (bias ? units : 0);
      set(flow, [units], `dense (${p})`);
      return { type: 'dense', units, bias, init: init() };
    }
    case 'conv2d': {
      const filters = c.int(`${p}.filters`, l.filters, 1, LIMITS.filters);
      const kernel = c.int(`${p}.kernel`, l.kernel, 1, LIMITS.kernel);
      const stride = c.int(`${p}.stride`, l.stride, 1, LIMITS.stride, 1);
      const padding = c.int(`${p}.padding`, l.padding, 0, LIMITS.padding, 0);
      const bias = c.bool(`${p}.bias`, l.bias, true);
      const layer = { type: 'conv2d' as const, filters, kernel, stride, padding, bias, init: init() };
      if (!needSpatial()) return layer;
      const [ch, h, w] = shape;
      const oh = Math.floor((h + 2 * padding - kernel) / stride) + 1;
      const ow = Math.floor((w + 2 * padding - kernel) / stride) + 1;
      if (oh < 1 || ow < 1)
        c.failAt(p, `conv2d kernel ${kernel} does not fit the ${h}x${w} input with padding ${padding}`);
      flow.params += filters * ch * kernel * kernel + (bias ? filters : 0);
      set(flow, [filters, Math.max(oh, 1), Math.max(ow, 1)], `conv2d (${p})`);
      return layer;
    }
    case 'maxpool2d':
    case 'avgpool2d': {
      const kernel = c.int(`${p}.kernel`, l.kernel, 1, LIMITS.kernel);
      const stride = c.int(`${p}.stride`, l.stride, 1, LIMITS.kernel, kernel);
      const layer = { type, kernel, stride } as NormalizedLayer;
      if (!needSpatial()) return layer;
      const [ch, h, w] = shape;
      const oh = Math.floor((h - kernel) / stride) + 1;
      const ow = Math.floor((w - kernel) / stride) + 1;
      if (oh < 1 || ow < 1) c.failAt(p, `${type} kernel ${kernel} is larger than the ${h}x${w} input`);
      set(flow, [ch, Math.max(oh, 1), Math.max(ow, 1)], `${type} (${p})`);
      return layer;
    }
    case 'flatten':
      set(flow, [shape.reduce((a, b) => a * b, 1)], `flatten (${p})`);
      return { type: 'flatten' };
    case 'batchnorm': {
      const momentum = c.num(`${p}.momentum`, l.momentum, 0, 1, LAYER_DEFAULTS.batchnorm.momentum);
      const eps = c.num(`${p}.eps`, l.eps, 0, 1, LAYER_DEFAULTS.batchnorm.eps, { min: true });
      flow.params += 2 * shape[0];
      if (shape.length === 1) flow.bnVectors.push(p);
      return { type: 'batchnorm', momentum, eps };
    }
    case 'layernorm': {
      const eps = c.num(`${p}.eps`, l.eps, 0, 1, LAYER_DEFAULTS.layernorm.eps, { min: true });
      flow.params += 2 * shape.reduce((a, b) => a * b, 1);
      return { type: 'layernorm', eps };
    }
    case 'dropout':
      return { type: 'dropout', rate: c.num(`${p}.rate`, l.rate, 0, 1, undefined, { max: true }) };
    case 'residual': {
      if (depth >= LIMITS.depth) {
        c.failAt(p, `residual blocks nest at most ${LIMITS.depth} deep`);
        return null;
      }
      const body = c.array(`${p}.layers`, l.layers, 1, LIMITS.layers);
      if (body === null) return null;
      const inner: Flow = { shape: [...shape], from: flow.from, params: 0, bnVectors: flow.bnVectors, actElements: 0 };
      const layers = checkLayers(c, `${p}.layers`, body, inner, depth + 1);
      flow.params += inner.params;
      flow.actElements += inner.actElements;
      if (describe(inner.shape) !== describe(shape))
        c.failAt(p, `residual body must keep the shape ${describe(shape)}, but outputs ${describe(inner.shape)}`);
      return { type: 'residual', layers };
    }
    default: {
      if (!isActivation(type)) return null;
      const param = ACTIVATIONS[type].param;
      if (param === null) return { type };
      if (param.key === 'slope')
        return { type, slope: c.num(`${p}.slope`, l.slope, -10, 10, LAYER_DEFAULTS.activation.slope) };
      return { type, alpha: c.num(`${p}.alpha`, l.alpha, 0, 10, LAYER_DEFAULTS.activation.alpha, { min: true }) };
    }
  }
}

function set(flow: Flow, shape: number[], from: string): void {
  flow.shape = shape;
  flow.from = from;
  flow.actElements += shape.reduce((a, b) => a * b, 1);
}

/** The model's output must suit the loss and the data. */
export function checkHead(c: Checker, out: Flow, loss: NormalizedSpec['loss'], data: NormalizedSpec['data']): void {
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
