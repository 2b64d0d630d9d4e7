// CPU and WebGPU run the same seeded job (sampled data, dropout, BatchNorm, clipping, a schedule) and agree: the
// shared counter RNG gives both the same dropout masks and shuffles, so the runs match step by step.

import { describe, expect, it } from 'vitest';
import type { BackendFactory } from '../backends/backend';
import { CPU_KERNEL_VARIANTS, cpuBackendWith, cpuKernelSupport } from '../backends/cpu/index';
import { BACKENDS } from '../backends/index';
import { openRuntime } from '../backends/runtime';
import { compile } from '../graph/compile';
import { validateSpec } from '../spec/validate';
import { tensorErr } from './golden';
import { requireGpuInCi } from './gpuGate';

const avail = await BACKENDS.webgpu.available();
requireGpuInCi(avail, 'crossBackend.webgpu.test.ts');
const support = await cpuKernelSupport();

describe.skipIf(!avail.ok)('cpu and webgpu agree on a seeded run with dropout', () => {
  it('per-step losses and final weights within 1e-4, on every CPU kernel variant', async () => {
    const v = validateSpec({
      data: { kind: 'spiral', points: 300, noise: 0.05, seed: 2, classes: 3 },
      model: {
        input: [2],
        layers: [
          // No bias before BatchNorm: its true gradient is 0, and Adam turns float noise into lr-sized steps.
          { type: 'dense', units: 16, bias: false },
          { type: 'batchnorm' },
          { type: 'gelu' },
          { type: 'dropout', rate: 0.25 },
          { type: 'dense', units: 16 },
          { type: 'tanh' },
          { type: 'dropout', rate: 0.1 },
          { type: 'dense', units: 3 },
        ],
      },
      loss: { type: 'cross_entropy', labelSmoothing: 0.05 },
      optimizer: { type: 'adamw', lr: 0.01 },
      schedule: { type: 'cosine', totalSteps: 40, warmupSteps: 5 },
      regularization: { clipGradNorm: 1, l2: 1e-4 },
      training: { batchSize: 16, seed: 11 },
    });
    if (!v.ok) throw new Error(v.errors.map((e) => e.message).join('; '));
    const run = async (factory: BackendFactory) => {
      const rt = await openRuntime(compile(v.value), factory);
      const r = await rt.trainSteps(30);
      const w = await rt.getWeights();
      rt.dispose();
      return { losses: r.losses, w };
    };
    const gpu = await run(BACKENDS.webgpu);
    const variants = CPU_KERNEL_VARIANTS.filter((x) => support[x] === true);
    expect(variants).toContain('js');
    for (const variant of variants) {
      const cpu = await run(cpuBackendWith(variant));
      const lossErr = Math.max(...cpu.losses.map((l, i) => Math.abs(l - gpu.losses[i]) / Math.abs(l)));
      expect(lossErr, variant).toBeLessThan(1e-4);
      for (const [k, t] of Object.entries(cpu.w))
        expect(tensorErr(gpu.w[k].data, t.data), `${variant} ${k}`).toBeLessThan(1e-4);
    }
  });
});
