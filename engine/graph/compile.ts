// compile(spec) -> Program: lower the layers (train and eval passes), add the loss, derive the backward pass from
// the gradient-rule table, add penalties, clipping, the optimizer update and metrics, then plan memory.
// Takes a spec that passed validation (NormalizedSpec); structural problems are validation's job, not this file's.

import { REGRESSION_DATA } from '../spec/defaults';
import type { NormalizedSpec } from '../spec/types';
import { differentiate } from './autodiff';
import { GraphBuilder } from './builder';
import { type LowerState, lowerLayers } from './layers';
import { placeSequential, planActivations } from './memory';
import type { AccuracyOp, ForwardOp, LossKind, Op, TensorId } from './ops';
import type { Program, Region } from './program';

/** Optimizer state buffers per optimizer, each parallel to the params region (torch state names). */
export const OPT_STATE: Record<NormalizedSpec['optimizer']['type'], string[]> = {
  sgd: ['momentum_buffer'],
  rmsprop: ['square_avg', 'grad_avg', 'momentum_buffer'],
  adagrad: ['sum'],
  adam: ['exp_avg', 'exp_avg_sq'],
  adamw: ['exp_avg', 'exp_avg_sq'],
};

/** Compiles `spec.model.layers[from, to)` alone (e.g. the decoder of a VAE), fed with what flows into layer
 * `from`: an evaluation entry for part of a model. Parameter keys are the full model's (`3.weight`), so the whole
 * model's state dict loads into it (keys of other layers are not in it). */
export function compilePart(spec: NormalizedSpec, from: number, to = spec.model.layers.length): Program {
  const layers = spec.model.layers;
  if (!(from >= 0 && from < to && to <= layers.length)) throw new Error(`no layers ${from}..${to} in this model`);
  // The shape flowing into layer `from`, from a throwaway lowering of the layers before it.
  const scratch: LowerState = {
    b: new GraphBuilder(),
    mode: 'eval',
    batch: 1,
    ops: [],
    dropoutStreams: new Map(),
    layers: [],
    ownParams: [],
    terms: [],
  };
  const t = scratch.b.act('input', [1, ...spec.model.input], 'input');
  const into = lowerLayers(scratch, layers.slice(0, from), { t, shape: spec.model.input }, '').shape;
  return compile({ ...spec, model: { input: into, layers: layers.slice(from, to) } }, from);
}

