// The landscape against direct evaluation: sampled grid points equal Runtime.evaluate (the training-batch program,
// an independent path) at center + a * d1 + b * d2 within 1e-5 relative, on the CPU and on WebGPU; the line
// evaluation likewise; cancellation and progress.

import { describe, expect, it } from 'vitest';
import type { BackendName } from '../backends/backend';
import { BACKENDS } from '../backends/index';
import { openRuntime } from '../backends/runtime';
import { makeToyDataset } from '../data/toy2d';
import { compileSpec } from '../testing/specs';
import { computeLandscape, computeLine, evaluateChunked, LandscapeCancelled } from './compute';
import { combine, paramRegion, regionToStateDict } from './directions';
import { planeOpener } from './open';

const spec = {
  data: { kind: 'spiral', points: 240, noise: 0.05, seed: 3, classes: 3, valFraction: 0.25 },
  model: {
    input: [2],
    layers: [
      { type: 'dense', units: 12 },
      { type: 'batchnorm' },
      { type: 'relu' },
      { type: 'dropout', rate: 0.2 },
      { type: 'dense', units: 12 },
      { type: 'tanh' },
      { type: 'dense', units: 3 },
    ],
  },
  loss: { type: 'cross_entropy' },
  optimizer: { type: 'adam', lr: 0.02 },
  training: { batchSize: 16, seed: 5 },
};

const gpu = await BACKENDS.webgpu.available();
const backends: BackendName[] = gpu.ok ? ['cpu', 'webgpu'] : ['cpu'];

describe.each(backends)('landscape on %s', (backend) => {
  it('sampled grid points equal a direct loss evaluation at those weights (1e-5 relative)', async () => {
    const program = compileSpec(spec);
    const data = makeToyDataset(program.spec.data as never, 'cross_entropy');
    const rt = await openRuntime(program, BACKENDS[backend], { data });
    await rt.trainSteps(40); // BatchNorm running statistics away from their initial values
    const state = await rt.readState();
    const split = data.val;
    const result = await computeLandscape(
      { directions: 'random', grid: 11, range: 1, split: 'val', seed: 9 },
      { program, state, step: 40, split, smoothing: 0, open: planeOpener((p) => BACKENDS[backend].createExecutor(p)) },
    );
    expect(result.backend).toBe(backend);
    expect(result.losses.length).toBe(121);
    const { plane } = result;
    let worst = 0;
    for (const [i, j] of [
      [5, 5],
      [0, 0],
      [10, 10],
      [3, 8],
      [9, 1],
    ]) {
      const w = combine(plane.center, plane.d1, plane.d2, result.alphas[j], result.betas[i]);
      const problems = await rt.setWeights(regionToStateDict(program, w, state));
      expect(problems).toEqual([]);
      const direct = (await rt.evaluate('val')).loss;
      worst = Math.max(worst, Math.abs(result.losses[i * 11 + j] - direct) / Math.abs(direct));
    }
    expect(worst).toBeLessThan(1e-5);
    await rt.writeState(state);
    const center = (await rt.evaluate('val')).loss;
    expect(Math.abs(result.centerLoss - center) / center).toBeLessThan(1e-5);
    expect(result.losses[5 * 11 + 5]).toBeCloseTo(result.centerLoss, 5);
    // The landscape is not flat: the directions move the loss.
    expect(Math.max(...result.losses) - Math.min(...result.losses)).toBeGreaterThan(0.1);

    // The line from the center to a far point of the plane, against direct evaluation at t = 1.5.
    const far = combine(plane.center, plane.d1, plane.d2, 1, -1);
    const ts = Float64Array.from([-0.5, 0, 1, 1.5]);
    const line = await computeLine(
      { program, state, split, smoothing: 0, open: planeOpener((p) => BACKENDS[backend].createExecutor(p)) },
      plane.center,
      far,
      ts,
    );
    const at = new Float32Array(far.length);
    for (let k = 0; k < at.length; k++) at[k] = -0.5 * plane.center[k] + 1.5 * far[k];
    await rt.setWeights(regionToStateDict(program, at, state));
    const direct = (await rt.evaluate('val')).loss;
    expect(Math.abs(line[3] - direct) / direct).toBeLessThan(1e-5);
    expect(Math.abs(line[1] - center) / center).toBeLessThan(1e-5);
    rt.dispose();
  });
});

describe.each(backends)('landscape over more rows than one wide batch on %s', (backend) => {
  it('pads the last batch and still equals direct evaluation', async () => {
    const program = compileSpec({
      ...spec,
      data: { kind: 'moons', points: 2100, noise: 0.1, seed: 4, valFraction: 0 },
      model: { input: [2], layers: [{ type: 'dense', units: 6 }, { type: 'tanh' }, { type: 'dense', units: 2 }] },
    });
    const data = makeToyDataset(program.spec.data as never, 'cross_entropy');
    const rt = await openRuntime(program, BACKENDS[backend], { data });
    const state = await rt.readState();
    const result = await computeLandscape(
      { directions: 'random', grid: 11, range: 0.5, split: 'train', seed: 1 },
      {
        program,
        state,
        step: 0,
        split: data.train,
        smoothing: 0,
        open: planeOpener((p) => BACKENDS[backend].createExecutor(p)),
      },
    );
    const { plane } = result;
    const w = combine(plane.center, plane.d1, plane.d2, result.alphas[2], result.betas[7]);
    await rt.setWeights(regionToStateDict(program, w, state));
    const direct = (await rt.evaluate('train')).loss;
    expect(Math.abs(result.losses[7 * 11 + 2] - direct) / direct).toBeLessThan(1e-5);
    rt.dispose();
  });
});

describe('evaluateChunked', () => {
  it('reports progress and stops between chunks when cancelled', async () => {
    let calls = 0;
    const signal = { aborted: false };
    const seen: number[] = [];
    const ev = {
      backend: 'cpu' as const,
      async losses(c: Float64Array) {
        calls++;
        return new Float64Array(c.length / 2).fill(1);
      },
      dispose() {},
    };
    let t = 0;
    const run = evaluateChunked(ev, new Float64Array(2 * 1000), {
      now: () => (t += 10),
      chunkMs: 10,
      onProgress: (p) => {
        seen.push(p.done);
        if (p.done >= 20) signal.aborted = true;
      },
      signal,
    });
    await expect(run).rejects.toBeInstanceOf(LandscapeCancelled);
    expect(seen[0]).toBe(4);
    expect(seen.at(-1)).toBeLessThan(1000);
    expect(calls).toBe(seen.length);
  });
});

describe('paramRegion', () => {
  it('is the trainable parameters only', () => {
    const p = compileSpec(spec);
    const state = new Float32Array(p.arenas.state.size).map((_, i) => i);
    const r = paramRegion(p, state);
    expect(r.length).toBe(p.regions.params.size);
  });
});
