// Lowering of spec layers to forward ops, for a training or an evaluation pass, by ONE table with an entry per layer
// type (`{ [T in LayerType]: Lowering<T> }`, as the gradient rules are), so a layer type without a lowering does not
// compile. Parameters are declared on the first pass and looked up by state-dict key on the second, so both passes
// share the same weights. Shapes are per example plus a leading batch dimension; flatten and reshape need no op (a
// tensor is row-major, so the same storage is read with a new logical shape).
//
// Values may be [features], [T, d] sequences (dense, layernorm and the elementwise layers act per token) or
// [C, H, W] maps. Each lowered layer gets an entry in the Program's layer table (key, type, label, outputs, params).

import type { ActivationName, LayerOf, LayerType, NormalizedLayer } from '../spec/types';
import { activationParam } from './activations';
import { GENERATIVE_LOWERINGS } from './lowerGen';
import { type LowerState, layerInit, namer, param, prod, stream, type Value } from './lowering';
import { SEQUENCE_LOWERINGS } from './lowerSeq';
import type { Conv2dDims } from './ops';

export type { LowerState, Value } from './lowering';

export interface Lowering<T extends LayerType> {
  lower(st: LowerState, layer: LayerOf<T>, x: Value, key: string): Value;
  /** What the layer table shows after the key, e.g. `dense, 8 units` (default: the type). */
  describe?(layer: LayerOf<T>): string;
}

function activation(): Lowering<ActivationName> {
  return {
    lower(st, l, x, key) {
      const out = st.b.act(namer(st, key)(), [st.batch, ...x.shape]);
      const p = activationParam(l.type, l);
      st.ops.push({ kind: 'unary', fn: l.type, param: p, x: x.t, out, size: st.batch * prod(x.shape) });
      return { t: out, shape: x.shape };
    },
  };
}

function pool(type: 'maxpool2d' | 'avgpool2d'): Lowering<'maxpool2d' | 'avgpool2d'> {
  return {
    lower(st, layer, x, key) {
      const [c, h, w] = x.shape;
      const dims: Conv2dDims = {
        n: st.batch,
        c,
        h,
        w,
        f: c,
        kh: layer.kernel,
        kw: layer.kernel,
        stride: layer.stride,
        pad: 0,
        oh: Math.floor((h - layer.kernel) / layer.stride) + 1,
        ow: Math.floor((w - layer.kernel) / layer.stride) + 1,
      };
      const shape = [c, dims.oh, dims.ow];
      const out = st.b.act(namer(st, key)(), [st.batch, ...shape]);
      st.ops.push({ kind: type, x: x.t, out, ...dims });
      return { t: out, shape };
    },
  };
}

