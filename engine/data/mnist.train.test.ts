// The MNIST MLP learns: 784-128-10 (relu, Adam lr 0.003, batch 64) for 3 epochs of the 8,000 training digits on the
// CPU backend, evaluated on the 2,000 validation digits. The CPU run is deterministic, so the figure is exact:
// 0.927 measured (README: 95% needs more epochs or a CNN on this 8,000-digit subset).

import { describe, expect, it } from 'vitest';
import { BACKENDS } from '../backends/index';
import { openRuntime } from '../backends/runtime';
import { compile } from '../graph/compile';
import { nodeDataSources } from '../node/mnist';
import { validateSpec } from '../spec/validate';
import { loadDataset } from './load';

const SPEC = {
  data: { kind: 'mnist' },
  model: {
    input: [784],
    layers: [{ type: 'dense', units: 128 }, { type: 'relu' }, { type: 'dense', units: 10 }],
  },
  loss: { type: 'cross_entropy' },
  optimizer: { type: 'adam', lr: 0.003 },
  training: { batchSize: 64, seed: 1 },
};

describe('MNIST training', () => {
  it('784-128-10 reaches 92% validation accuracy in 3 epochs on the CPU', async () => {
    const v = validateSpec(SPEC);
    if (!v.ok) throw new Error(v.errors[0].message);
    const data = await loadDataset(v.value, nodeDataSources);
    const rt = await openRuntime(compile(v.value), BACKENDS.cpu, { data });
    try {
      const before = await rt.evaluate('val');
      expect(before.accuracy ?? 1).toBeLessThan(0.2);
      await rt.trainSteps(3 * rt.stepsPerEpoch);
      expect(rt.epoch).toBe(3);
      const after = await rt.evaluate('val');
      expect(after.count).toBe(2000);
      expect(after.accuracy).toBeGreaterThanOrEqual(0.92);
      expect(after.loss).toBeLessThan(0.26);
    } finally {
      rt.dispose();
    }
  }, 120_000);
});
