// Device activation inspection against the host ActivationProbe (the CPU kernels' eval forward) on the same trained
// weights and inputs: per-layer count, mean, std, zeros, min, max and bin counts. Bins must agree exactly except for
// values within 1e-6 of a bin edge (the two backends' activations differ by float rounding); moments within 1e-5
// (relative to max(1, |host|)). A second device run is bit-identical.
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../data/dataset';
import { makeToyDataset } from '../../data/toy2d';
import { hotFromSpec, packHypers } from '../../graph/hypers';
import { initialState } from '../../graph/init';
import { ActivationProbe, type ActivationStats } from '../../live/activations';
import { requireGpuInCi } from '../../testing/gpuGate';
import { compileSpec, syntheticImages } from '../../testing/specs';
import { createRuntime } from '../runtime';
import type { WebGpuExecutor } from './executor';
import { webgpuBackend } from './index';
import { DeviceActivationProbe } from './inspect';

const gpu = await webgpuBackend.available();
requireGpuInCi(gpu, 'inspect.test.ts');

const CASES: { name: string; spec: Record<string, unknown>; data?: Dataset; rows: number; steps: number }[] = [
  {
    name: 'MLP: dense/batchnorm/relu/dropout/dense/tanh/dense',
    rows: 150,
    steps: 25,
    spec: {
      data: { kind: 'spiral', points: 200, noise: 0.1, valFraction: 0.2, seed: 1 },
      model: {
        input: [2],
        layers: [
          { type: 'dense', units: 16, bias: false },
          { type: 'batchnorm' },
          { type: 'relu' },
          { type: 'dropout', rate: 0.2 },
          { type: 'dense', units: 8 },
          { type: 'tanh' },
          { type: 'dense', units: 2 },
        ],
      },
      loss: { type: 'cross_entropy' },
      optimizer: { type: 'adam', lr: 0.02 },
      training: { batchSize: 32, seed: 42 },
    },
  },
  {
    name: 'CNN: conv/relu/maxpool/flatten/dense',
    rows: 40,
    steps: 10,
    data: syntheticImages([1, 8, 8], 3, 64, 777, 32),
    spec: {
      model: {
        input: [1, 8, 8],
        layers: [
          { type: 'conv2d', filters: 4, kernel: 3, padding: 1 },
          { type: 'relu' },
          { type: 'maxpool2d', kernel: 2 },
          { type: 'flatten' },
          { type: 'dense', units: 3 },
        ],
      },
      loss: { type: 'cross_entropy' },
      optimizer: { type: 'sgd', lr: 0.05, momentum: 0.9 },
      training: { batchSize: 16, seed: 3 },
    },
  },
];

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));

describe.skipIf(!gpu.ok)('device activation inspection (WebGPU)', () => {
  for (const c of CASES)
    it(`${c.name}: equals the host probe on the same weights; bit-identical on a second run`, async () => {
      const p = compileSpec(c.spec);
      const data = c.data ?? makeToyDataset(p.spec.data as NonNullable<typeof p.spec.data>, p.spec.loss.type);
      const exec = (await webgpuBackend.createExecutor(p)) as WebGpuExecutor;
      const rt = await createRuntime(exec, data, { shuffle: true, initialState: initialState(p) });
      try {
        await rt.trainSteps(c.steps);
        const state = await rt.readState();
        const split = data.val.count >= c.rows ? data.val : data.train;
        const x = split.x;
        const bins = 16;
        const host = new ActivationProbe(p);
        host.setHypers(packHypers(p, hotFromSpec(p.spec)));
        const want = host.stats(state, x, c.rows, bins);
        const values = host.neurons(state, x, c.rows, Number.POSITIVE_INFINITY);
        const dev = new DeviceActivationProbe(exec);
        const got = await dev.stats(x, c.rows, bins);
        // A repeated request (same bins, no more rows) creates no GPU buffer.
        const device = exec.device;
        const create = device.createBuffer.bind(device);
        let created = 0;
        device.createBuffer = (d: GPUBufferDescriptor) => {
          created++;
          return create(d);
        };
        const again = await dev.stats(x, c.rows, bins);
        device.createBuffer = create;
        expect(created).toBe(0);
        expect(dev.layers).toEqual(host.layers);
        expect(got.map((s) => s.layer)).toEqual(want.map((s) => s.layer));
        let worst = 0;
        let binDiffs = 0;
        got.forEach((g, i) => {
          const w = want[i] as ActivationStats;
          expect(g.label).toBe(w.label);
          expect(g.count).toBe(w.count);
          for (const k of ['mean', 'std', 'zeros'] as const) {
            worst = Math.max(worst, rel(g[k], w[k]));
            expect(rel(g[k], w[k]), `${w.layer} ${k}: ${g[k]} vs ${w[k]}`).toBeLessThanOrEqual(1e-5);
          }
          expect(rel(g.histogram.min, w.histogram.min)).toBeLessThanOrEqual(1e-5);
          expect(rel(g.histogram.max, w.histogram.max)).toBeLessThanOrEqual(1e-5);
          // Bins: exact, except values within 1e-6 (scaled by the range) of a bin edge may fall either side.
          const { min, max } = w.histogram;
          const width = max > min ? (max - min) / bins : 1;
          const tol = 1e-6 * Math.max(1, Math.abs(min), Math.abs(max));
          let nearEdge = 0;
          for (const v of values[i].values) {
            const t = (v - min) / width;
            const edge = Math.round(t);
            if (edge > 0 && edge < bins && Math.abs(v - (min + edge * width)) <= tol) nearEdge++;
          }
          let diff = 0;
          for (let b = 0; b < bins; b++) diff += Math.abs(g.histogram.counts[b] - w.histogram.counts[b]);
          binDiffs += diff;
          expect(diff, `${w.layer} bins ${g.histogram.counts} vs ${w.histogram.counts}`).toBeLessThanOrEqual(
            2 * nearEdge,
          );
          expect(g.histogram.counts.reduce((a, b) => a + b, 0)).toBe(w.count);
        });
        console.log(
          `${c.name}: ${got.length} layers, worst moment error ${worst.toExponential(2)}, bin diffs ${binDiffs}`,
        );
        // Determinism: a second request gives bit-identical results.
        expect(again).toEqual(got);
        // Without room to capture the values, the forward runs twice: the same results.
        const twoPass = new DeviceActivationProbe(exec, { maxCaptureBytes: 0 });
        expect(await twoPass.stats(x, c.rows, bins)).toEqual(got);
        twoPass.dispose();
        // Training submitted right after a request (same arenas, queue order) does not disturb it: the result is
        // that of the weights at submission.
        const pending = dev.request(x, c.rows, bins);
        await pending.submitted;
        const trained = rt.trainSteps(3);
        expect(await pending.result).toEqual(got);
        await trained;
        expect(await dev.stats(x, c.rows, bins)).not.toEqual(got);
        dev.dispose();
      } finally {
        rt.dispose();
      }
    }, 120_000);
});
