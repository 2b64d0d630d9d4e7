// Activations (from the one activation table), their gradients, and inverted dropout with the shared counter RNG.

import { ACTIVATIONS } from '../../../graph/activations';
import type { OpOf } from '../../../graph/ops';
import { rngU32 } from '../../../rng/rng';
import type { CpuMemory, Thunk } from '../memory';

export function unary(op: OpOf<'unary'>, mem: CpuMemory): Thunk {
  const x = mem.view(op.x);
  const out = mem.view(op.out);
  const { size, param } = op;
  const f = ACTIVATIONS[op.fn].f;
  if (op.fn === 'relu')
    return () => {
      for (let i = 0; i < size; i++) out[i] = x[i] > 0 ? x[i] : 0;
    };
  if (op.fn === 'tanh')
    return () => {
      for (let i = 0; i < size; i++) out[i] = Math.tanh(x[i]);
    };
  return () => {
    for (let i = 0; i < size; i++) out[i] = f(x[i], param);
  };
}

export function unaryGrad(op: OpOf<'unary_grad'>, mem: CpuMemory): Thunk {
  const x = mem.view(op.x);
  const y = mem.view(op.y);
  const dy = mem.view(op.dy);
  const dx = mem.view(op.dx);
  const { size, param } = op;
  const df = ACTIVATIONS[op.fn].df;
  if (op.fn === 'relu')
    return () => {
      for (let i = 0; i < size; i++) dx[i] = x[i] > 0 ? dy[i] : 0;
    };
  if (op.fn === 'tanh')
    return () => {
      for (let i = 0; i < size; i++) dx[i] = dy[i] * (1 - y[i] * y[i]);
    };
  return () => {
    for (let i = 0; i < size; i++) dx[i] = dy[i] * df(x[i], y[i], param);
  };
}

export function dropout(op: OpOf<'dropout'>, mem: CpuMemory): Thunk {
  const x = mem.view(op.x);
  const out = mem.view(op.out);
  const mask = mem.view(op.mask);
  const { size, stream } = op;
  const seed = mem.program.seed;
  return () => {
    const threshold = mem.u32(op.threshold);
    const scale = mem.f32(op.scale);
    const step = mem.step;
    for (let i = 0; i < size; i++) {
      const keep = rngU32(seed, stream, step, i) >>> 8 >= threshold;
      const m = keep ? scale : 0;
      mask[i] = m;
      out[i] = x[i] * m;
    }
  };
}
