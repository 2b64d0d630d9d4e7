// BatchNorm (train and eval) and LayerNorm with their gradients. Statistics in float64; the normalisation uses the
// biased variance, the running variance the unbiased one (PyTorch).

import type { OpOf } from '../../../graph/ops';
import type { CpuMemory, Thunk } from '../memory';

export function batchnorm(op: OpOf<'batchnorm'>, mem: CpuMemory): Thunk {
  const x = mem.view(op.x);
  const out = mem.view(op.out);
  const gamma = mem.view(op.gamma);
  const beta = mem.view(op.beta);
  const rm = mem.view(op.runningMean);
  const rv = mem.view(op.runningVar);
  const sm = mem.view(op.saveMean);
  const si = mem.view(op.saveInvStd);
  const { outer, channels, inner, eps, momentum } = op;
  const count = outer * inner;
  return () => {
    for (let c = 0; c < channels; c++) {
      let s = 0;
      for (let o = 0; o < outer; o++) {
        const base = (o * channels + c) * inner;
        for (let i = 0; i < inner; i++) s += x[base + i];
      }
      const mean = s / count;
      let v = 0;
      for (let o = 0; o < outer; o++) {
        const base = (o * channels + c) * inner;
        for (let i = 0; i < inner; i++) {
          const d = x[base + i] - mean;
          v += d * d;
        }
      }
      const varB = v / count;
      const invstd = 1 / Math.sqrt(varB + eps);
      const g = gamma[c] * invstd;
      const bb = beta[c];
      for (let o = 0; o < outer; o++) {
        const base = (o * channels + c) * inner;
        for (let i = 0; i < inner; i++) out[base + i] = (x[base + i] - mean) * g + bb;
      }
      sm[c] = mean;
      si[c] = invstd;
      rm[c] = (1 - momentum) * rm[c] + momentum * mean;
      rv[c] = (1 - momentum) * rv[c] + momentum * (count > 1 ? v / (count - 1) : varB);
    }
  };
}

export function batchnormEval(op: OpOf<'batchnorm_eval'>, mem: CpuMemory): Thunk {
  const x = mem.view(op.x);
  const out = mem.view(op.out);
  const gamma = mem.view(op.gamma);
  const beta = mem.view(op.beta);
  const rm = mem.view(op.runningMean);
  const rv = mem.view(op.runningVar);
  const { outer, channels, inner, eps } = op;
  return () => {
    for (let c = 0; c < channels; c++) {
      const g = gamma[c] / Math.sqrt(rv[c] + eps);
      const mean = rm[c];
      const bb = beta[c];
      for (let o = 0; o < outer; o++) {
        const base = (o * channels + c) * inner;
        for (let i = 0; i < inner; i++) out[base + i] = (x[base + i] - mean) * g + bb;
      }
    }
  };
}

export function batchnormGrad(op: OpOf<'batchnorm_grad'>, mem: CpuMemory): Thunk {
  const x = mem.view(op.x);
  const dy = mem.view(op.dy);
  const dx = mem.view(op.dx);
  const gamma = mem.view(op.gamma);
  const sm = mem.view(op.saveMean);
  const si = mem.view(op.saveInvStd);
  const dgamma = mem.view(op.dgamma);
  const dbeta = mem.view(op.dbeta);
  const { outer, channels, inner } = op;
  const count = outer * inner;
  return () => {
    for (let c = 0; c < channels; c++) {
      const mean = sm[c];
      const invstd = si[c];
      let sdy = 0;
      let sdyx = 0;
      for (let o = 0; o < outer; o++) {
        const base = (o * channels + c) * inner;
        for (let i = 0; i < inner; i++) {
          const g = dy[base + i];
          sdy += g;
          sdyx += g * (x[base + i] - mean) * invstd;
        }
      }
      dgamma[c] = sdyx;
      dbeta[c] = sdy;
      const k = (gamma[c] * invstd) / count;
      for (let o = 0; o < outer; o++) {
        const base = (o * channels + c) * inner;
        for (let i = 0; i < inner; i++) {
          const xhat = (x[base + i] - mean) * invstd;
          dx[base + i] = k * (count * dy[base + i] - sdy - xhat * sdyx);
        }
      }
    }
  };
}

export function layernorm(op: OpOf<'layernorm'>, mem: CpuMemory): Thunk {
  const x = mem.view(op.x);
  const out = mem.view(op.out);
  const gamma = mem.view(op.gamma);
  const beta = mem.view(op.beta);
  const sm = mem.view(op.saveMean);
  const si = mem.view(op.saveInvStd);
  const { rows, cols, eps } = op;
  return () => {
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      let s = 0;
      for (let j = 0; j < cols; j++) s += x[base + j];
      const mean = s / cols;
      let v = 0;
      for (let j = 0; j < cols; j++) {
        const d = x[base + j] - mean;
        v += d * d;
      }
      const invstd = 1 / Math.sqrt(v / cols + eps);
      for (let j = 0; j < cols; j++) out[base + j] = (x[base + j] - mean) * invstd * gamma[j] + beta[j];
      sm[r] = mean;
      si[r] = invstd;
    }
  };
}

export function layernormGrad(op: OpOf<'layernorm_grad'>, mem: CpuMemory): Thunk {
  const x = mem.view(op.x);
  const dy = mem.view(op.dy);
  const dx = mem.view(op.dx);
  const gamma = mem.view(op.gamma);
  const sm = mem.view(op.saveMean);
  const si = mem.view(op.saveInvStd);
  const dgamma = mem.view(op.dgamma);
  const dbeta = mem.view(op.dbeta);
  const { rows, cols } = op;
  mem.reserveScratch(2 * cols);
  return () => {
    const acc = mem.scratch; // [0, cols): dgamma, [cols, 2 cols): dbeta
    acc.fill(0, 0, 2 * cols);
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      const mean = sm[r];
      const invstd = si[r];
      let sd = 0;
      let sdx = 0;
      for (let j = 0; j < cols; j++) {
        const xhat = (x[base + j] - mean) * invstd;
        const g = dy[base + j];
        acc[j] += g * xhat;
        acc[cols + j] += g;
        const dxhat = g * gamma[j];
        sd += dxhat;
        sdx += dxhat * xhat;
      }
      for (let j = 0; j < cols; j++) {
        const xhat = (x[base + j] - mean) * invstd;
        dx[base + j] = (invstd / cols) * (cols * dy[base + j] * gamma[j] - sd - xhat * sdx);
      }
    }
    for (let j = 0; j < cols; j++) {
      dgamma[j] = acc[j];
      dbeta[j] = acc[cols + j];
    }
  };
}
