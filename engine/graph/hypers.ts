// Packing of the hot hyperparameters into the uniform block (one 32-bit word per Program.hypers slot). Both
// backends read the same words, so a hot change is: update HotHypers, repack, hand the words to the executor.

import { dropThreshold } from '../rng/rng';
import type { NormalizedSpec } from '../spec/types';
import type { GroupSlotName, HyperSlotName, Program } from './program';

/** Hyperparameters that change without recompiling (they live in the uniform block or the schedule). */
export interface HotHypers {
  lr: number;
  momentum: number;
  dampening: number;
  betas: [number, number];
  eps: number;
  alpha: number;
  weightDecay: number;
  lrDecay: number;
  /** Sets every dropout layer's rate. */
  dropout: number;
  labelSmoothing: number;
  l1: number;
  l2: number;
  clipGradNorm: number;
  clipGradValue: number;
}

/** The optimizer's hot values, which each parameter group has its own copy of. */
export type GroupHot = Pick<
  HotHypers,
  'lr' | 'momentum' | 'dampening' | 'betas' | 'eps' | 'alpha' | 'weightDecay' | 'lrDecay'
>;

/** The runtime's view of hot values: HotHypers plus each dropout layer's own rate (by layer key), and, for a spec
 * with parameter groups, each group's optimizer values (by group name; the top-level ones then feed no slot). */
export interface HotState extends HotHypers {
  dropoutRates: Record<string, number>;
  groups?: Record<string, GroupHot>;
}

function optimizerHot(o: NormalizedSpec['optimizer']): GroupHot {
  return {
    lr: o.lr,
    momentum: 'momentum' in o ? o.momentum : 0,
    dampening: 'dampening' in o ? o.dampening : 0,
    betas: 'betas' in o ? [o.betas[0], o.betas[1]] : [0.9, 0.999],
    eps: 'eps' in o ? o.eps : 1e-8,
    alpha: 'alpha' in o ? o.alpha : 0.99,
    weightDecay: o.weightDecay,
    lrDecay: 'lrDecay' in o ? o.lrDecay : 0,
  };
}

export function hotFromSpec(spec: NormalizedSpec): HotState {
  const dropoutRates: Record<string, number> = {};
  const walk = (layers: NormalizedSpec['model']['layers'], prefix: string): void => {
    layers.forEach((l, i) => {
      if (l.type === 'dropout') dropoutRates[`${prefix}${i}`] = l.rate;
      if (l.type === 'residual') walk(l.layers, `${prefix}${i}.layers.`);
    });
  };
  walk(spec.model.layers, '');
  const rates = Object.values(dropoutRates);
  const hot: HotState = {
    ...optimizerHot(spec.optimizer),
    dropout: rates.length > 0 ? rates[0] : 0,
    labelSmoothing: spec.loss.type === 'cross_entropy' ? spec.loss.labelSmoothing : 0,
    l1: spec.regularization.l1,
    l2: spec.regularization.l2,
    clipGradNorm: spec.regularization.clipGradNorm ?? 0,
    clipGradValue: spec.regularization.clipGradValue ?? 0,
    dropoutRates,
  };
  if (spec.groups) hot.groups = Object.fromEntries(spec.groups.map((g) => [g.name, optimizerHot(g.optimizer)]));
  return hot;
}

/** Applies a partial change; `dropout` sets every layer's rate. */
export function applyHot(h: HotState, change: Partial<HotHypers>): HotState {
  const next: HotState = { ...h, ...change, dropoutRates: { ...h.dropoutRates } };
  if (change.dropout !== undefined)
    for (const k of Object.keys(next.dropoutRates)) next.dropoutRates[k] = change.dropout;
  return next;
}

function slotValue(name: HyperSlotName, h: HotState): number {
  const at = name.indexOf('@');
  if (at >= 0) {
    const g = h.groups?.[name.slice(at + 1)];
    if (g === undefined) throw new Error(`no hot values for group ${name.slice(at + 1)}`);
    const base = name.slice(0, at) as GroupSlotName;
    return base === 'beta1' ? g.betas[0] : base === 'beta2' ? g.betas[1] : g[base];
  }
  if (name.startsWith('dropout.threshold:')) return dropThreshold(h.dropoutRates[name.slice(18)] ?? 0);
  if (name.startsWith('dropout.scale:')) return 1 / (1 - (h.dropoutRates[name.slice(14)] ?? 0));
  switch (name) {
    case 'beta1':
      return h.betas[0];
    case 'beta2':
      return h.betas[1];
    default:
      return h[name as Exclude<HyperSlotName, 'beta1' | 'beta2' | `dropout.${string}` | `${string}@${string}`>];
  }
}

/** One word per slot: u32 slots as integers, f32 slots as float bit patterns. */
export function packHypers(p: Program, h: HotState): Uint32Array {
  const words = new Uint32Array(Math.max(p.hypers.length, 1));
  const f32 = new Float32Array(words.buffer);
  for (const s of p.hypers) {
    const v = slotValue(s.name, h);
    if (s.type === 'u32') words[s.id] = v >>> 0;
    else f32[s.id] = v;
  }
  return words;
}

/** Which keys of a hot change the Program cannot apply without recompiling (their slots do not exist because the
 * feature was off at compile time), so a caller can recompile instead of silently ignoring them. */
export function structuralChanges(p: Program, change: Partial<HotHypers>): (keyof HotHypers)[] {
  const has = (name: HyperSlotName) => p.hypers.some((h) => h.name === name);
  const out: (keyof HotHypers)[] = [];
  const nonzero = (v: number | undefined) => v !== undefined && v !== 0;
  if (nonzero(change.clipGradNorm) && !has('clipGradNorm')) out.push('clipGradNorm');
  if (nonzero(change.clipGradValue) && !has('clipGradValue')) out.push('clipGradValue');
  if (nonzero(change.l1) && !has('l1')) out.push('l1');
  if (nonzero(change.l2) && !has('l2')) out.push('l2');
  if (nonzero(change.labelSmoothing) && !has('labelSmoothing')) out.push('labelSmoothing');
  if (nonzero(change.dropout) && !p.hypers.some((h) => h.name.startsWith('dropout.'))) out.push('dropout');
  return out;
}
