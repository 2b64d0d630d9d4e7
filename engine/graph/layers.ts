// Lowering of spec layers to forward ops, for a training or an evaluation pass. Parameters are declared on the
// first pass and looked up by state-dict key on the second, so both passes share the same weights.
// Shapes here are per example plus a leading batch dimension; flatten needs no op (a tensor is row-major, so the
// same storage is read with a new logical shape).

import type { NormalizedLayer } from '../spec/types';
import { activationParam, isActivation } from './activations';
import type { GraphBuilder } from './builder';
import type { BatchNormEvalOp, Conv2dDims, ForwardOp, TensorId } from './ops';
import type { ParamInfo, ParamInit } from './program';

export interface LowerState {
  b: GraphBuilder;
  mode: 'train' | 'eval';
  batch: number;
  /** Train passes only produce ForwardOps; eval passes may also produce batchnorm_eval. */
  ops: (ForwardOp | BatchNormEvalOp)[];
  /** Counter for dropout RNG streams, so each dropout layer draws independently. */
  dropoutStreams: Map<string, number>;
}

export interface Value {
  t: TensorId;
  /** Per-example shape (without the batch dim). */
  shape: number[];
}

const prod = (s: number[]): number => s.reduce((a, b) => a * b, 1);

function param(
  st: LowerState,
  key: string,
  kind: ParamInfo['kind'],
  shape: number[],
  init: ParamInit,
  penalized: boolean,
): TensorId {
  const found = st.b.findParam(key);
  if (found) return found.tensor;
  const trainable = kind === 'weight' || kind === 'bias';
  const tensor = st.b.tensor(key, shape, 'state', trainable ? 'param' : 'buffer');
  const grad = trainable ? st.b.tensor(`${key}.grad`, shape, 'state', 'grad') : null;
  st.b.params.push({ key, kind, tensor, grad, penalized, init });
  return tensor;
}

export function lowerLayers(st: LowerState, layers: NormalizedLayer[], x: Value, prefix: string): Value {
  let v = x;
  layers.forEach((layer, i) => {
    v = lowerLayer(st, layer, v, `${prefix}${i}`);
  });
  return v;
}

