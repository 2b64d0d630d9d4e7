// Gradient clipping and the optimizer updates, over whole regions (params, grads and each state buffer are
// parallel). Formulas follow torch.optim's single-tensor implementations in torch 1.13, step t = step + 1.
// Math in float64 per element; every stored value rounds to float32 as torch's tensors do.

import type { OpOf } from '../../../graph/ops';
import type { CpuMemory, Thunk } from '../memory';

export function sumSquares(op: OpOf<'sum_squares'>, mem: CpuMemory): Thunk {
  const x = mem.view(op.x);
  const out = mem.view(op.out);
  const size = op.size;
  return () => {
    let s = 0;
    for (let i = 0; i < size; i++) s += x[i] * x[i];
    out[0] = s;
  };
}

export function clipNorm(op: OpOf<'clip_norm'>, mem: CpuMemory): Thunk {
  const x = mem.view(op.x);
  const normSq = mem.view(op.normSq);
  const size = op.size;
  return () => {
    const coef = mem.f32(op.maxNorm) / (Math.sqrt(normSq[0]) + 1e-6);
    if (coef >= 1) return;
    const c = Math.fround(coef);
    for (let i = 0; i < size; i++) x[i] *= c;
  };
}

export function clipValue(op: OpOf<'clip_value'>, mem: CpuMemory): Thunk {
  const x = mem.view(op.x);
  const size = op.size;
  return () => {
    const v = mem.f32(op.value);
    for (let i = 0; i < size; i++) x[i] = x[i] > v ? v : x[i] < -v ? -v : x[i];
  };
}

export function sgdUpdate(op: OpOf<'sgd_update'>, mem: CpuMemory): Thunk {
  const p = mem.view(op.param);
  const g = mem.view(op.grad);
  const buf = mem.view(op.momentumBuf);
  const { size, nesterov } = op;
  return () => {
    const lr = mem.lr;
    const m = Number.isNaN(mem.momentum) ? mem.f32(op.momentum) : mem.momentum;
    const damp = mem.f32(op.dampening);
    const wd = mem.f32(op.weightDecay);
    const first = mem.step === 0;
    for (let i = 0; i < size; i++) {
      let d = wd !== 0 ? g[i] + wd * p[i] : g[i];
      if (m !== 0) {
        const b = first ? d : m * buf[i] + (1 - damp) * d;
        buf[i] = b;
        d = nesterov ? d + m * buf[i] : buf[i];
      }
      p[i] -= lr * d;
    }
  };
}

export function rmspropUpdate(op: OpOf<'rmsprop_update'>, mem: CpuMemory): Thunk {
  const p = mem.view(op.param);
  const g = mem.view(op.grad);
  const sq = mem.view(op.squareAvg);
  const ga = mem.view(op.gradAvg);
  const buf = mem.view(op.momentumBuf);
  const { size, centered } = op;
  return () => {
    const lr = mem.lr;
    const alpha = mem.f32(op.alpha);
    const eps = mem.f32(op.eps);
    const m = Number.isNaN(mem.momentum) ? mem.f32(op.momentum) : mem.momentum;
    const wd = mem.f32(op.weightDecay);
    for (let i = 0; i < size; i++) {
      const d = wd !== 0 ? g[i] + wd * p[i] : g[i];
      sq[i] = alpha * sq[i] + (1 - alpha) * d * d;
      let avg: number;
      if (centered) {
        ga[i] = alpha * ga[i] + (1 - alpha) * d;
        avg = Math.sqrt(sq[i] - ga[i] * ga[i]) + eps;
      } else avg = Math.sqrt(sq[i]) + eps;
      if (m > 0) {
        buf[i] = m * buf[i] + d / avg;
        p[i] -= lr * buf[i];
      } else p[i] -= (lr * d) / avg;
    }
  };
}

export function adagradUpdate(op: OpOf<'adagrad_update'>, mem: CpuMemory): Thunk {
  const p = mem.view(op.param);
  const g = mem.view(op.grad);
  const sum = mem.view(op.sum);
  const size = op.size;
  return () => {
    const eps = mem.f32(op.eps);
    const wd = mem.f32(op.weightDecay);
    const clr = mem.lr / (1 + mem.step * mem.f32(op.lrDecay));
    for (let i = 0; i < size; i++) {
      const d = wd !== 0 ? g[i] + wd * p[i] : g[i];
      sum[i] += d * d;
      p[i] -= (clr * d) / (Math.sqrt(sum[i]) + eps);
    }
  };
}

export function adamUpdate(op: OpOf<'adam_update'>, mem: CpuMemory): Thunk {
  const p = mem.view(op.param);
  const g = mem.view(op.grad);
  const m1 = mem.view(op.expAvg);
  const m2 = mem.view(op.expAvgSq);
  const { size, decoupled } = op;
  return () => {
    const lr = mem.lr;
    const b1 = Number.isNaN(mem.momentum) ? mem.f32(op.beta1) : mem.momentum;
    const b2 = mem.f32(op.beta2);
    const eps = mem.f32(op.eps);
    const wd = mem.f32(op.weightDecay);
    const t = mem.step + 1;
    const stepSize = lr / (1 - b1 ** t);
    const bc2sqrt = Math.sqrt(1 - b2 ** t);
    const decay = decoupled ? 1 - lr * wd : 1;
    for (let i = 0; i < size; i++) {
      if (decoupled) p[i] *= decay;
      const d = !decoupled && wd !== 0 ? g[i] + wd * p[i] : g[i];
      m1[i] = b1 * m1[i] + (1 - b1) * d;
      m2[i] = b2 * m2[i] + (1 - b2) * d * d;
      p[i] -= (stepSize * m1[i]) / (Math.sqrt(m2[i]) / bc2sqrt + eps);
    }
  };
}
