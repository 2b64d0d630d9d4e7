// What every lowering shares: the lowering state, values, parameter declaration and the small op helpers that
// layers compose (dense per token, elementwise ops). Layer entries live in layers.ts (the table) and lowerSeq.ts
// (sequence layers).

import type { ActivationName, InitSpec } from '../spec/types';
import type { GraphBuilder } from './builder';
import type { BatchNormEvalOp, ForwardOp, TensorId } from './ops';
import type { LayerEntry, ParamInfo, ParamInit } from './program';

export interface LowerState {
  b: GraphBuilder;
  mode: 'train' | 'eval';
  batch: number;
  /** Train passes only produce ForwardOps; eval passes may also produce batchnorm_eval. */
  ops: (ForwardOp | BatchNormEvalOp)[];
  /** Counter for RNG streams (dropout masks, normal samples), so each layer draws independently. */
  dropoutStreams: Map<string, number>;
  /** The layer table (filled by the train pass; the eval pass adds each layer's eval output). */
  layers: LayerEntry[];
  /** Keys of the parameters declared by the layer being lowered (innermost last). */
  ownParams: string[][];
  /** Loss terms without targets (a KL term): a scalar tensor and a constant tensor holding its weight, the seed of
   * its gradient. */
  terms: { t: TensorId; seed: TensorId }[];
  /** Tensor-name prefix of a second update step or an evaluation entry (`g:`), so names stay unique. */
  prefix?: string;
}

export interface Value {
  t: TensorId;
  /** Per-example shape (without the batch dim). */
  shape: number[];
}

export const prod = (s: number[]): number => s.reduce((a, b) => a * b, 1);

/** Declares a parameter (or buffer) on the train pass, finds it by key on the eval pass. */
export function param(
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
  st.ownParams[st.ownParams.length - 1]?.push(key);
  return tensor;
}

/** Per-layer RNG stream (1, 2, ... in first-lowering order), shared by the train and eval passes. */
export function stream(st: LowerState, key: string): number {
  let s = st.dropoutStreams.get(key);
  if (s === undefined) {
    s = st.dropoutStreams.size + 1;
    st.dropoutStreams.set(key, s);
  }
  return s;
}

export const layerInit = (spec: Required<InitSpec>, fanIn: number, fanOut: number, isBias: boolean): ParamInit => ({
  kind: 'layer',
  spec,
  fanIn,
  fanOut,
  isBias,
});

/** The 'default' init rule, U(-1/sqrt(fanIn), 1/sqrt(fanIn)) (engine/graph/init.ts): torch's for recurrent cells, and
 * with fanIn = in_features its kaiming-uniform Linear init (attention's out_proj). */
export const DEFAULT_INIT: Required<InitSpec> = { type: 'default', std: 0.01 };

/** Names of the tensors one layer makes: `act.<key>` plus a suffix per intermediate. */
export function namer(st: LowerState, key: string): (suffix?: string) => string {
  const base = `${st.prefix ?? ''}${st.mode === 'eval' ? 'eval.' : ''}act.${key}`;
  return (suffix) => (suffix === undefined ? base : `${base}.${suffix}`);
}

/** x [rows, inF] . W^T (+ bias) -> [rows, units]; `rows` counts batch and tokens. */
export function linear(
  st: LowerState,
  x: TensorId,
  w: TensorId,
  bias: TensorId | null,
  rows: number,
  inF: number,
  units: number,
  name: string,
): TensorId {
  const out = st.b.act(name, [rows, units]);
  st.ops.push({ kind: 'matmul', a: x, b: w, bias, out, m: rows, n: units, k: inF, transA: false, transB: true });
  return out;
}

export function unary(st: LowerState, fn: ActivationName, x: TensorId, size: number, name: string): TensorId {
  const out = st.b.act(name, [size]);
  st.ops.push({ kind: 'unary', fn, param: 0, x, out, size });
  return out;
}

export function binary(st: LowerState, kind: 'add' | 'mul', a: TensorId, b: TensorId, size: number, name: string) {
  const out = st.b.act(name, [size]);
  st.ops.push({ kind, a, b, out, size });
  return out;
}

export function sliceOf(
  st: LowerState,
  x: TensorId,
  outer: number,
  inSize: number,
  start: number,
  len: number,
  name: string,
): TensorId {
  const out = st.b.act(name, [outer, len]);
  st.ops.push({ kind: 'slice', x, out, outer, inSize, start, len });
  return out;
}

export function scaled(st: LowerState, x: TensorId, size: number, factor: number, name: string): TensorId {
  const out = st.b.act(name, [size]);
  st.ops.push({ kind: 'scale', x, out, size, factor });
  return out;
}