export const LOWERINGS: { [T in LayerType]: Lowering<T> } = {
  dense: {
    lower(st, layer, x, key) {
      // Per token on a [T, d] sequence (as nn.Linear), else over the flattened features.
      const seq = x.shape.length === 2;
      const inF = seq ? x.shape[1] : prod(x.shape);
      const rows = st.batch * (seq ? x.shape[0] : 1);
      const units = layer.units;
      const w = param(st, `${key}.weight`, 'weight', [units, inF], layerInit(layer.init, inF, units, false), true);
      const bias = layer.bias
        ? param(st, `${key}.bias`, 'bias', [units], layerInit(layer.init, inF, units, true), false)
        : null;
      const shape = seq ? [x.shape[0], units] : [units];
      const out = st.b.act(namer(st, key)(), [st.batch, ...shape]);
      st.ops.push({ kind: 'matmul', a: x.t, b: w, bias, out, m: rows, n: units, k: inF, transA: false, transB: true });
      return { t: out, shape };
    },
    describe: (l) => `dense, ${l.units} unit${l.units === 1 ? '' : 's'}`,
  },
  conv2d: {
    lower(st, layer, x, key) {
      const [c, h, w] = x.shape;
      const k = layer.kernel;
      const dims: Conv2dDims = {
        n: st.batch,
        c,
        h,
        w,
        f: layer.filters,
        kh: k,
        kw: k,
        stride: layer.stride,
        pad: layer.padding,
        oh: Math.floor((h + 2 * layer.padding - k) / layer.stride) + 1,
        ow: Math.floor((w + 2 * layer.padding - k) / layer.stride) + 1,
      };
      const fanIn = c * k * k;
      const fanOut = layer.filters * k * k;
      const wShape = [layer.filters, c, k, k];
      const wt = param(st, `${key}.weight`, 'weight', wShape, layerInit(layer.init, fanIn, fanOut, false), true);
      const bias = layer.bias
        ? param(st, `${key}.bias`, 'bias', [layer.filters], layerInit(layer.init, fanIn, fanOut, true), false)
        : null;
      const shape = [layer.filters, dims.oh, dims.ow];
      const out = st.b.act(namer(st, key)(), [st.batch, ...shape]);
      st.ops.push({ kind: 'conv2d', x: x.t, weight: wt, bias, out, ...dims });
      return { t: out, shape };
    },
    describe: (l) => `conv2d, ${l.filters} filters ${l.kernel}x${l.kernel}`,
  },
  conv_transpose2d: {
    lower(st, layer, x, key) {
      const [cin, h, w] = x.shape;
      const k = layer.kernel;
      const { stride, padding, outputPadding, filters } = layer;
      const oh = (h - 1) * stride - 2 * padding + k + outputPadding;
      const ow = (w - 1) * stride - 2 * padding + k + outputPadding;
      // The dims of the convolution whose input gradient this is: its input is our output.
      const dims: Conv2dDims = {
        n: st.batch,
        c: filters,
        h: oh,
        w: ow,
        f: cin,
        kh: k,
        kw: k,
        stride,
        pad: padding,
        oh: h,
        ow: w,
      };
      // torch computes the fans of a [in, out, k, k] weight from dim 1: fan_in = out * k * k.
      const fanIn = filters * k * k;
      const fanOut = cin * k * k;
      const wShape = [cin, filters, k, k];
      const wt = param(st, `${key}.weight`, 'weight', wShape, layerInit(layer.init, fanIn, fanOut, false), true);
      const bias = layer.bias
        ? param(st, `${key}.bias`, 'bias', [filters], layerInit(layer.init, fanIn, fanOut, true), false)
        : null;
      const shape = [filters, oh, ow];
      const out = st.b.act(namer(st, key)(), [st.batch, ...shape]);
      st.ops.push({ kind: 'conv_transpose2d', x: x.t, weight: wt, bias, out, ...dims });
      return { t: out, shape };
    },
    describe: (l) => `conv_transpose2d, ${l.filters} filters ${l.kernel}x${l.kernel}`,
  },
  maxpool2d: pool('maxpool2d'),
  avgpool2d: pool('avgpool2d'),
  upsample: {
    lower(st, layer, x, key) {
      const [c, h, w] = x.shape;
      const shape = [c, h * layer.scale, w * layer.scale];
      const out = st.b.act(namer(st, key)(), [st.batch, ...shape]);
      st.ops.push({ kind: 'upsample', x: x.t, out, planes: st.batch * c, h, w, scale: layer.scale });
      return { t: out, shape };
    },
  },
  flatten: { lower: (_st, _layer, x) => ({ t: x.t, shape: [prod(x.shape)] }) },
  reshape: { lower: (_st, layer, x) => ({ t: x.t, shape: [...layer.shape] }) },
  batchnorm: {
    lower(st, layer, x, key) {
      const { b, batch } = st;
      const name = namer(st, key);
      const channels = x.shape[0];
      const inner = x.shape.length === 3 ? x.shape[1] * x.shape[2] : 1;
      const one = { kind: 'const', value: 1 } as const;
      const zero = { kind: 'const', value: 0 } as const;
      const gamma = param(st, `${key}.weight`, 'weight', [channels], one, false);
      const beta = param(st, `${key}.bias`, 'bias', [channels], zero, false);
      const runningMean = param(st, `${key}.running_mean`, 'running_mean', [channels], zero, false);
      const runningVar = param(st, `${key}.running_var`, 'running_var', [channels], one, false);
      const out = b.act(name(), [batch, ...x.shape]);
      const common = {
        x: x.t,
        gamma,
        beta,
        out,
        runningMean,
        runningVar,
        outer: batch,
        channels,
        inner,
        eps: layer.eps,
      };
      if (st.mode === 'eval') {
        st.ops.push({ kind: 'batchnorm_eval', ...common });
      } else {
        const saveMean = b.act(name('mean'), [channels], 'saved');
        const saveInvStd = b.act(name('invstd'), [channels], 'saved');
        st.ops.push({ kind: 'batchnorm', ...common, saveMean, saveInvStd, momentum: layer.momentum });
      }
      return { t: out, shape: x.shape };
    },
  },
  layernorm: {
    lower(st, layer, x, key) {
      const { b, batch } = st;
      const name = namer(st, key);
      // Over d on a [T, d] sequence (nn.LayerNorm(d)), over every trailing dim otherwise.
      const seq = x.shape.length === 2;
      const norm = seq ? [x.shape[1]] : [...x.shape];
      const cols = prod(norm);
      const rows = batch * (seq ? x.shape[0] : 1);
      const gamma = param(st, `${key}.weight`, 'weight', norm, { kind: 'const', value: 1 }, false);
      const beta = param(st, `${key}.bias`, 'bias', norm, { kind: 'const', value: 0 }, false);
      const out = b.act(name(), [batch, ...x.shape]);
      const saveMean = b.act(name('mean'), [rows], 'saved');
      const saveInvStd = b.act(name('invstd'), [rows], 'saved');
      st.ops.push({ kind: 'layernorm', x: x.t, gamma, beta, out, saveMean, saveInvStd, rows, cols, eps: layer.eps });
      return { t: out, shape: x.shape };
    },
  },
  dropout: {
    lower(st, _layer, x, key) {
      if (st.mode === 'eval') return x; // identity in evaluation
      const name = namer(st, key);
      const s = stream(st, key);
      const size = st.batch * prod(x.shape);
      const out = st.b.act(name(), [st.batch, ...x.shape]);
      const mask = st.b.act(name('mask'), [st.batch, ...x.shape], 'saved');
      const threshold = st.b.slot(`dropout.threshold:${key}`, 'u32');
      const scale = st.b.slot(`dropout.scale:${key}`, 'f32');
      st.ops.push({ kind: 'dropout', x: x.t, out, mask, size, threshold, scale, stream: s });
      return { t: out, shape: x.shape };
    },
  },
  residual: {
    lower(st, layer, x, key) {
      const body = lowerLayers(st, layer.layers, x, `${key}.layers.`);
      const size = st.batch * prod(x.shape);
      const out = st.b.act(namer(st, key)(), [st.batch, ...x.shape]);
      st.ops.push({ kind: 'add', a: x.t, b: body.t, out, size });
      return { t: out, shape: x.shape };
    },
  },
  ...SEQUENCE_LOWERINGS,
  ...GENERATIVE_LOWERINGS,
  relu: activation(),
  leaky_relu: activation(),
  elu: activation(),
  gelu: activation(),
  silu: activation(),
  sigmoid: activation(),
  tanh: activation(),
  softplus: activation(),
};

