// The session's pure parts: chunk sizing, metric batching, divergence judgement, the memory guard and the 'auto'
// backend decision.
import { describe, expect, it } from 'vitest';
import { compileSpec } from '../testing/specs';
import { decideBackend, describeNetwork, programCost } from './autoBackend';
import { fitSpeed } from './calibrate';
import { ChunkSizer } from './chunk';
import { diagnose, type TraceStep } from './divergence';
import { checkMemory } from './memoryGuard';
import { MetricsBuffer, mergeMetrics } from './metrics';
import { mlpSpec } from './testing';
import type { LayerGradNorm } from './types';

describe('ChunkSizer', () => {
  it('steers k so a chunk takes 10-30 ms, growing at most 4x per chunk', () => {
    const c = new ChunkSizer();
    const seen: number[] = [];
    for (let i = 0; i < 12; i++) {
      const k = c.steps;
      seen.push(k);
      c.observe(k, k * 0.05); // 50 us per step
    }
    expect(seen.slice(0, 4)).toEqual([1, 4, 16, 64]);
    expect(c.steps * 0.05).toBeGreaterThanOrEqual(10);
    expect(c.steps * 0.05).toBeLessThanOrEqual(30);
    // A slow-down (e.g. a bigger program's first steps) shrinks k at once.
    c.observe(c.steps, c.steps * 2);
    expect(c.steps * 2).toBeLessThanOrEqual(30);
  });
});

describe('MetricsBuffer', () => {
  it('releases at most one batch per interval, with throughput over the window', () => {
    let t = 0;
    const m = new MetricsBuffer(10, () => t, 33);
    m.push(0, [1, 2], null, [0.1, 0.1], 0);
    t = 10;
    expect(m.due()).toBe(false);
    m.push(2, [3], null, [0.1], 0);
    t = 40;
    expect(m.due()).toBe(true);
    const b = m.take();
    expect(Array.from(b?.step ?? [])).toEqual([0, 1, 2]);
    expect(b?.stepsPerSecond).toBeCloseTo(3 / 0.04, 6);
    expect(b?.samplesPerSecond).toBeCloseTo(30 / 0.04, 6);
    expect(m.take()).toBeNull();
    const merged = mergeMetrics([b as NonNullable<typeof b>, { ...(b as NonNullable<typeof b>) }]);
    expect(merged.step.length).toBe(6);
  });
});

const norms = (g: number[], w: number[] = g.map(() => 1)): LayerGradNorm[] =>
  g.map((gradNorm, i) => ({ layer: `${2 * i}`, label: `layer ${2 * i}`, gradNorm, weightNorm: w[i] }));

