// The live session over the real CPU runtime: continuous training in adaptive chunks, hot hyperparameters taking
// effect at the next submit, recompile keeping matching weights, divergence reported (and nothing thrown), batched
// metrics and periodic evaluation.
import { afterEach, describe, expect, it } from 'vitest';
import { deepSigmoid, type Harness, harness, mlpSpec } from './testing';
import type { WeightsDict } from './types';

let open: Harness[] = [];
function make(...args: Parameters<typeof harness>): Harness {
  const h = harness(...args);
  open.push(h);
  return h;
}
afterEach(async () => {
  for (const h of open) await h.session.dispose();
  open = [];
});

const contiguous = (steps: number[], from = 0) => steps.every((s, i) => s === from + i);
const lastStep = (h: Harness) => {
  const s = h.series().step;
  return s.length ? s[s.length - 1] : -1;
};
const same = (a: WeightsDict, b: WeightsDict, keys: string[]) =>
  keys.every((k) => a[k].data.length === b[k].data.length && a[k].data.every((v, i) => v === b[k].data[i]));

describe('LiveSession (CPU runtime)', () => {
  it('trains continuously in chunks, batching metrics and evaluating once per epoch', async () => {
    const h = make();
    const r = await h.session.compile(mlpSpec({}), 'cpu');
    expect(r.backend).toBe('cpu');
    const t0 = performance.now();
    h.session.train();
    await h.until(() => h.of('evaluation').length >= 3 && lastStep(h) >= 200, 'three evaluations');
    await h.session.pause();
    const seconds = (performance.now() - t0) / 1000;
    const s = h.series();
    expect(contiguous(s.step)).toBe(true);
    expect(s.loss.every(Number.isFinite)).toBe(true);
    // At most ~30 metric posts a second (plus the flush at pause).
    expect(h.of('metrics').length).toBeLessThanOrEqual(Math.ceil(seconds * 31) + 2);
    expect(h.session.chunkSteps).toBeGreaterThan(1);
    const evals = h.of('evaluation').map((e) => e.result);
    expect(evals[0].split).toBe('val');
    expect(evals[0].count).toBe(48);
    expect(h.session.state).toBe('idle');
    // Later losses are lower than the first ones: it learns.
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(s.loss.slice(-20))).toBeLessThan(mean(s.loss.slice(0, 20)));
  });

  it('applies a hot learning-rate change at the next submit; the step counter continues', async () => {
    const h = make();
    await h.session.compile(mlpSpec({ lr: 0.02 }), 'cpu');
    h.session.train();
    await h.until(() => lastStep(h) >= 60, 'step 60');
    const { step: at, applied } = await h.session.setHyper({ lr: 0.3 });
    expect(applied).toEqual(['lr']);
    await h.until(() => lastStep(h) >= at + 60, 'steps after the change');
    await h.session.pause();
    const s = h.series();
    expect(contiguous(s.step)).toBe(true);
    const wrongLr = s.step.filter((step, i) => Math.abs(s.lr[i] - (step < at ? 0.02 : 0.3)) > 1e-6);
    expect(wrongLr).toEqual([]);

    // The same run without the change: identical up to the change (the step-`at` loss is computed before its
    // update), different after it.
    const ref = make();
    await ref.session.compile(mlpSpec({ lr: 0.02 }), 'cpu');
    await ref.session.stepN(at + 40);
    const r = ref.series();
    expect(r.loss.slice(0, at + 1)).toEqual(s.loss.slice(0, at + 1));
    const diffs = r.loss.slice(at + 1, at + 40).filter((l, i) => l !== s.loss[at + 1 + i]).length;
    expect(diffs).toBeGreaterThan(30);
  });

  it('step(n) runs exactly n steps, and a momentum change applies to the next one', async () => {
    const h = make();
    await h.session.compile(mlpSpec({ lr: 0.05 }), 'cpu');
    expect((await h.session.stepN(25)).step).toBe(25);
    await h.session.setHyper({ momentum: 0.9 });
    expect((await h.session.stepN(25)).step).toBe(50);
    const ref = make();
    await ref.session.compile(mlpSpec({ lr: 0.05 }), 'cpu');
    await ref.session.stepN(50);
    const a = h.series().loss;
    const b = ref.series().loss;
    expect(contiguous(h.series().step)).toBe(true);
    expect(a.slice(0, 26)).toEqual(b.slice(0, 26));
    expect(a[30]).not.toBe(b[30]);
  });

  it('a batch-size change recompiles, keeps every weight and the step', async () => {
    const h = make();
    await h.session.compile(mlpSpec({ batch: 16 }), 'cpu');
    await h.session.stepN(30);
    const before = await h.session.snapshot();
    const { step, applied } = await h.session.setHyper({ batchSize: 8, lr: 0.01 });
    expect(applied).toEqual(['lr', 'batchSize']);
    expect(step).toBe(30);
    expect(h.session.currentProgram?.batchSize).toBe(8);
    const after = await h.session.snapshot();
    expect(same(before.weights, after.weights, Object.keys(before.weights))).toBe(true);
    await h.session.stepN(10);
    const s = h.series();
    expect(contiguous(s.step)).toBe(true);
    expect(s.lr[s.lr.length - 1]).toBeCloseTo(0.01, 6);
    const last = h.of('metrics').at(-1)?.metrics;
    expect(last?.samplesPerSecond).toBeCloseTo((last?.stepsPerSecond ?? 0) * 8, 3);
  });

  it('turning clipping on recompiles and carries weights, Adam state and the step; unused keys are reported', async () => {
    const h = make();
    await h.session.compile(mlpSpec({ optimizer: 'adam', lr: 0.01 }), 'cpu');
    await h.session.stepN(25);
    const rt = () => (h.session as unknown as { runtime: { readState(): Promise<Float32Array> } }).runtime;
    const region = (name: string, state: Float32Array) => {
      const t = h.session.currentProgram?.tensors.find((x) => x.name === name);
      if (!t) throw new Error(`no ${name}`);
      return Array.from(state.subarray(t.offset, t.offset + t.size));
    };
    const before = region('adam.exp_avg_sq', await rt().readState());
    const r = await h.session.setHyper({ clipGradNorm: 0.5, dropout: 0.3 });
    expect(r).toEqual({ applied: ['clipGradNorm'], ignored: ['dropout'], step: 25 });
    expect(h.session.currentProgram?.scalars.gradNormSq).not.toBeNull();
    expect(region('adam.exp_avg_sq', await rt().readState())).toEqual(before);
    await h.session.stepN(5);
    expect(contiguous(h.series().step)).toBe(true);
    // Turning it off again recompiles back; a hot value for an existing slot does not.
    expect((await h.session.setHyper({ clipGradNorm: 0 })).applied).toEqual(['clipGradNorm']);
    expect(h.session.currentProgram?.scalars.gradNormSq).toBeNull();
    expect((await h.session.setHyper({ weightDecay: 0.01 })).applied).toEqual(['weightDecay']);
  });

  it('recompile keeps the weights whose names and shapes match', async () => {
    const h = make();
    await h.session.compile(mlpSpec({ hidden: [8, 8] }), 'cpu');
    await h.session.stepN(20);
    const before = await h.session.snapshot();
    const r = await h.session.recompile(mlpSpec({ hidden: [8, 12] }));
    expect(r.kept?.sort()).toEqual(['0.bias', '0.weight', '4.bias']);
    expect(r.dropped?.join(' ')).toContain('2.weight');
    expect(h.session.step).toBe(20);
    const after = await h.session.snapshot();
    expect(same(before.weights, after.weights, ['0.weight', '0.bias', '4.bias'])).toBe(true);
    expect(after.weights['2.weight'].shape).toEqual([12, 8]);
    await h.session.stepN(5);
    expect(contiguous(h.series().step)).toBe(true);
  });

  it('reports divergence at lr 10 on a deep sigmoid MLP with step and cause, restores the weights, throws nothing', async () => {
    const h = make();
    await h.session.compile(deepSigmoid(10), 'cpu');
    const initial = await h.session.snapshot();
    h.session.train();
    await h.until(() => h.of('diverged').length > 0, 'divergence');
    await h.session.pause();
    const report = h.of('diverged')[0].report;
    expect(report.step).toBeGreaterThan(0);
    expect(report.signal).toBe('loss');
    expect(Number.isFinite(report.lastFiniteLoss)).toBe(true);
    expect(report.cause).toBe('learning_rate');
    expect(report.explanation).toMatch(/learning rate 10/);
    expect(report.layer?.label).toMatch(/^layer \d+ \(dense/);
    expect(report.layers.length).toBe(5);
    expect(report.restoredStep).toBe(0);
    expect(h.of('error')).toEqual([]);
    expect(h.session.state).toBe('diverged');
    // Weights from before the blow-up are back, and the run continues from them at the snapshot's step.
    expect(h.session.step).toBe(report.restoredStep);
    const restored = await h.session.snapshot();
    expect(same(initial.weights, restored.weights, Object.keys(initial.weights))).toBe(true);
    await h.session.setHyper({ lr: 0.05 });
    await h.session.stepN(40);
    const s = h.series();
    expect(s.loss.slice(-40).every(Number.isFinite)).toBe(true);
    expect(h.session.state).toBe('idle');
  });

  it('inspects weights, gradient norms and a decision grid', async () => {
    const h = make();
    await h.session.compile(mlpSpec({}), 'cpu');
    await h.session.stepN(10);
    const w = await h.session.inspect({ what: 'weights', bins: 16 });
    if (w.what !== 'weights') throw new Error('wrong kind');
    expect(w.layers.map((l) => l.layer)).toEqual(['0', '2', '4']);
    expect(w.layers[0].histogram.counts.reduce((a, b) => a + b, 0)).toBe(2 * 8 + 8);
    const g = await h.session.inspect({ what: 'gradNorms' });
    if (g.what !== 'gradNorms') throw new Error('wrong kind');
    expect(g.total).toBeGreaterThan(0);
    const grid = await h.session.inspect({ what: 'grid', xRange: [-1, 1], yRange: [-1, 1], resolution: 20 });
    if (grid.what !== 'grid') throw new Error('wrong kind');
    expect(grid.values.length).toBe(20 * 20 * 2);
    expect(grid.values.every(Number.isFinite)).toBe(true);
  });

  it('refuses bad requests with clear messages and keeps working', async () => {
    const h = make();
    await expect(h.session.stepN(1)).rejects.toThrow(/compile/);
    await expect(h.session.compile({ model: 'nope' }, 'cpu')).rejects.toThrow(/invalid/);
    await h.session.compile(mlpSpec({}), 'cpu');
    await expect(h.session.setHyper({ lr: Number.NaN })).rejects.toThrow(/finite/);
    await expect(h.session.recompile(mlpSpec({ hidden: [-3] }))).rejects.toThrow(/invalid/);
    expect((await h.session.stepN(3)).step).toBe(3);
  });

  it('refuses a network too big for the GPU before allocating it, or runs it on the CPU under auto', async () => {
    const small = { maxStorageBufferBindingSize: 2 ** 20, maxBufferSize: 64 * 2 ** 20 };
    const h = make({}, (host) => ({
      ...host,
      available: async () => ({ ok: true, detail: 'pretend' }),
      limits: async (b) => (b === 'webgpu' ? small : host.limits(b)),
      calibrate: undefined,
    }));
    const big = mlpSpec({ hidden: [1024, 1024], batch: 512, points: 1000 });
    await expect(h.session.compile(big, 'webgpu')).rejects.toThrow(
      /^layer 0 \(dense, 1024 units\) needs 2\.0 MiB in one buffer binding .* over this GPU's limit of 1\.0 MiB per binding: reduce the batch size \(now 512\)/,
    );
    expect(h.session.state).toBe('empty');
    const r = await h.session.compile(big, 'auto');
    expect(r.backend).toBe('cpu');
    expect(r.decision.reason).toMatch(/^CPU: too big for this GPU: layer 0/);
  });
});