export function compile(spec: NormalizedSpec, firstLayer = 0): Program {
  const b = new GraphBuilder();
  const n = spec.training.batchSize;
  const inputShape = spec.model.input;

  // ---- forward (train) and loss
  const input = b.act('input', [n, ...inputShape], 'input');
  const st: LowerState = {
    b,
    mode: 'train',
    batch: n,
    ops: [],
    dropoutStreams: new Map(),
    layers: [],
    ownParams: [],
    terms: [],
  };
  const out = lowerLayers(st, spec.model.layers, { t: input, shape: inputShape }, '', firstLayer);
  const outputShape = out.shape;
  const lossKind: LossKind = spec.loss.type;
  const classIndex = lossKind === 'cross_entropy';
  // cross_entropy classifies each row of the last dim ([T, C] outputs: every token); the others average over all.
  const cols = classIndex ? outputShape[outputShape.length - 1] : outputShape.reduce((a, c) => a * c, 1);
  const rows = classIndex ? n * outputShape.slice(0, -1).reduce((a, c) => a * c, 1) : n;
  const targetShape = classIndex ? outputShape.slice(0, -1) : outputShape;
  const target = b.act('target', [n, ...targetShape], 'target');
  const lossT = b.tensor('loss', [1], 'state', 'scalar');
  const smoothing = classIndex ? b.slot('labelSmoothing') : -1;
  const delta = spec.loss.type === 'huber' ? spec.loss.delta : 0;
  const forward: ForwardOp[] = [
    ...st.ops.filter((op): op is ForwardOp => op.kind !== 'batchnorm_eval'),
    { kind: 'loss', loss: lossKind, pred: out.t, target, out: lossT, rows, cols, delta, smoothing },
  ];

  // ---- metrics
  const metrics: Op[] = [];
  let accuracy: TensorId | null = null;
  const classification =
    classIndex || lossKind === 'bce_logits' || (spec.data !== null && !REGRESSION_DATA.includes(spec.data.kind));
  if (classification) {
    accuracy = b.tensor('accuracy', [1], 'state', 'scalar');
    const mode: AccuracyOp['mode'] = classIndex ? 'argmax' : 'threshold';
    metrics.push({ kind: 'accuracy', mode, pred: out.t, target, out: accuracy, rows, cols });
  }

  // ---- backward
  const paramGrads = new Map<TensorId, TensorId>();
  for (const p of b.params) if (p.grad !== null) paramGrads.set(p.tensor, p.grad);
  const backward = differentiate(b, forward, paramGrads, new Set([input, target]), st.terms);
  const reg = spec.regularization;
  if (reg.l1 > 0 || reg.l2 > 0) {
    const l1 = b.slot('l1');
    const l2 = b.slot('l2');
    for (const p of b.params) {
      if (!p.penalized || p.grad === null) continue;
      backward.push({ kind: 'penalty_grad', w: p.tensor, dw: p.grad, size: b.info(p.tensor).size, l1, l2 });
    }
  }

  // ---- state arena: params | grads | optimizer states | buffers | scalars
  const trainable = b.params.filter((p) => p.grad !== null);
  const paramTensors = trainable.map((p) => b.info(p.tensor));
  const paramsEnd = placeSequential(paramTensors, 0);
  const regionSize = paramsEnd;
  const region = (name: string, offset: number): Region => {
    const tensor = b.tensor(name, [regionSize], 'state', 'region');
    b.info(tensor).offset = offset;
    return { offset, size: regionSize, tensor };
  };
  const params = region('params', 0);
  const grads = region('grads', regionSize);
  for (const p of trainable) b.info(p.grad as TensorId).offset = grads.offset + b.info(p.tensor).offset;
  const optState: Record<string, Region> = {};
  OPT_STATE[spec.optimizer.type].forEach((name, i) => {
    optState[name] = region(`${spec.optimizer.type}.${name}`, regionSize * (2 + i));
  });
  let at = regionSize * (2 + OPT_STATE[spec.optimizer.type].length);
  at = placeSequential(
    [
      ...b.params.filter((p) => p.grad === null).map((p) => b.info(p.tensor)),
      ...b.constants.map((c) => b.info(c.tensor)),
    ],
    at,
  );

  // ---- clipping and update over whole regions
  const clip: Op[] = [];
  let gradNormSq: TensorId | null = null;
  if (reg.clipGradNorm !== null) {
    gradNormSq = b.tensor('grad_norm_sq', [1], 'state', 'scalar');
    clip.push({ kind: 'sum_squares', x: grads.tensor, out: gradNormSq, size: regionSize });
    clip.push({
      kind: 'clip_norm',
      x: grads.tensor,
      normSq: gradNormSq,
      size: regionSize,
      maxNorm: b.slot('clipGradNorm'),
    });
  }
  if (reg.clipGradValue !== null)
    clip.push({ kind: 'clip_value', x: grads.tensor, size: regionSize, value: b.slot('clipGradValue') });
  const update = [updateOp(b, spec, params, grads, optState)];
  const scalars = b.tensors.filter((t) => t.role === 'scalar');
  const stateSize = placeSequential(scalars, at);

  // ---- eval pass
  const evalInput = b.act('eval.input', [n, ...inputShape], 'input');
  const est: LowerState = {
    b,
    mode: 'eval',
    batch: n,
    ops: [],
    dropoutStreams: st.dropoutStreams,
    layers: st.layers,
    ownParams: [],
    terms: [],
  };
  const evalOut = lowerLayers(est, spec.model.layers, { t: evalInput, shape: inputShape }, '', firstLayer);

  // ---- activations arena
  const stepList = [...forward, ...metrics, ...backward, ...clip, ...update];
  // Loss-term scalars stay live for the whole step (nothing reads them, but they are the term's value).
  const trainSize = planActivations(b.tensors, stepList, [input, target, ...st.terms.map((term) => term.t)]);
  const evalSize = planActivations(b.tensors, est.ops, [evalInput, evalOut.t]);

  return {
    spec,
    batchSize: n,
    inputShape,
    outputShape,
    targetShape,
    classes: classIndex ? cols : null,
    seed: spec.training.seed,
    tensors: b.tensors,
    arenas: { state: { size: stateSize }, activations: { size: Math.max(trainSize, evalSize, 64) } },
    regions: { params, grads, optState },
    params: b.params,
    constants: b.constants,
    layers: st.layers,
    lossTerms: st.terms,
    hypers: b.hypers,
    io: { input, output: out.t, target },
    scalars: { loss: lossT, accuracy, gradNormSq },
    forward,
    metrics,
    backward,
    clip,
    update,
    evalIo: { input: evalInput, output: evalOut.t },
    evalForward: est.ops,
  };
}

function updateOp(
  b: GraphBuilder,
  spec: NormalizedSpec,
  params: Region,
  grads: Region,
  st: Record<string, Region>,
): Op {
  const o = spec.optimizer;
  const size = params.size;
  const base = { param: params.tensor, grad: grads.tensor, size };
  const s = (name: string): TensorId => st[name].tensor;
  switch (o.type) {
    case 'sgd':
      return {
        kind: 'sgd_update',
        ...base,
        momentumBuf: s('momentum_buffer'),
        momentum: b.slot('momentum'),
        dampening: b.slot('dampening'),
        weightDecay: b.slot('weightDecay'),
        nesterov: o.nesterov,
      };
    case 'rmsprop':
      return {
        kind: 'rmsprop_update',
        ...base,
        squareAvg: s('square_avg'),
        gradAvg: s('grad_avg'),
        momentumBuf: s('momentum_buffer'),
        alpha: b.slot('alpha'),
        eps: b.slot('eps'),
        momentum: b.slot('momentum'),
        weightDecay: b.slot('weightDecay'),
        centered: o.centered,
      };
    case 'adagrad':
      return {
        kind: 'adagrad_update',
        ...base,
        sum: s('sum'),
        eps: b.slot('eps'),
        weightDecay: b.slot('weightDecay'),
        lrDecay: b.slot('lrDecay'),
      };
    case 'adam':
    case 'adamw':
      return {
        kind: 'adam_update',
        ...base,
        expAvg: s('exp_avg'),
        expAvgSq: s('exp_avg_sq'),
        beta1: b.slot('beta1'),
        beta2: b.slot('beta2'),
        eps: b.slot('eps'),
        weightDecay: b.slot('weightDecay'),
        decoupled: o.type === 'adamw',
      };
  }
}
