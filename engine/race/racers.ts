// The race's contestants as data: each is an engine optimizer (an OptimizerSpec, so validation, defaults and the
// update op are the engine's own) plus which of its hyperparameters the race lets people edit.

import { OPTIMIZER_DEFAULTS } from '../spec/defaults';
import type { OptimizerSpec } from '../spec/types';

export type RacerId = 'sgd' | 'momentum' | 'nesterov' | 'rmsprop' | 'adagrad' | 'adam' | 'adamw';

/** The editable hyperparameters, flat (betas split in two), all numbers. */
export type HyperKey =
  | 'lr'
  | 'momentum'
  | 'dampening'
  | 'alpha'
  | 'eps'
  | 'beta1'
  | 'beta2'
  | 'weightDecay'
  | 'lrDecay';
export type RacerHypers = Partial<Record<HyperKey, number>>;

export interface HyperField {
  key: HyperKey;
  label: string;
  /** Slider-free numeric input bounds (validation gives the exact message). */
  min: number;
  max: number;
}

export const HYPER_FIELDS: Record<HyperKey, HyperField> = {
  lr: { key: 'lr', label: 'Learning rate', min: 0, max: 100 },
  momentum: { key: 'momentum', label: 'Momentum', min: 0, max: 0.999 },
  dampening: { key: 'dampening', label: 'Dampening', min: 0, max: 1 },
  alpha: { key: 'alpha', label: 'Alpha (smoothing)', min: 0, max: 1 },
  eps: { key: 'eps', label: 'Epsilon', min: 0, max: 1 },
  beta1: { key: 'beta1', label: 'Beta 1', min: 0, max: 0.999 },
  beta2: { key: 'beta2', label: 'Beta 2', min: 0, max: 0.9999 },
  weightDecay: { key: 'weightDecay', label: 'Weight decay', min: 0, max: 10 },
  lrDecay: { key: 'lrDecay', label: 'LR decay', min: 0, max: 100 },
};

export interface Racer {
  id: RacerId;
  label: string;
  /** Editable hyperparameters and their torch.optim defaults (lr comes from the surface). */
  defaults: RacerHypers;
  toSpec: (h: RacerHypers, lr: number) => OptimizerSpec;
}

const D = OPTIMIZER_DEFAULTS;
const sgd =
  (nesterov: boolean) =>
  (h: RacerHypers, lr: number): OptimizerSpec => ({
    type: 'sgd',
    lr,
    momentum: h.momentum ?? 0,
    dampening: h.dampening ?? 0,
    nesterov,
    weightDecay: h.weightDecay ?? 0,
  });
const adam =
  (type: 'adam' | 'adamw') =>
  (h: RacerHypers, lr: number): OptimizerSpec => ({
    type,
    lr,
    betas: [h.beta1 ?? D[type].betas[0], h.beta2 ?? D[type].betas[1]],
    eps: h.eps ?? D[type].eps,
    weightDecay: h.weightDecay ?? D[type].weightDecay,
  });

export const RACERS: Racer[] = [
  { id: 'sgd', label: 'SGD', defaults: { weightDecay: 0 }, toSpec: sgd(false) },
  { id: 'momentum', label: 'Momentum', defaults: { momentum: 0.9, dampening: 0 }, toSpec: sgd(false) },
  { id: 'nesterov', label: 'Nesterov', defaults: { momentum: 0.9 }, toSpec: sgd(true) },
  {
    id: 'rmsprop',
    label: 'RMSprop',
    defaults: { alpha: D.rmsprop.alpha, eps: D.rmsprop.eps, momentum: D.rmsprop.momentum },
    toSpec: (h, lr) => ({
      type: 'rmsprop',
      lr,
      alpha: h.alpha ?? D.rmsprop.alpha,
      eps: h.eps ?? D.rmsprop.eps,
      momentum: h.momentum ?? D.rmsprop.momentum,
    }),
  },
  {
    id: 'adagrad',
    label: 'AdaGrad',
    defaults: { eps: D.adagrad.eps, lrDecay: D.adagrad.lrDecay },
    toSpec: (h, lr) => ({ type: 'adagrad', lr, eps: h.eps ?? D.adagrad.eps, lrDecay: h.lrDecay ?? D.adagrad.lrDecay }),
  },
  {
    id: 'adam',
    label: 'Adam',
    defaults: { beta1: D.adam.betas[0], beta2: D.adam.betas[1], eps: D.adam.eps },
    toSpec: adam('adam'),
  },
  {
    id: 'adamw',
    label: 'AdamW',
    defaults: { beta1: D.adamw.betas[0], beta2: D.adamw.betas[1], eps: D.adamw.eps, weightDecay: D.adamw.weightDecay },
    toSpec: adam('adamw'),
  },
];

export function racerById(id: string): Racer | undefined {
  return RACERS.find((r) => r.id === id);
}
