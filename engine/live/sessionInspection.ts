// What a live session lets a learner read about its run, between chunks: inspect requests (weights, gradients,
// gradient norms, the output grid, activations, per-neuron grids), evaluation, eval-mode predictions, the data points,
// the current weights, attention maps, and the weights of the moment for loss landscapes. Everything that touches
// the runtime runs inside the session's exclusive section; device work is queued there and read back outside it.

import type { Dataset } from '../data/dataset';
import { mapFeatures } from '../data/features';
import { applyHot, hotFromSpec, packHypers } from '../graph/hypers';
import type { Program } from '../graph/program';
import type { NormalizedSpec } from '../spec/types';
import { ActivationProbe, gridInputs } from './activations';
import { type AttentionMaps, attentionWeights } from './attention';
import type { LandscapeMoment } from './landscape';
import { layerNorms, layerStats, weightsFromState } from './layers';
import { outputKind, predictedClasses, readableOutputs } from './outputs';
import { type SessionCore, size } from './sessionCore';
import type {
  AttentionRequest,
  DatasetSplitView,
  DatasetView,
  EvaluationResult,
  InspectRequest,
  InspectResult,
  LiveRuntime,
  PredictionsResult,
  WeightsDict,
} from './types';

/** Attention maps hold rows x heads x T x T floats per layer: a few hundred rows is already megabytes. */
export const ATTENTION_ROWS = { default: 8, max: 256 } as const;

export class SessionInspection {
  private probe: { program: Program; probe: ActivationProbe } | null = null;
  private data: { spec: NormalizedSpec; data: Dataset } | null = null;

  constructor(private readonly core: SessionCore) {}

  async inspect(req: InspectRequest): Promise<InspectResult> {
    const c = this.core;
    c.requireProgram();
    const now = await c.exclusive(() => c.raceLoss(this.inspectNow(req)));
    // Device inspection: queued in the exclusive section, read back outside it (training goes on meanwhile).
    return typeof now === 'function' ? c.raceLoss(now()) : now;
  }

  /** One inspection, inside the exclusive section; a function when the result is read back later (device work). */
  async inspectNow(req: InspectRequest): Promise<InspectResult | (() => Promise<InspectResult>)> {
    const c = this.core;
    const rt = c.runtime as LiveRuntime;
    const p = c.program as Program;
    const step = c.step;
    if (req.what === 'grid' || req.what === 'neurons') {
      // The grid is over the 2-D points; the model sees their data.features (x1, x2 unless the spec says more).
      const features = p.spec.data?.kind === 'mnist' ? null : (p.spec.data?.features ?? ['x1', 'x2']);
      if (features === null || p.inputShape.length !== 1 || p.inputShape[0] !== features.length)
        throw new Error(`${req.what} inspection needs 2-D data`);
      const res = Math.max(2, Math.min(200, Math.floor(req.resolution)));
      const x = mapFeatures(features, gridInputs(req.xRange, req.yRange, res), res * res);
      if (req.what === 'neurons') {
        const layers = this.activationProbe().neurons(await rt.readState(), x, res * res);
        return { what: 'neurons', step, resolution: res, layers };
      }
      const values = await rt.predict(x, res * res);
      const outputs = p.outputShape.reduce((a, b) => a * b, 1);
      return { what: 'grid', step, resolution: res, outputs, values };
    }
    if (req.what === 'activations') {
      const data = await this.dataset();
      const split = data.val.count > 0 ? data.val : data.train;
      const rows = Math.min(split.count, Math.max(1, Math.floor(req.rows ?? 2048)));
      const bins = req.bins ?? 32;
      // On WebGPU the statistics are computed on the device (one submit, small readback: training is not held up
      // by a host forward pass); on the CPU by the host probe over a state copy.
      const onDevice = rt.backend === 'webgpu' ? c.host.activationStats?.(rt, split.x, rows, bins) : null;
      if (onDevice) {
        onDevice.result.catch(() => undefined); // awaited by the caller after the exclusive section
        await onDevice.submitted;
        return async () => ({ what: 'activations', step, rows, layers: await onDevice.result });
      }
      const layers = this.activationProbe().stats(await rt.readState(), split.x, rows, bins);
      return { what: 'activations', step, rows, layers };
    }
    const state = await rt.readState();
    if (req.what === 'gradNorms') {
      const layers = layerNorms(p, state);
      return { what: 'gradNorms', step, layers, total: Math.sqrt(layers.reduce((s, l) => s + l.gradNorm ** 2, 0)) };
    }
    const layers = layerStats(p, state, req.what, req.bins ?? 32);
    return req.what === 'weights' ? { what: 'weights', step, layers } : { what: 'gradients', step, layers };
  }

  async evaluate(split: 'train' | 'val'): Promise<EvaluationResult> {
    const c = this.core;
    c.requireProgram();
    return c.exclusive(async () => {
      const rt = c.runtime as LiveRuntime;
      const r = await c.raceLoss(rt.evaluate(split));
      const result: EvaluationResult = { step: c.step, split, loss: r.loss, accuracy: r.accuracy, count: r.count };
      c.emit({ type: 'evaluation', result });
      return result;
    });
  }

