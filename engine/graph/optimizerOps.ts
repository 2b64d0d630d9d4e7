// The optimizer update of one parameter group: its state buffers (torch's state names, each parallel to the group's
// parameters) and the one update op over the group's whole parameter sub-region, reading the group's own slots.

import type { NormalizedSpec } from '../spec/types';
import type { Op, SlotId, TensorId } from './ops';
import type { GroupSlotName, Region } from './program';

/** Optimizer state buffers per optimizer, each parallel to the params region (torch state names). */
export const OPT_STATE: Record<NormalizedSpec['optimizer']['type'], string[]> = {
  sgd: ['momentum_buffer'],
  rmsprop: ['square_avg', 'grad_avg', 'momentum_buffer'],
  adagrad: ['sum'],
  adam: ['exp_avg', 'exp_avg_sq'],
  adamw: ['exp_avg', 'exp_avg_sq'],
};

/** The update op of a group (the optimizer reads the group's slots through `slot`). */
export function updateOp(
  slot: (name: GroupSlotName) => SlotId,
  o: NormalizedSpec['optimizer'],
  params: Region,
  grads: Region,
  st: Record<string, Region>,
): Op {
  const size = params.size;
  const base = { param: params.tensor, grad: grads.tensor, size };
  const s = (name: string): TensorId => st[name].tensor;
  switch (o.type) {
    case 'sgd':
      return {
        kind: 'sgd_update',
        ...base,
        momentumBuf: s('momentum_buffer'),
        momentum: slot('momentum'),
        dampening: slot('dampening'),
        weightDecay: slot('weightDecay'),
        nesterov: o.nesterov,
      };
    case 'rmsprop':
      return {
        kind: 'rmsprop_update',
        ...base,
        squareAvg: s('square_avg'),
        gradAvg: s('grad_avg'),
        momentumBuf: s('momentum_buffer'),
        alpha: slot('alpha'),
        eps: slot('eps'),
        momentum: slot('momentum'),
        weightDecay: slot('weightDecay'),
        centered: o.centered,
      };
    case 'adagrad':
      return {
        kind: 'adagrad_update',
        ...base,
        sum: s('sum'),
        eps: slot('eps'),
        weightDecay: slot('weightDecay'),
        lrDecay: slot('lrDecay'),
      };
    case 'adam':
    case 'adamw':
      return {
        kind: 'adam_update',
        ...base,
        expAvg: s('exp_avg'),
        expAvgSq: s('exp_avg_sq'),
        beta1: slot('beta1'),
        beta2: slot('beta2'),
        eps: slot('eps'),
        weightDecay: slot('weightDecay'),
        decoupled: o.type === 'adamw',
      };
  }
}
