// Inspection over the same state as training: weights and gradients, activation histograms and statistics, the
// decision grid and per-neuron grids. Results are checked against a direct computation on the same weights; on
// WebGPU the device's grid predictions must equal the CPU's.
import { afterEach, describe, expect, it } from 'vitest';
import { webgpuBackend } from '../backends/webgpu/index';
import { hotFromSpec, packHypers } from '../graph/hypers';
import type { Program } from '../graph/program';
import { requireGpuInCi } from '../testing/gpuGate';
import { ActivationProbe } from './activations';
import { type Harness, harness, mlpSpec } from './testing';
import type { InspectResult, LiveRuntime } from './types';

const gpu = await webgpuBackend.available();
requireGpuInCi(gpu, 'inspect.test.ts');

let open: Harness[] = [];
afterEach(async () => {
  for (const h of open) await h.session.dispose();
  open = [];
});
function make(): Harness {
  const h = harness();
  open.push(h);
  return h;
}

function as<W extends InspectResult['what']>(r: InspectResult, what: W): Extract<InspectResult, { what: W }> {
  if (r.what !== what) throw new Error(`expected ${what}, got ${r.what}`);
  return r as Extract<InspectResult, { what: W }>;
}

const range = { xRange: [-1.5, 1.5] as [number, number], yRange: [-1, 1] as [number, number] };

describe('inspection (CPU)', () => {
  it('per-neuron grids equal a hand computation and the decision grid, on the same weights', async () => {
    const h = make();
    await h.session.compile(mlpSpec({ hidden: [6, 5], act: 'relu' }), 'cpu');
    await h.session.stepN(30);
    const { weights } = await h.session.snapshot();
    const res = 7;
    const neurons = as(await h.session.inspect({ what: 'neurons', ...range, resolution: res }), 'neurons');
    expect(neurons.layers.map((l) => l.layer)).toEqual(['0', '1', '2', '3', '4']);
    expect(neurons.layers[0].units).toBe(6);
    // Layer 0 by hand: W x + b at every grid point.
    const W = weights['0.weight'].data;
    const b = weights['0.bias'].data;
    let worst = 0;
    for (let j = 0; j < res; j++)
      for (let i = 0; i < res; i++) {
        const x = -1.5 + (3 * i) / (res - 1);
        const y = -1 + (2 * j) / (res - 1);
        for (let u = 0; u < 6; u++) {
          const want = W[u * 2] * x + W[u * 2 + 1] * y + b[u];
          worst = Math.max(worst, Math.abs(neurons.layers[0].values[(j * res + i) * 6 + u] - want));
        }
      }
    expect(worst).toBeLessThan(1e-5);
    // The relu layer is max(0, layer 0); the last layer equals the runtime's own predictions.
    const l0 = neurons.layers[0].values;
    expect(Array.from(neurons.layers[1].values)).toEqual(Array.from(l0, (v) => Math.max(0, v)));
    const grid = as(await h.session.inspect({ what: 'grid', ...range, resolution: res }), 'grid');
    expect(Array.from(neurons.layers[4].values)).toEqual(Array.from(grid.values));
  });

  it('activation statistics count dead ReLUs and match the values they summarise', async () => {
    const h = make();
    await h.session.compile(mlpSpec({ hidden: [16], act: 'relu' }), 'cpu');
    await h.session.stepN(20);
    const act = as(await h.session.inspect({ what: 'activations', bins: 10 }), 'activations');
    expect(act.rows).toBe(48);
    const relu = act.layers.find((l) => l.layer === '1');
    const dense = act.layers.find((l) => l.layer === '0');
    if (!relu || !dense) throw new Error('missing layers');
    expect(relu.count).toBe(48 * 16);
    expect(relu.histogram.counts.reduce((a, c) => a + c, 0)).toBe(48 * 16);
    expect(relu.histogram.min).toBe(0);
    expect(relu.zeros).toBeGreaterThan(0);
    expect(relu.zeros).toBeLessThan(1);
    // Zeros of the relu are exactly the non-positive pre-activations: compare with the dense layer's histogram.
    expect(dense.histogram.min).toBeLessThan(0);
    expect(relu.mean).toBeGreaterThan(0);
    const grads = as(await h.session.inspect({ what: 'gradients', bins: 8 }), 'gradients');
    expect(grads.layers.map((l) => l.layer)).toEqual(['0', '2']);
    expect(grads.layers.every((l) => l.l2 > 0 && l.nonFinite === 0)).toBe(true);
  });
});

describe.skipIf(!gpu.ok)('inspection (WebGPU)', () => {
  it('the device decision grid equals the CPU computation on the same weights', async () => {
    const h = make();
    await h.session.compile(mlpSpec({ hidden: [16, 16], act: 'tanh', optimizer: 'adam', lr: 0.01 }), 'webgpu');
    await h.session.stepN(40);
    const res = 30;
    const grid = as(await h.session.inspect({ what: 'grid', ...range, resolution: res }), 'grid');
    const neurons = as(await h.session.inspect({ what: 'neurons', ...range, resolution: res }), 'neurons');
    const cpu = neurons.layers[neurons.layers.length - 1].values;
    expect(grid.values.length).toBe(cpu.length);
    let worst = 0;
    for (let i = 0; i < cpu.length; i++)
      worst = Math.max(worst, Math.abs(grid.values[i] - cpu[i]) / Math.max(1, Math.abs(cpu[i])));
    expect(worst).toBeLessThan(1e-4);
  });

  it('activation statistics are computed on the device and equal the host probe on the same weights', async () => {
    let deviceCalls = 0;
    const h = harness({}, (host) => ({
      ...host,
      activationStats: (rt, x, rows, bins) => {
        deviceCalls++;
        return host.activationStats?.(rt, x, rows, bins) ?? null;
      },
    }));
    open.push(h);
    await h.session.compile(mlpSpec({ hidden: [16, 8], act: 'relu', optimizer: 'adam', lr: 0.01 }), 'webgpu');
    await h.session.stepN(30);
    const act = as(await h.session.inspect({ what: 'activations', bins: 12 }), 'activations');
    expect(deviceCalls).toBe(1);
    const s = h.session as unknown as { runtime: LiveRuntime; program: Program };
    const p = s.program;
    const data = await (
      h.session as unknown as { dataset(): Promise<{ val: { x: Float32Array; count: number } }> }
    ).dataset();
    const probe = new ActivationProbe(p);
    probe.setHypers(packHypers(p, hotFromSpec(p.spec)));
    const want = probe.stats(await s.runtime.readState(), data.val.x, act.rows, 12);
    expect(act.layers.map((l) => l.layer)).toEqual(want.map((l) => l.layer));
    act.layers.forEach((l, i) => {
      const w = want[i];
      expect(l.count).toBe(w.count);
      for (const k of ['mean', 'std', 'zeros'] as const)
        expect(Math.abs(l[k] - w[k]) / Math.max(1, Math.abs(w[k]))).toBeLessThanOrEqual(1e-5);
      expect(l.histogram.counts.reduce((a, c) => a + c, 0)).toBe(w.count);
      let diff = 0;
      for (let b = 0; b < 12; b++) diff += Math.abs(l.histogram.counts[b] - w.histogram.counts[b]);
      expect(diff).toBeLessThanOrEqual(2);
    });
    expect(act.layers.some((l) => l.zeros > 0)).toBe(true);
  });
});
