// The MNIST MLP learns: 784-128-10 (relu, Adam lr 0.003, batch 64) on the 24,000 training digits on the CPU backend,
// evaluated on the 6,000 validation digits (from MNIST's test set). The CPU run is deterministic, so the figures are
// exact: 0.9377 after 1 epoch, 0.9600 after 2, 0.9623 after 3 (the Lab's target is 95% within 3 epochs).

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
  it('784-128-10 reaches 95% validation accuracy in 2 epochs on the CPU', async () => {
    const v = validateSpec(SPEC);
    if (!v.ok) throw new Error(v.errors[0].message);
    const data = await loadDataset(v.value, nodeDataSources);
    const rt = await openRuntime(compile(v.value), BACKENDS.cpu, { data });
    try {
      const before = await rt.evaluate('val');
      expect(before.accuracy ?? 1).toBeLessThan(0.2);
      await rt.trainSteps(2 * rt.stepsPerEpoch);
      expect(rt.epoch).toBe(2);
      const after = await rt.evaluate('val');
      expect(after.count).toBe(6000);
      expect(after.accuracy).toBeGreaterThanOrEqual(0.95);
      expect(after.loss).toBeLessThan(0.15);
    } finally {
      rt.dispose();
    }
  }, 120_000);
});
