// How an edit reaches a running training: a change the engine can take hot (learning rate, momentum, betas, weight
// decay, dropout rate, label smoothing, L1/L2, clipping, batch size) goes out as setHyper; anything else (a layer,
// BatchNorm, an activation, the data) as a recompile that keeps every weight whose name and shape still match. Either
// way the step counter continues; only rewind and reset start again.
import type { HyperChange, NormalizedLayer, NormalizedSpec } from '../../../engine/index';

export type Change = { kind: 'none' } | { kind: 'hot'; hyper: HyperChange } | { kind: 'recompile' };

type Opt = NormalizedSpec['optimizer'];

/** The optimizer's hot fields, as setHyper names them (absent where the optimizer has no such field). */
function optimizerHot(o: Opt): HyperChange {
  const h: HyperChange = { lr: o.lr, weightDecay: o.weightDecay };
  if ('momentum' in o) h.momentum = o.momentum;
  if ('dampening' in o) h.dampening = o.dampening;
  if ('betas' in o) h.betas = [o.betas[0], o.betas[1]];
  if ('eps' in o) h.eps = o.eps;
  if ('alpha' in o) h.alpha = o.alpha;
  if ('lrDecay' in o) h.lrDecay = o.lrDecay;
  return h;
}

function dropoutRates(layers: readonly NormalizedLayer[], out: number[] = []): number[] {
  for (const l of layers) {
    if (l.type === 'dropout') out.push(l.rate);
    else if (l.type === 'residual') dropoutRates(l.layers, out);
  }
  return out;
}

function withoutDropoutRates(layers: readonly NormalizedLayer[]): unknown[] {
  return layers.map((l) =>
    l.type === 'dropout'
      ? { type: 'dropout' }
      : l.type === 'residual'
        ? { type: 'residual', layers: withoutDropoutRates(l.layers) }
        : l,
  );
}

/** Everything a hot change cannot touch, as one comparable string. */
function structure(s: NormalizedSpec): string {
  const o = s.optimizer as Record<string, unknown>;
  const optShape = Object.fromEntries(
    Object.entries(o).filter(
      ([k]) => !['lr', 'momentum', 'dampening', 'betas', 'eps', 'alpha', 'weightDecay', 'lrDecay'].includes(k),
    ),
  );
  const loss = { ...s.loss, labelSmoothing: undefined };
  return JSON.stringify([
    s.data,
    s.model.input,
    withoutDropoutRates(s.model.layers),
    loss,
    optShape,
    s.schedule,
    s.training.seed,
  ]);
}

function sameNumbers(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** What it takes to move a running training from `from` to `to`. */
export function changeBetween(from: NormalizedSpec, to: NormalizedSpec): Change {
  if (structure(from) !== structure(to)) return { kind: 'recompile' };
  const rates = dropoutRates(to.model.layers);
  // setHyper sets every dropout layer to one rate: differing per-layer rates need a recompile.
  if (rates.some((r) => r !== rates[0]) && !sameNumbers(dropoutRates(from.model.layers), rates))
    return { kind: 'recompile' };
  const before: HyperChange = { ...optimizerHot(from.optimizer), ...regHot(from), batchSize: from.training.batchSize };
  const after: HyperChange = { ...optimizerHot(to.optimizer), ...regHot(to), batchSize: to.training.batchSize };
  if (to.loss.type === 'cross_entropy') {
    before.labelSmoothing = from.loss.type === 'cross_entropy' ? from.loss.labelSmoothing : 0;
    after.labelSmoothing = to.loss.labelSmoothing;
  }
  const fromRates = dropoutRates(from.model.layers);
  if (rates.length > 0) {
    // Every layer's rate counts: [0.2, 0.3] -> [0.2, 0.2] leaves the first unchanged but must still set the second.
    before.dropout = sameNumbers(fromRates, rates) ? rates[0] : Number.NaN;
    after.dropout = rates[0];
  }
  const hyper: HyperChange = {};
  for (const k of Object.keys(after) as (keyof HyperChange)[]) {
    if (!sameNumbers(before[k], after[k])) (hyper as Record<string, unknown>)[k] = after[k];
  }
  return Object.keys(hyper).length === 0 ? { kind: 'none' } : { kind: 'hot', hyper };
}

function regHot(s: NormalizedSpec): HyperChange {
  const r = s.regularization;
  // setHyper turns clipping off with 0 (the spec says null).
  return { l1: r.l1, l2: r.l2, clipGradNorm: r.clipGradNorm ?? 0, clipGradValue: r.clipGradValue ?? 0 };
}
