// Initial contents of the state arena, on the host: parameters by their layer's init rule (torch formulas, drawn
// from the counter RNG so a seed fixes them), BatchNorm buffers, optimizer state (zero, except Adagrad's initial
// accumulator). The same array goes to either backend, so both start from identical weights.

import { rngNormal, rngUniform } from '../rng/rng';
import type { Program } from './program';

/** RNG stream base for parameter init (dropout uses small stream numbers). */
const INIT_STREAM = 0x10000;

export function initialState(p: Program): Float32Array {
  const state = new Float32Array(p.arenas.state.size);
  p.params.forEach((param, index) => {
    const t = p.tensors[param.tensor];
    const view = state.subarray(t.offset, t.offset + t.size);
    const init = param.init;
    if (init.kind === 'const') {
      view.fill(init.value);
      return;
    }
    const { spec, fanIn, fanOut, isBias } = init;
    const uniform = (bound: number) => {
      for (let i = 0; i < view.length; i++) view[i] = (2 * rngUniform(p.seed, INIT_STREAM + index, 0, i) - 1) * bound;
    };
    const normal = (std: number) => {
      for (let i = 0; i < view.length; i++) view[i] = std * rngNormal(p.seed, INIT_STREAM + index, 0, i);
    };
    if (spec.type === 'default')
      uniform(1 / Math.sqrt(fanIn)); // kaiming_uniform(a=sqrt(5)) and the bias rule
    else if (isBias || spec.type === 'zeros') view.fill(0);
    else if (spec.type === 'normal') normal(spec.std);
    else if (spec.type === 'xavier_uniform') uniform(Math.sqrt(6 / (fanIn + fanOut)));
    else if (spec.type === 'xavier_normal') normal(Math.sqrt(2 / (fanIn + fanOut)));
    else if (spec.type === 'he_uniform') uniform(Math.sqrt(6 / fanIn));
    else normal(Math.sqrt(2 / fanIn)); // he_normal
  });
  for (const c of p.constants) state.set(c.values, p.tensors[c.tensor].offset);
  for (const g of p.groups) {
    const o = g.optimizer;
    if (o.type === 'adagrad' && o.initialAccumulatorValue !== 0) {
      const r = g.optState.sum;
      state.fill(o.initialAccumulatorValue, r.offset, r.offset + r.size);
    }
  }
  return state;
}