/** `layer 2 (dense, 8 units)`. */
export function describeLayer(layer: NormalizedLayer, key: string): string {
  const entry = LOWERINGS[layer.type] as Lowering<LayerType>;
  return `layer ${key} (${entry.describe?.(layer as LayerOf<LayerType>) ?? layer.type})`;
}

/** Lowers `layers`, keyed `<prefix><first + i>` (first > 0 when lowering the tail of a model on its own). */
export function lowerLayers(st: LowerState, layers: NormalizedLayer[], x: Value, prefix: string, first = 0): Value {
  let v = x;
  layers.forEach((layer, i) => {
    const key = `${prefix}${first + i}`;
    // The table is exhaustive by type; the cast only recovers the type-to-layer correlation TypeScript cannot track.
    const entry = LOWERINGS[layer.type] as Lowering<LayerType>;
    st.ownParams.push([]);
    const at = st.mode === 'train' ? st.layers.length : -1;
    if (st.mode === 'train')
      st.layers.push({ key, type: layer.type, label: describeLayer(layer, key), train: -1, eval: null, params: [] });
    v = entry.lower(st, layer as LayerOf<LayerType>, v, key);
    const own = st.ownParams.pop() ?? [];
    if (st.mode === 'train') {
      st.layers[at].train = v.t;
      st.layers[at].params = own;
    } else {
      const e = st.layers.find((l) => l.key === key);
      if (e) e.eval = v.t;
    }
  });
  return v;
}
