// The Lab's engine part on a live session: rewind to the exact initial state (CPU and WebGPU), aligned initial
// weights across models, the watched decision-boundary grid, predictions and the gradient-norm series.
import { afterEach, describe, expect, it } from 'vitest';
import type { BackendName } from '../backends/backend';
import { webgpuBackend } from '../backends/webgpu/index';
import { requireGpuInCi } from '../testing/gpuGate';
import { type Harness, harness, mlpSpec } from './testing';
import type { LiveRuntime } from './types';

const gpu = await webgpuBackend.available();
requireGpuInCi(gpu, 'lab.test.ts');

let open: Harness[] = [];
afterEach(async () => {
  for (const h of open) await h.session.dispose();
  open = [];
});

function track(h: Harness): Harness {
  open.push(h);
  return h;
}

/** Dropout, BatchNorm (running stats), Adam (optimizer state), a step schedule and shuffled epochs of 12 steps. */
const richSpec = (schedule: Record<string, unknown> = { type: 'step', stepSize: 20, gamma: 0.5 }) => ({
  ...mlpSpec({ optimizer: 'adam', lr: 0.01 }),
  model: {
    input: [2],
    layers: [
      { type: 'dense', units: 16 },
      { type: 'batchnorm' },
      { type: 'relu' },
      { type: 'dropout', rate: 0.3 },
      { type: 'dense', units: 16 },
      { type: 'tanh' },
      { type: 'dense', units: 2 },
    ],
  },
  schedule,
});

/** Losses of the steps [from, from + n) reported after event index `at`. */
function lossesAfter(h: Harness, at: number, n: number): number[] {
  const out: number[] = [];
  for (const e of h.events.slice(at)) {
    if (e.type !== 'metrics') continue;
    e.metrics.step.forEach((s, i) => {
      if (s === out.length && out.length < n) out.push(e.metrics.loss[i]);
    });
  }
  return out;
}

const runtimeOf = (h: Harness) => (h.session as unknown as { runtime: LiveRuntime }).runtime;

async function rewindReplays(backend: BackendName, schedule?: Record<string, unknown>): Promise<void> {
  const h = track(harness());
  await h.session.compile(richSpec(schedule), backend);
  const initial = await runtimeOf(h).readState();
  h.session.train();
  await h.until(() => h.series().step.length >= 80, '80 steps', 60_000);
  const first = lossesAfter(h, 0, 50);
  expect(first.length).toBe(50);
  // Rewind while training: it keeps training, from step 0.
  const at = h.events.length;
  expect(await h.session.rewind()).toEqual({ step: 0 });
  expect(h.session.state).toBe('training');
  await h.until(() => lossesAfter(h, at, 50).length >= 50, '50 steps after the rewind', 60_000);
  await h.session.pause();
  expect(lossesAfter(h, at, 50)).toEqual(first);
  // And once more from idle: the state arena is the compiled one again (weights, zero moments, BN buffers).
  await h.session.rewind();
  expect(h.session.step).toBe(0);
  expect(Array.from(await runtimeOf(h).readState())).toEqual(Array.from(initial));
  const again = h.events.length;
  await h.session.stepN(50);
  expect(lossesAfter(h, again, 50)).toEqual(first);
}

describe('rewind', () => {
  it('replays the first 50 losses bit for bit on the CPU (dropout, BatchNorm, Adam, shuffled epochs)', async () => {
    await rewindReplays('cpu');
  });

  it('resets a plateau schedule too (a fresh runtime)', async () => {
    await rewindReplays('cpu', { type: 'plateau', patience: 0, factor: 0.5 });
  });

  it.skipIf(!gpu.ok)('replays the first 50 losses bit for bit on WebGPU', async () => {
    await rewindReplays('webgpu');
  });
});