describe('diagnose', () => {
  const base = { signal: 'loss' as const, lastFiniteLoss: 3, initStep: 0, restoredStep: 100, step: 130 };

  it('blames the learning rate when one step moves weights by a large fraction of their size', () => {
    const trace: TraceStep[] = [
      { step: 100, loss: 1, lr: 5, layers: norms([0.5, 0.4, 0.3], [2, 2, 2]) },
      { step: 101, loss: 9, lr: 5, layers: norms([50, 40, 1e6], [2, 2, 2]) },
      { step: 102, loss: Number.NaN, lr: 5, layers: norms([Number.NaN, Number.NaN, Number.NaN]) },
    ];
    const r = diagnose({ ...base, recentLosses: [1, 2, 4, 8], trace, lr: 5 });
    expect(r.cause).toBe('learning_rate');
    expect(r.layer?.key).toBe('4');
    expect(r.explanation).toMatch(/learning rate 5/);
  });

  it('blames exploding gradients when the gradient grows toward the input at a small learning rate', () => {
    const trace: TraceStep[] = [
      { step: 100, loss: 1, lr: 1e-4, layers: norms([500, 5, 0.5], [10, 10, 10]) },
      { step: 101, loss: 1, lr: 1e-4, layers: norms([5e6, 50, 0.6], [10, 10, 10]) },
    ];
    const r = diagnose({ ...base, recentLosses: [1, 1, 1, 1], trace, lr: 1e-4 });
    expect(r.cause).toBe('exploding_gradients');
    expect(r.layer?.key).toBe('0');
    expect(r.explanation).toMatch(/layer 0's gradient is 1000x/);
  });

  it('blames the initialisation when the loss overflows in the first steps', () => {
    const trace: TraceStep[] = [{ step: 0, loss: 1e30, lr: 0.01, layers: norms([1e20, 1e10], [1e4, 1e4]) }];
    const r = diagnose({ ...base, step: 1, restoredStep: 0, recentLosses: [1e30], trace, lr: 0.01 });
    expect(r.cause).toBe('bad_initialisation');
    expect(r.explanation).toMatch(/initial/);
  });

  it('still answers without per-layer norms', () => {
    const r = diagnose({ ...base, recentLosses: [1, 3, 9, 27], trace: [], lr: 0.5 });
    expect(r.layer).toBeNull();
    expect(r.cause).toBe('learning_rate');
  });
});

describe('memory guard', () => {
  const limits = { maxStorageBufferBindingSize: 128 * 2 ** 20, maxBufferSize: 128 * 2 ** 20 };

  it('passes a small network', () => {
    expect(checkMemory(compileSpec(mlpSpec({})), limits).ok).toBe(true);
  });

  it('names the layer, the bytes and what to reduce when an activation binding is too big', () => {
    const p = compileSpec(mlpSpec({ hidden: [4096, 4096], batch: 2048, points: 10_000 }));
    const r = checkMemory(p, { maxStorageBufferBindingSize: 16 * 2 ** 20, maxBufferSize: 2 ** 30 }, 'this GPU');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.message).toMatch(/^layer 0 \(dense, 4096 units\) needs 32\.0 MiB in one buffer binding/);
    expect(r.message).toMatch(/this GPU's limit of 16\.0 MiB per binding/);
    expect(r.message).toMatch(/reduce the batch size \(now 2048\)/);
    const whole = checkMemory(p, limits, 'this GPU');
    expect(!whole.ok && whole.message).toMatch(
      /arena.* needs 19\d\.\d MiB, over this GPU's limit of 128\.0 MiB per buffer/,
    );
  });

  it('refuses a parameter arena over the buffer limit, naming the heaviest layer', () => {
    const p = compileSpec(mlpSpec({ hidden: [4096, 4096, 4096], optimizer: 'adam', batch: 4 }));
    const r = checkMemory(p, { maxStorageBufferBindingSize: 2 ** 30, maxBufferSize: 128 * 2 ** 20 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/parameter\/state arena .* needs \d+\.\d MiB.*layer 2 \(dense, 4096 units\)/);
  });
});

describe("backend 'auto'", () => {
  const speeds = { cpu: { usPerDispatch: 2, flopsPerUs: 1000 }, webgpu: { usPerDispatch: 10, flopsPerUs: 20_000 } };
  const available = { cpu: { ok: true as const }, webgpu: { ok: true as const } };

  it('picks the CPU for the Playground default and says why in plain words', () => {
    const p = compileSpec({ ...mlpSpec({ hidden: [8, 8], loss: 'mse' }), training: { batchSize: 10 } });
    expect(describeNetwork(p)).toBe('2-8-8-1 network');
    const d = decideBackend({ program: p, requested: 'auto', available, speeds });
    expect(d.backend).toBe('cpu');
    expect(d.reason).toMatch(/^CPU: this 2-8-8-1 network is too small to pay for GPU dispatches/);
  });

  it('picks WebGPU for a network with enough arithmetic per step', () => {
    const p = compileSpec(mlpSpec({ hidden: [1024, 1024], batch: 256, points: 1000 }));
    const cost = programCost(p);
    expect(cost.flops).toBeGreaterThan(1e9);
    expect(cost.gpuDispatches).toBeGreaterThan(10);
    const d = decideBackend({ program: p, requested: 'auto', available, speeds });
    expect(d.backend).toBe('webgpu');
    expect(d.reason).toMatch(/^WebGPU: this 2-1024-1024-2 network does \d/);
  });

  it('falls back to the CPU with the reason when WebGPU is missing', () => {
    const p = compileSpec(mlpSpec({}));
    const d = decideBackend({
      program: p,
      requested: 'webgpu',
      available: { cpu: { ok: true }, webgpu: { ok: false, reason: 'no adapter' } },
      speeds,
    });
    expect(d).toMatchObject({ backend: 'cpu', reason: 'CPU: WebGPU was requested but is unavailable (no adapter).' });
  });

  it('fits dispatch overhead and throughput from two measurements', () => {
    const truth = { usPerDispatch: 8, flopsPerUs: 3000 };
    const us = (calls: number, flops: number) => calls * truth.usPerDispatch + flops / truth.flopsPerUs;
    const tiny = { calls: 22, flops: 11_196, us: us(22, 11_196) };
    const big = { calls: 22, flops: 6.8e6, us: us(22, 6.8e6) };
    const fit = fitSpeed('webgpu', tiny, big);
    expect(fit.usPerDispatch).toBeCloseTo(8, 3);
    expect(fit.flopsPerUs).toBeCloseTo(3000, 0);
  });
});