function lowerLayer(st: LowerState, layer: NormalizedLayer, x: Value, key: string): Value {
  const { b, batch } = st;
  const name = `${st.mode === 'eval' ? 'eval.' : ''}act.${key}`;
  switch (layer.type) {
    case 'dense': {
      const inF = prod(x.shape);
      const units = layer.units;
      const fan = { fanIn: inF, fanOut: units };
      const w = param(
        st,
        `${key}.weight`,
        'weight',
        [units, inF],
        { kind: 'layer', spec: layer.init, ...fan, isBias: false },
        true,
      );
      const bias = layer.bias
        ? param(st, `${key}.bias`, 'bias', [units], { kind: 'layer', spec: layer.init, ...fan, isBias: true }, false)
        : null;
      const out = b.act(name, [batch, units]);
      st.ops.push({ kind: 'matmul', a: x.t, b: w, bias, out, m: batch, n: units, k: inF, transA: false, transB: true });
      return { t: out, shape: [units] };
    }
    case 'conv2d': {
      const [c, h, w] = x.shape;
      const k = layer.kernel;
      const dims: Conv2dDims = {
        n: batch,
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
      const fan = { fanIn: c * k * k, fanOut: layer.filters * k * k };
      const wt = param(
        st,
        `${key}.weight`,
        'weight',
        [layer.filters, c, k, k],
        { kind: 'layer', spec: layer.init, ...fan, isBias: false },
        true,
      );
      const bias = layer.bias
        ? param(
            st,
            `${key}.bias`,
            'bias',
            [layer.filters],
            { kind: 'layer', spec: layer.init, ...fan, isBias: true },
            false,
          )
        : null;
      const shape = [layer.filters, dims.oh, dims.ow];
      const out = b.act(name, [batch, ...shape]);
      st.ops.push({ kind: 'conv2d', x: x.t, weight: wt, bias, out, ...dims });
      return { t: out, shape };
    }
    case 'maxpool2d':
    case 'avgpool2d': {
      const [c, h, w] = x.shape;
      const dims: Conv2dDims = {
        n: batch,
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
      const out = b.act(name, [batch, ...shape]);
      st.ops.push({ kind: layer.type, x: x.t, out, ...dims });
      return { t: out, shape };
    }
    case 'flatten':
      return { t: x.t, shape: [prod(x.shape)] };
    case 'batchnorm': {
      const channels = x.shape[0];
      const inner = x.shape.length === 3 ? x.shape[1] * x.shape[2] : 1;
      const gamma = param(st, `${key}.weight`, 'weight', [channels], { kind: 'const', value: 1 }, false);
      const beta = param(st, `${key}.bias`, 'bias', [channels], { kind: 'const', value: 0 }, false);
      const runningMean = param(
        st,
        `${key}.running_mean`,
        'running_mean',
        [channels],
        { kind: 'const', value: 0 },
        false,
      );
      const runningVar = param(st, `${key}.running_var`, 'running_var', [channels], { kind: 'const', value: 1 }, false);
      const out = b.act(name, [batch, ...x.shape]);
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
        const saveMean = b.act(`${name}.mean`, [channels], 'saved');
        const saveInvStd = b.act(`${name}.invstd`, [channels], 'saved');
        st.ops.push({ kind: 'batchnorm', ...common, saveMean, saveInvStd, momentum: layer.momentum });
      }
      return { t: out, shape: x.shape };
    }
    case 'layernorm': {
      const cols = prod(x.shape);
      const gamma = param(st, `${key}.weight`, 'weight', [...x.shape], { kind: 'const', value: 1 }, false);
      const beta = param(st, `${key}.bias`, 'bias', [...x.shape], { kind: 'const', value: 0 }, false);
      const out = b.act(name, [batch, ...x.shape]);
      const saveMean = b.act(`${name}.mean`, [batch], 'saved');
      const saveInvStd = b.act(`${name}.invstd`, [batch], 'saved');
      st.ops.push({
        kind: 'layernorm',
        x: x.t,
        gamma,
        beta,
        out,
        saveMean,
        saveInvStd,
        rows: batch,
        cols,
        eps: layer.eps,
      });
      return { t: out, shape: x.shape };
    }
    case 'dropout': {
      if (st.mode === 'eval') return x; // identity in evaluation
      let stream = st.dropoutStreams.get(key);
      if (stream === undefined) {
        stream = st.dropoutStreams.size + 1;
        st.dropoutStreams.set(key, stream);
      }
      const size = batch * prod(x.shape);
      const out = b.act(name, [batch, ...x.shape]);
      const mask = b.act(`${name}.mask`, [batch, ...x.shape], 'saved');
      const threshold = b.slot(`dropout.threshold:${key}`, 'u32');
      const scale = b.slot(`dropout.scale:${key}`, 'f32');
      st.ops.push({ kind: 'dropout', x: x.t, out, mask, size, threshold, scale, stream });
      return { t: out, shape: x.shape };
    }
    case 'residual': {
      const body = lowerLayers(st, layer.layers, x, `${key}.layers.`);
      const size = batch * prod(x.shape);
      const out = b.act(name, [batch, ...x.shape]);
      st.ops.push({ kind: 'add', a: x.t, b: body.t, out, size });
      return { t: out, shape: x.shape };
    }
    default: {
      if (!isActivation(layer.type)) throw new Error(`unknown layer ${layer.type}`);
      const out = b.act(name, [batch, ...x.shape]);
      const p = activationParam(layer.type, layer);
      st.ops.push({ kind: 'unary', fn: layer.type, param: p, x: x.t, out, size: batch * prod(x.shape) });
      return { t: out, shape: x.shape };
    }
  }
}