  /** Eval-mode outputs on a split (the first `limit` rows): probabilities and predicted classes for classification. */
  async predictions(split: 'train' | 'val', limit?: number): Promise<PredictionsResult> {
    const c = this.core;
    c.requireProgram();
    const data = await this.dataset();
    return c.exclusive(async () => {
      const p = c.program as Program;
      const rt = c.runtime as LiveRuntime;
      const s = data[split];
      const count = limit === undefined ? s.count : Math.min(s.count, Math.max(0, Math.floor(limit)));
      const xRow = size(p.inputShape);
      const outputs = size(p.outputShape);
      const yRow = size(data.targetShape);
      const raw = count > 0 ? await c.raceLoss(rt.predict(s.x.subarray(0, count * xRow), count)) : new Float32Array(0);
      const loss = p.spec.loss.type;
      return {
        step: c.step,
        split,
        count,
        outputs,
        kind: outputKind(loss),
        targets: s.y.slice(0, count * yRow),
        values: readableOutputs(loss, raw, count, outputs),
        predicted: predictedClasses(loss, raw, count, outputs),
      };
    });
  }

  /** The run's data points, at most maxRows per split (copies: they travel as transferables). */
  async datasetView(maxRows: number): Promise<DatasetView> {
    this.core.requireProgram();
    const data = await this.dataset();
    const n = Math.max(0, Math.floor(maxRows));
    const xRow = size(data.inputShape);
    const yRow = size(data.targetShape);
    const cut = (s: { x: Float32Array; y: Float32Array; count: number }): DatasetSplitView => {
      const count = Math.min(s.count, n);
      return { x: s.x.slice(0, count * xRow), y: s.y.slice(0, count * yRow), count };
    };
    const train = cut(data.train);
    const val = cut(data.val);
    // Feature-mapped inputs keep their raw 2-D coordinates beside x (engine/data); plain 2-D inputs are their own.
    const raw = data.points2d;
    const flat2d = data.inputShape.length === 1 && data.inputShape[0] === 2;
    const points2d = raw
      ? { train: raw.train.slice(0, train.count * 2), val: raw.val.slice(0, val.count * 2) }
      : flat2d
        ? { train: train.x.slice(), val: val.x.slice() }
        : null;
    return {
      inputShape: [...data.inputShape],
      targetShape: [...data.targetShape],
      classes: data.classes,
      train,
      val,
      points2d,
    };
  }

  /** The current weights (state dict, typed arrays). */
  async weights(): Promise<{ step: number; weights: WeightsDict }> {
    const c = this.core;
    c.requireProgram();
    return c.exclusive(async () => {
      const rt = c.runtime as LiveRuntime;
      const p = c.program as Program;
      return { step: c.step, weights: weightsFromState(p, await c.raceLoss(rt.readState())) };
    });
  }

  /** Every attention layer's weights over the first rows of a split, in evaluation mode (engine/live/attention.ts):
   * host CPU kernels over a copy of the state, whatever the backend, so the maps are the same on both. */
  async attention(req: AttentionRequest): Promise<AttentionMaps[]> {
    const c = this.core;
    c.requireProgram();
    const split = req.split ?? 'val';
    if (split !== 'train' && split !== 'val') throw new Error(`attention: split must be 'train' or 'val'`);
    const want = req.rows ?? ATTENTION_ROWS.default;
    if (typeof want !== 'number' || !Number.isFinite(want) || want < 1)
      throw new Error('attention: rows must be a finite number >= 1');
    if (!(c.program as Program).layers.some((l) => l.attention !== undefined))
      throw new Error('attention: this model has no attention layer to read weights from');
    // The maps are of the model's own inputs, so a host may supply a dataset the spec's data section does not name.
    const data = await this.dataset(false);
    const s = data[split];
    const rows = Math.min(s.count, ATTENTION_ROWS.max, Math.floor(want));
    if (rows < 1) throw new Error(`attention: the ${split} split has no rows`);
    return c.exclusive(async () => {
      const p = c.program as Program;
      const state = await c.raceLoss((c.runtime as LiveRuntime).readState());
      return attentionWeights(p, state, s.x.subarray(0, rows * size(p.inputShape)), rows);
    });
  }

  /** The weights of the moment and what a landscape computation needs with them (another run's interpolation
   * target, too). */
  async landscapeMoment(): Promise<LandscapeMoment> {
    const c = this.core;
    c.requireProgram();
    const data = await this.dataset();
    return c.exclusive(async () => {
      const rt = c.runtime as LiveRuntime;
      const state = await c.raceLoss(rt.readState());
      return { program: c.program as Program, state, step: c.step, data, hot: { ...c.hot }, backend: rt.backend };
    });
  }

  /** The spec's dataset (cached per spec). `needSection`: refuse a spec without a data section with a message that
   * says so, rather than the host's. */
  async dataset(needSection = true): Promise<Dataset> {
    const spec = this.core.spec as NormalizedSpec;
    if (needSection && !spec.data) throw new Error('this spec has no data section to inspect activations on');
    if (this.data?.spec !== spec) this.data = { spec, data: await this.core.host.dataset(spec) };
    return this.data.data;
  }

  /** The host-side eval forward of the current program, with the current hot values. */
  private activationProbe(): ActivationProbe {
    const p = this.core.program as Program;
    if (this.probe?.program !== p) this.probe = { program: p, probe: new ActivationProbe(p) };
    this.probe.probe.setHypers(packHypers(p, applyHot(hotFromSpec(p.spec), this.core.hot)));
    return this.probe.probe;
  }
}
