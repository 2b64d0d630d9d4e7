// compile(spec) -> Program: lower the layers (train and eval passes), add the loss, derive the backward pass from
// the gradient-rule table, add penalties, clipping, the optimizer update and metrics, then plan memory.
// With parameter groups (spec.groups / steps): one such forward/backward/clip per update step, backward into the
// stepping group's gradients only, and one update per group over its own contiguous sub-region (optimizerOps.ts).
// Takes a spec that passed validation (NormalizedSpec); structural problems are validation's job, not this file's.

import { REGRESSION_DATA } from '../spec/defaults';
import type { NormalizedGroup, NormalizedSpec, NormalizedStep } from '../spec/types';
import { differentiate } from './autodiff';
import { GraphBuilder } from './builder';
import { type LowerState, lowerLayers } from './layers';
import { mergeLayerTables } from './layerTable';
import { align, placeSequential, planActivations } from './memory';
import type { AccuracyOp, ForwardOp, LossKind, Op, SlotId, TensorId } from './ops';
import { OPT_STATE, updateOp } from './optimizerOps';
import type {
  EvalEntry,
  GroupEntry,
  GroupSlotName,
  LayerEntry,
  ParamInfo,
  Program,
  Region,
  UpdateStep,
} from './program';

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
  const { groups: _g, steps: _s, evaluations: _e, ...plain } = spec;
  return compile({ ...plain, model: { input: into, layers: layers.slice(from, to) } }, from);
}

/** The shape flowing into each layer boundary i (0 .. layers.length), from a throwaway eval lowering. */
function boundaryShapes(spec: NormalizedSpec): number[][] {
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
  let v = { t: scratch.b.act('input', [1, ...spec.model.input], 'input'), shape: spec.model.input };
  const shapes = [spec.model.input];
  spec.model.layers.forEach((layer, i) => {
    v = lowerLayers(scratch, [layer], v, '', i);
    shapes.push(v.shape);
  });
  return shapes;
}

/** A step's forward, loss, metrics and backward (into its group's gradients only), lowered into `b`. */
interface LoweredStep {
  spec: NormalizedStep;
  group: number;
  prefix: string;
  inputShape: number[];
  outputShape: number[];
  targetShape: number[];
  classes: number | null;
  input: TensorId;
  target: TensorId;
  output: TensorId;
  loss: TensorId;
  accuracy: TensorId | null;
  forward: ForwardOp[];
  metrics: Op[];
  backward: Op[];
  terms: { t: TensorId; seed: TensorId }[];
  layers: LayerEntry[];
}

