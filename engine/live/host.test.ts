// The host's datasets: one per data section, loss and input shape; MNIST read once per host; runtimes created on
// the loaded data. And the session's decision-boundary grid through data.features.

import { describe, expect, it } from 'vitest';
import type { DataSources } from '../data/load';
import { nodeDataSources } from '../node/mnist';
import type { NormalizedSpec } from '../spec/types';
import { createHost } from './host';
import { harness } from './testing';

const toy = (features: string[], kind = 'circle'): unknown => ({
  data: { kind, points: 200, features },
  model: {
    input: [features.length],
    layers: [{ type: 'dense', units: 4 }, { type: 'tanh' }, { type: 'dense', units: 2 }],
  },
  loss: { type: 'cross_entropy' },
  optimizer: { type: 'adam', lr: 0.01 },
  training: { batchSize: 16, seed: 3 },
});

const mnist: unknown = {
  data: { kind: 'mnist', points: 500 },
  model: { input: [784], layers: [{ type: 'dense', units: 16 }, { type: 'relu' }, { type: 'dense', units: 10 }] },
  loss: { type: 'cross_entropy' },
  optimizer: { type: 'adam' },
  training: { batchSize: 50 },
};

describe('RuntimeHost.dataset', () => {
  it('caches by data section, loss and input shape, and reads MNIST once', async () => {
    let reads = 0;
    const sources: DataSources = {
      mnist: () => {
        reads++;
        return nodeDataSources.mnist();
      },
    };
    const host = createHost(undefined, { refineCalibration: false, data: sources });
    const spec = (raw: unknown): NormalizedSpec => {
      const v = host.validate(raw);
      if (!v.ok) throw new Error(v.errors.join('; '));
      return v.spec;
    };
    const a = spec(toy(['x1', 'x2']));
    expect(host.dataset(a)).toBe(host.dataset(spec(toy(['x1', 'x2']))));
    expect(host.dataset(a)).not.toBe(host.dataset(spec(toy(['x1', 'x1sq']))));
    const m = await host.dataset(spec(mnist));
    expect([m.train.count, m.val.count]).toEqual([400, 100]);
    const cnnSpec = spec({
      ...(mnist as object),
      model: { input: [1, 28, 28], layers: [{ type: 'flatten' }, { type: 'dense', units: 10 }] },
    });
    expect((await host.dataset(cnnSpec)).inputShape).toEqual([1, 28, 28]);
    expect(reads).toBe(1);
    const rt = await host.create(host.compile(spec(mnist)), 'cpu');
    const r = await rt.trainSteps(8);
    expect(r.losses.every(Number.isFinite)).toBe(true);
    expect((await rt.evaluate('val')).count).toBe(100);
    rt.dispose();
  });

  it('a failed MNIST download is not cached', async () => {
    let calls = 0;
    const host = createHost(undefined, {
      refineCalibration: false,
      data: {
        mnist: () => {
          calls++;
          return calls === 1 ? Promise.reject(new Error('offline')) : nodeDataSources.mnist();
        },
      },
    });
    const v = host.validate(mnist);
    if (!v.ok) throw new Error(v.errors.join('; '));
    await expect(host.dataset(v.spec)).rejects.toThrow('offline');
    expect((await host.dataset(v.spec)).train.count).toBe(400);
  });
});

describe('session grid with data.features', () => {
  it('evaluates the model on the mapped features of the grid points', async () => {
    const h = harness();
    const raw = toy(['x1', 'x2', 'x1sq', 'x2sq']);
    await h.session.compile(raw, 'cpu');
    const res = 3;
    const grid = await h.session.inspect({ what: 'grid', xRange: [-1, 1], yRange: [-1, 1], resolution: res });
    if (grid.what !== 'grid') throw new Error('expected a grid');
    // The same outputs as a fresh runtime of the spec (same seed, same initial weights) on the mapped points.
    const x = new Float32Array(res * res * 4);
    for (let j = 0; j < res; j++)
      for (let i = 0; i < res; i++) {
        const [a, b] = [-1 + i, -1 + j];
        x.set([a, b, a * a, b * b], (j * res + i) * 4);
      }
    const v = h.host.validate(raw);
    if (!v.ok) throw new Error(v.errors.join('; '));
    const rt = await h.host.create(h.host.compile(v.spec), 'cpu');
    const want = await rt.predict(x, res * res);
    expect(grid.values.length).toBe(res * res * 2);
    expect(Array.from(grid.values)).toEqual(Array.from(want));
    // Not what the raw coordinates alone would give (the features matter).
    const rawOnly = await rt.predict(
      x.map((_, i) => (i % 4 < 2 ? x[i] : 0)),
      res * res,
    );
    expect(Array.from(rawOnly)).not.toEqual(Array.from(want));
    rt.dispose();
    await h.session.dispose();
  });
});