describe('compile alignWith', () => {
  const denseOnly = {
    ...mlpSpec({}),
    model: { input: [2], layers: [{ type: 'dense', units: 8 }, { type: 'relu' }, { type: 'dense', units: 2 }] },
    training: { batchSize: 16, seed: 1 },
  };
  const withBn = {
    ...denseOnly,
    model: {
      input: [2],
      layers: [{ type: 'dense', units: 8 }, { type: 'batchnorm' }, { type: 'relu' }, { type: 'dense', units: 2 }],
    },
    // Another seed: without alignment its weights would differ.
    training: { batchSize: 16, seed: 99 },
  };

  it('starts B (dense, batchnorm, relu, dense) from A (dense, relu, dense) initial dense weights', async () => {
    const a = track(harness());
    const b = track(harness());
    const plain = track(harness());
    await a.session.compile(denseOnly, 'cpu');
    const aInitial = a.session.initialState();
    await a.session.stepN(10); // A's current weights moved on; B must get the initial ones
    const r = await b.session.compile(withBn, 'cpu', { alignWith: aInitial ?? undefined });
    expect(r.aligned).toEqual(['0.weight', '0.bias', '3.weight', '3.bias']);
    await plain.session.compile(withBn, 'cpu');
    const aw = (await a.session.snapshot()).weights;
    const bw = (await b.session.snapshot()).weights;
    const pw = (await plain.session.snapshot()).weights;
    const aFirst = aInitial?.program.params.find((q) => q.key === '0.weight');
    const t = aInitial?.program.tensors[aFirst?.tensor ?? 0];
    const a0 = Array.from(aInitial?.state.subarray(t?.offset ?? 0, (t?.offset ?? 0) + (t?.size ?? 0)) ?? []);
    expect(Array.from(bw['0.weight'].data)).toEqual(a0);
    expect(Array.from(bw['0.weight'].data)).not.toEqual(Array.from(aw['0.weight'].data)); // A trained since
    expect(Array.from(pw['0.weight'].data)).not.toEqual(a0); // seed 99 alone differs
    // A's second dense is '2.*', B's is '3.*': matched by order, not key.
    await a.session.rewind();
    const a2 = (await a.session.snapshot()).weights;
    expect(Array.from(bw['3.weight'].data)).toEqual(Array.from(a2['2.weight'].data));
    expect(Array.from(bw['3.bias'].data)).toEqual(Array.from(a2['2.bias'].data));
    // B's own rewind goes back to the aligned start.
    await b.session.stepN(5);
    await b.session.rewind();
    expect(Array.from((await b.session.snapshot()).weights['0.weight'].data)).toEqual(a0);
  });
});

describe('loadWeights', () => {
  it('loads matching keys and reports the others', async () => {
    const h = track(harness());
    await h.session.compile(mlpSpec({}), 'cpu');
    const w = (await h.session.snapshot()).weights;
    const ones = { shape: w['0.weight'].shape, data: new Float32Array(w['0.weight'].data.length).fill(1) };
    const r = await h.session.loadWeights({
      '0.weight': ones,
      '2.bias': { shape: [3], data: [1, 2, 3] },
      '9.weight': { shape: [1], data: [0] },
    });
    expect(r.kept).toEqual(['0.weight']);
    expect(r.dropped).toHaveLength(2);
    expect(r.dropped[0]).toMatch(/^2\.bias: shape/);
    expect(r.dropped[1]).toMatch(/^9\.weight: /);
    expect(Array.from((await h.session.snapshot()).weights['0.weight'].data)).toEqual(Array.from(ones.data));
  });
});

describe('watchGrid', () => {
  it('pushes a frame at once, probabilities summing to 1 per cell, then at a bounded rate while training', async () => {
    const h = track(harness());
    await h.session.compile(mlpSpec({ hidden: [16, 16], lr: 0.1 }), 'cpu');
    await h.session.watchGrid({ xRange: [-2, 2], yRange: [-1, 3], resolution: 200 });
    const first = h.of('grid');
    expect(first).toHaveLength(1);
    const g = first[0].grid;
    expect(g).toMatchObject({ step: 0, resolution: 200, outputs: 2, kind: 'probabilities' });
    expect(g.values.length).toBe(200 * 200 * 2);
    let worst = 0;
    for (let i = 0; i < 200 * 200; i++) worst = Math.max(worst, Math.abs(g.values[2 * i] + g.values[2 * i + 1] - 1));
    expect(worst).toBeLessThan(1e-6);
    // Row 0 is at yRange[0], column 0 at xRange[0]: the frame equals the inspect grid over the same region.
    const raw = await h.session.inspect({ what: 'grid', xRange: [-2, 2], yRange: [-1, 3], resolution: 200 });
    if (raw.what !== 'grid') throw new Error('grid');
    const e0 = Math.exp(raw.values[0]);
    const e1 = Math.exp(raw.values[1]);
    expect(g.values[0]).toBeCloseTo(e0 / (e0 + e1), 6);

    const t0 = performance.now();
    h.session.train();
    await h.until(() => h.session.step >= 400 && h.of('grid').length >= 3, '400 steps and 2 pushes', 60_000);
    await h.session.pause();
    const elapsed = performance.now() - t0;
    const frames = h.of('grid').map((e) => e.grid);
    // While training: not more often than every 150 ms (+1 at pause, +1 at subscribe).
    expect(frames.length - 2).toBeLessThanOrEqual(Math.floor(elapsed / 150) + 1);
    const steps = frames.map((f) => f.step);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    // The pause pushed the weights training stopped at.
    expect(steps[steps.length - 1]).toBe(h.session.step);
    // After step(n), rewind and loadWeights too, so an idle view is current.
    await h.session.stepN(3);
    expect(h.of('grid').at(-1)?.grid.step).toBe(h.session.step);
    await h.session.rewind();
    expect(h.of('grid').at(-1)?.grid.step).toBe(0);
    const n = h.of('grid').length;
    await h.session.watchGrid(null);
    await h.session.stepN(3);
    expect(h.of('grid')).toHaveLength(n);
  });

  it('pushes raw values for regression', async () => {
    const h = track(harness());
    await h.session.compile(mlpSpec({ loss: 'mse' }), 'cpu');
    await h.session.watchGrid({ xRange: [-1, 1], yRange: [-1, 1], resolution: 10 });
    const raw = await h.session.inspect({ what: 'grid', xRange: [-1, 1], yRange: [-1, 1], resolution: 10 });
    const g = h.of('grid')[0].grid;
    expect(g.kind).toBe('values');
    expect(raw.what === 'grid' && Array.from(raw.values)).toEqual(Array.from(g.values));
  });

  it.skipIf(!gpu.ok)('runs a 200x200 grid as one submit on WebGPU', async () => {
    const h = track(harness());
    await h.session.compile(mlpSpec({ hidden: [16, 16] }), 'webgpu');
    const device = h.host.deviceOf(runtimeOf(h));
    if (!device) throw new Error('no device');
    const submit = device.queue.submit.bind(device.queue);
    let submits = 0;
    device.queue.submit = (b: Iterable<GPUCommandBuffer>) => {
      submits++;
      submit(b);
    };
    await h.session.watchGrid({ xRange: [-2, 2], yRange: [-2, 2], resolution: 200 });
    device.queue.submit = submit;
    expect(submits).toBe(1);
    const g = h.of('grid')[0].grid;
    expect(g.values.length).toBe(80_000);
    expect(g.values.every((v) => v >= 0 && v <= 1)).toBe(true);
  });
});