export function compile(spec: NormalizedSpec, firstLayer = 0): Program {
  const b = new GraphBuilder();
  const multi = spec.groups !== undefined;
  const nLayers = spec.model.layers.length;
  const groupSpecs: NormalizedGroup[] = spec.groups ?? [
    {
      name: 'main',
      layers: spec.model.layers.map((_, i) => i),
      optimizer: spec.optimizer,
      schedule: spec.schedule,
    },
  ];
  const stepSpecs: NormalizedStep[] = spec.steps ?? [
    { name: 'main', group: 'main', from: 0, to: nLayers, loss: spec.loss, batchSize: spec.training.batchSize },
  ];
  const into = multi || spec.evaluations !== undefined ? boundaryShapes(spec) : [spec.model.input];
  // Which group a parameter belongs to, by its top-level layer (keys are `<i>.` + the rest); -1: no group.
  const groupOfKey = (key: string): number => {
    const i = Number(key.slice(0, key.indexOf('.'))) - firstLayer;
    return groupSpecs.findIndex((g) => g.layers.includes(i));
  };
  const dropoutStreams = new Map<string, number>();
  const reg = spec.regularization;

  const steps: LoweredStep[] = stepSpecs.map((s, si) => {
    const prefix = si === 0 ? '' : `${s.name}:`;
    const group = groupSpecs.findIndex((g) => g.name === s.group);
    const n = s.batchSize;
    const inputShape = into[s.from];
    // ---- forward (train) and loss
    const input = b.act(`${prefix}input`, [n, ...inputShape], 'input');
    const st: LowerState = {
      b,
      mode: 'train',
      batch: n,
      ops: [],
      dropoutStreams,
      layers: [],
      ownParams: [],
      terms: [],
      prefix,
    };
    const slice = spec.model.layers.slice(s.from, s.to);
    const out = lowerLayers(st, slice, { t: input, shape: inputShape }, '', firstLayer + s.from);
    const outputShape = out.shape;
    const lossKind: LossKind = s.loss.type;
    const classIndex = lossKind === 'cross_entropy';
    // cross_entropy classifies each row of the last dim ([T, C] outputs: every token); the others average over all.
    const cols = classIndex ? outputShape[outputShape.length - 1] : outputShape.reduce((a, c) => a * c, 1);
    const rows = classIndex ? n * outputShape.slice(0, -1).reduce((a, c) => a * c, 1) : n;
    const targetShape = classIndex ? outputShape.slice(0, -1) : outputShape;
    const target = b.act(`${prefix}target`, [n, ...targetShape], 'target');
    const lossT = b.tensor(`${prefix}loss`, [1], 'state', 'scalar');
    const smoothing = classIndex ? b.slot('labelSmoothing') : -1;
    const delta = s.loss.type === 'huber' ? s.loss.delta : 0;
    const forward: ForwardOp[] = [
      ...st.ops.filter((op): op is ForwardOp => op.kind !== 'batchnorm_eval'),
      { kind: 'loss', loss: lossKind, pred: out.t, target, out: lossT, rows, cols, delta, smoothing },
    ];

    // ---- metrics
    const metrics: Op[] = [];
    let accuracy: TensorId | null = null;
    const classification =
      classIndex ||
      lossKind === 'bce_logits' ||
      (si === 0 && spec.data !== null && !REGRESSION_DATA.includes(spec.data.kind));
    if (classification) {
      accuracy = b.tensor(`${prefix}accuracy`, [1], 'state', 'scalar');
      const mode: AccuracyOp['mode'] = classIndex ? 'argmax' : 'threshold';
      metrics.push({ kind: 'accuracy', mode, pred: out.t, target, out: accuracy, rows, cols });
    }

    // ---- backward: only the stepping group's parameters get gradients (the others are constants here)
    const mine = (p: ParamInfo) => p.grad !== null && groupOfKey(p.key) === group;
    const paramGrads = new Map<TensorId, TensorId>();
    for (const p of b.params) if (mine(p)) paramGrads.set(p.tensor, p.grad as TensorId);
    const backward = differentiate(b, forward, paramGrads, new Set([input, target]), st.terms);
    if (reg.l1 > 0 || reg.l2 > 0) {
      const l1 = b.slot('l1');
      const l2 = b.slot('l2');
      for (const p of b.params) {
        if (!p.penalized || !mine(p)) continue;
        backward.push({
          kind: 'penalty_grad',
          w: p.tensor,
          dw: p.grad as TensorId,
          size: b.info(p.tensor).size,
          l1,
          l2,
        });
      }
    }
    return {
      spec: s,
      group,
      prefix,
      inputShape,
      outputShape,
      targetShape,
      classes: classIndex ? cols : null,
      input,
      target,
      output: out.t,
      loss: lossT,
      accuracy,
      forward,
      metrics,
      backward,
      terms: st.terms,
      layers: st.layers,
    };
  });

  // ---- eval pass (the whole model) and the evaluation entries
  const lowerEval = () => {
    // Evaluation runs batches of the first update step's size (spec.training.batchSize without groups).
    const n = steps[0].spec.batchSize;
    const inputShape = spec.model.input;
    const layerTable = multi ? mergeLayerTables(steps.map((s) => s.layers)) : steps[0].layers;
    const evalInput = b.act('eval.input', [n, ...inputShape], 'input');
    const est: LowerState = {
      b,
      mode: 'eval',
      batch: n,
      ops: [],
      dropoutStreams,
      layers: layerTable,
      ownParams: [],
      terms: [],
    };
    const evalOut = lowerLayers(est, spec.model.layers, { t: evalInput, shape: inputShape }, '', firstLayer);
    const evaluations: EvalEntry[] = (spec.evaluations ?? []).map((e) => {
      const prefix = `${e.name}:`;
      const shape = into[e.from];
      const input = b.act(`${prefix}eval.input`, [n, ...shape], 'input');
      const ev: LowerState = { ...est, ops: [], layers: [], ownParams: [], terms: [], prefix };
      const out = lowerLayers(ev, spec.model.layers.slice(e.from, e.to), { t: input, shape }, '', firstLayer + e.from);
      return { ...e, inputShape: shape, outputShape: out.shape, io: { input, output: out.t }, ops: ev.ops };
    });
    return { n, evalInput, evalOut, est, evaluations, layerTable };
  };
  // With groups, layers outside every step's slice first appear here: their parameters must exist before the state
  // arena is laid out. Without groups and entries the pass comes after it (the layout of every existing spec).
  const early = multi || spec.evaluations !== undefined ? lowerEval() : null;

  // ---- state arena: params (group by group) | grads | optimizer states (group by group) | buffers | scalars
  const rank = (p: ParamInfo) => {
    const g = groupOfKey(p.key);
    return g < 0 ? groupSpecs.length : g;
  };
  const trainable = b.params.filter((p) => p.grad !== null).sort((x, y) => rank(x) - rank(y));
  const paramTensors = trainable.map((p) => b.info(p.tensor));
  const paramsEnd = placeSequential(paramTensors, 0);
  const regionSize = paramsEnd;
  const region = (name: string, offset: number, size = regionSize): Region => {
    const tensor = b.tensor(name, [size], 'state', 'region');
    b.info(tensor).offset = offset;
    return { offset, size, tensor };
  };
  const params = region('params', 0);
  const grads = region('grads', regionSize);
  for (const p of trainable) b.info(p.grad as TensorId).offset = grads.offset + b.info(p.tensor).offset;
  const optState: Record<string, Region> = {};
  let at = 2 * regionSize;
  const groups = groupSpecs.map((g, gi) => {
    const mine = trainable.filter((p) => groupOfKey(p.key) === gi);
    const names = OPT_STATE[g.optimizer.type];
    if (!multi) {
      names.forEach((name, i) => {
        optState[name] = region(`${g.optimizer.type}.${name}`, regionSize * (2 + i));
      });
      at = regionSize * (2 + names.length);
      return { g, keys: mine.map((p) => p.key), paramsRegion: params, grads, optState };
    }
    // The group's parameters are contiguous (sorted above): its sub-range of params, grads parallel to it.
    const start = mine.length === 0 ? 0 : b.info(mine[0].tensor).offset;
    const end = mine.length === 0 ? 0 : placeEnd(b.info(mine[mine.length - 1].tensor));
    const size = end - start;
    const own: Record<string, Region> = {};
    for (const name of names) {
      own[name] = region(`${g.optimizer.type}.${name}@${g.name}`, at, size);
      at += size;
    }
    return {
      g,
      keys: mine.map((p) => p.key),
      paramsRegion: region(`params@${g.name}`, start, size),
      grads: region(`grads@${g.name}`, regionSize + start, size),
      optState: own,
    };
  });
  at = placeSequential(
    [
      ...b.params.filter((p) => p.grad === null).map((p) => b.info(p.tensor)),
      ...b.constants.map((c) => b.info(c.tensor)),
    ],
    at,
  );

  // ---- clipping (per step, over its group's gradients) and one update per group
  const clips = steps.map((s) => {
    const gr = groups[s.group].grads;
    const clip: Op[] = [];
    let gradNormSq: TensorId | null = null;
    if (reg.clipGradNorm !== null) {
      gradNormSq = b.tensor(`${s.prefix}grad_norm_sq`, [1], 'state', 'scalar');
      clip.push({ kind: 'sum_squares', x: gr.tensor, out: gradNormSq, size: gr.size });
      clip.push({
        kind: 'clip_norm',
        x: gr.tensor,
        normSq: gradNormSq,
        size: gr.size,
        maxNorm: b.slot('clipGradNorm'),
      });
    }
    if (reg.clipGradValue !== null)
      clip.push({ kind: 'clip_value', x: gr.tensor, size: gr.size, value: b.slot('clipGradValue') });
    return { clip, gradNormSq };
  });
  const groupEntries: GroupEntry[] = groups.map((g) => {
    const slot = (name: GroupSlotName): SlotId => b.slot(multi ? `${name}@${g.g.name}` : name);
    return {
      name: g.g.name,
      optimizer: g.g.optimizer,
      schedule: g.g.schedule,
      params: g.keys,
      paramsRegion: g.paramsRegion,
      grads: g.grads,
      optState: g.optState,
      // An empty group (no trainable parameters) has nothing to update.
      update: g.paramsRegion.size === 0 ? [] : [updateOp(slot, g.g.optimizer, g.paramsRegion, g.grads, g.optState)],
    };
  });
  const scalars = b.tensors.filter((t) => t.role === 'scalar');
  const stateSize = placeSequential(scalars, at);

  const { evalInput, evalOut, est, evaluations, layerTable } = early ?? lowerEval();

  // ---- activations arena (steps, the eval pass and the entries never run at once: each is planned from 0)
  const updateSteps: UpdateStep[] = steps.map((s, i) => ({
    name: s.spec.name,
    group: s.group,
    from: s.spec.from,
    to: s.spec.to,
    batchSize: s.spec.batchSize,
    inputShape: s.inputShape,
    outputShape: s.outputShape,
    targetShape: s.targetShape,
    classes: s.classes,
    io: { input: s.input, output: s.output, target: s.target },
    scalars: { loss: s.loss, accuracy: s.accuracy, gradNormSq: clips[i].gradNormSq },
    forward: s.forward,
    metrics: s.metrics,
    backward: s.backward,
    clip: clips[i].clip,
    update: groupEntries[s.group].update,
  }));
  let actSize = 64;
  for (const [i, s] of updateSteps.entries()) {
    const stepList = [...s.forward, ...s.metrics, ...s.backward, ...s.clip, ...s.update];
    // Loss-term scalars stay live for the whole step (nothing reads them, but they are the term's value).
    const keep = [s.io.input, s.io.target, ...steps[i].terms.map((term) => term.t)];
    actSize = Math.max(actSize, planActivations(b.tensors, stepList, keep));
  }
  actSize = Math.max(actSize, planActivations(b.tensors, est.ops, [evalInput, evalOut.t]));
  for (const e of evaluations)
    actSize = Math.max(actSize, planActivations(b.tensors, e.ops, [e.io.input, e.io.output]));

  const first = updateSteps[0];
  return {
    spec,
    batchSize: first.batchSize,
    inputShape: first.inputShape,
    outputShape: first.outputShape,
    targetShape: first.targetShape,
    classes: first.classes,
    seed: spec.training.seed,
    tensors: b.tensors,
    arenas: { state: { size: stateSize }, activations: { size: actSize } },
    regions: { params, grads, optState },
    params: b.params,
    constants: b.constants,
    layers: layerTable,
    lossTerms: steps[0].terms,
    hypers: b.hypers,
    io: first.io,
    scalars: first.scalars,
    forward: first.forward,
    metrics: first.metrics,
    backward: first.backward,
    clip: first.clip,
    update: first.update,
    evalIo: { input: evalInput, output: evalOut.t },
    evalForward: est.ops,
    groups: groupEntries,
    updateSteps,
    evaluations,
  };
}

/** End offset of a placed tensor, aligned as placeSequential leaves it. */
function placeEnd(t: { offset: number; size: number }): number {
  return align(t.offset + t.size);
}