describe('predictions and dataset', () => {
  it('predicted classes agree with evaluate accuracy; probabilities per row sum to 1', async () => {
    const h = track(harness());
    await h.session.compile(mlpSpec({ hidden: [16], lr: 0.1 }), 'cpu');
    await h.session.stepN(100);
    const ev = await h.session.evaluate('val');
    const p = await h.session.predictions('val');
    expect(p.count).toBe(ev.count);
    expect(p.kind).toBe('probabilities');
    const predicted = p.predicted ?? new Int32Array(0);
    let right = 0;
    for (let i = 0; i < p.count; i++) if (predicted[i] === p.targets[i]) right++;
    expect(right / p.count).toBeCloseTo(ev.accuracy ?? -1, 10);
    for (let i = 0; i < p.count; i++) expect(p.values[2 * i] + p.values[2 * i + 1]).toBeCloseTo(1, 6);
    expect((await h.session.predictions('train', 10)).count).toBe(10);
    const reg = track(harness());
    await reg.session.compile(mlpSpec({ loss: 'mse' }), 'cpu');
    expect((await reg.session.predictions('val')).predicted).toBeNull();
  });

  it('returns the data points, with 2-D inputs as their own points', async () => {
    const h = track(harness());
    await h.session.compile(mlpSpec({ points: 240 }), 'cpu');
    const d = await h.session.datasetView(100);
    expect(d).toMatchObject({ inputShape: [2], classes: 2 });
    expect(d.train.count).toBe(100);
    expect(d.val.count).toBe(48);
    expect(d.train.x.length).toBe(200);
    expect(Array.from(d.points2d?.train ?? [])).toEqual(Array.from(d.train.x));
  });
});

describe('gradient-norm series', () => {
  it('a 10-layer sigmoid MLP: first-layer norms orders of magnitude below the last; steps increasing, in range', async () => {
    const h = track(harness());
    const spec = mlpSpec({ hidden: Array(9).fill(16), act: 'sigmoid', lr: 0.01 });
    await h.session.compile(spec, 'cpu');
    h.session.train();
    await h.until(
      () => h.of('metrics').reduce((n, e) => n + (e.metrics.gradNorms?.step.length ?? 0), 0) >= 4,
      '4 grad-norm samples',
      60_000,
    );
    await h.session.pause();
    const batches = h.of('metrics').map((e) => e.metrics);
    let prev = -1;
    let samples = 0;
    for (const m of batches) {
      const g = m.gradNorms;
      if (!g) continue;
      expect(g.keys).toHaveLength(10);
      expect(g.labels[0]).toMatch(/dense/);
      expect(g.norms.length).toBe(g.step.length * 10);
      for (let i = 0; i < g.step.length; i++) {
        expect(g.step[i]).toBeGreaterThan(prev);
        expect(g.step[i]).toBeGreaterThanOrEqual(m.step[0]);
        expect(g.step[i]).toBeLessThanOrEqual(m.step[m.step.length - 1]);
        prev = g.step[i];
        const firstLayer = g.norms[i * 10];
        const lastLayer = g.norms[i * 10 + 9];
        expect(firstLayer).toBeGreaterThan(0);
        expect(lastLayer / firstLayer).toBeGreaterThan(100);
        samples++;
      }
    }
    expect(samples).toBeGreaterThanOrEqual(4);
  });
});
