// End-to-end: compile a spec, run it on the WebGPU executor; no validation errors, finite decreasing loss,
// bit-identical losses on two runs.
import { describe, expect, it } from 'vitest';
import { hotFromSpec, packHypers } from '../../graph/hypers';
import { initialState } from '../../graph/init';
import type { Program } from '../../graph/program';
import { getNodeGpu } from '../../node/gpu';
import { compileSpec } from '../../testing/specs';
import type { StepRecord } from '../backend';
import { acquireDevice } from './device';
import { WebGpuExecutor } from './executor';
import { testData, testDevice } from './testing';

const baseSpec = {
  model: {
    input: [2],
    layers: [
      { type: 'dense', units: 16 },
      { type: 'batchnorm' },
      { type: 'relu' },
      { type: 'dropout', rate: 0.1 },
      { type: 'dense', units: 3 },
    ],
  },
  loss: { type: 'cross_entropy', labelSmoothing: 0.1 },
  optimizer: { type: 'adamw', lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0.01 },
  regularization: { l1: 0.001, l2: 0.001, clipGradNorm: 1.0 },
  training: { batchSize: 32, seed: 42 },
};

async function runOnce(program: Program, steps: number): Promise<Float32Array> {
  const device = await testDevice();
  const ex = await WebGpuExecutor.create(device, program, { maxStepsPerSubmit: 16 });
  try {
    const rows = 96;
    const x = testData(rows * 2, 7);
    const y = new Float32Array(rows).map((_, i) => (x[2 * i] > 0 ? 1 : 0) + (x[2 * i + 1] > 0.5 ? 1 : 0));
    await ex.setTrainData(x, y, rows);
    ex.writeState(initialState(program));
    ex.setHypers(packHypers(program, hotFromSpec(program.spec)));
    const records: StepRecord[] = Array.from({ length: steps }, (_, i) => ({
      step: i,
      lr: 0.01,
      rowStart: (i * 32) % rows,
    }));
    device.pushErrorScope('validation');
    const stats = await ex.train(records);
    expect((await device.popErrorScope())?.message).toBeUndefined();
    return stats.loss;
  } finally {
    ex.dispose();
  }
}

describe('WebGPU executor end to end', () => {
  it('trains a dense/batchnorm/dropout classifier: finite, decreasing, bit-identical twice', async () => {
    const program = compileSpec(baseSpec);
    const a = await runOnce(program, 40);
    const b = await runOnce(program, 40);
    expect([...a].every(Number.isFinite)).toBe(true);
    const head = (a[0] + a[1] + a[2]) / 3;
    const tail = (a[37] + a[38] + a[39]) / 3;
    expect(tail).toBeLessThan(head);
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
  });
});

describe('WebGPU executor: steady state', () => {
  it('creates no buffers and no bind groups per step after warm-up; fused small MLP has 12 dispatches', async () => {
    const device = await testDevice();
    const program = compileSpec({
      model: {
        input: [2],
        layers: [
          { type: 'dense', units: 8 },
          { type: 'tanh' },
          { type: 'dense', units: 8 },
          { type: 'tanh' },
          { type: 'dense', units: 1 },
        ],
      },
      loss: { type: 'mse' },
      optimizer: { type: 'sgd', lr: 0.03 },
      training: { batchSize: 10, seed: 1 },
    });
    const ex = await WebGpuExecutor.create(device, program, { maxStepsPerSubmit: 64 });
    try {
      await ex.setTrainData(testData(100 * 2, 5), testData(100, 6), 100);
      ex.writeState(initialState(program));
      ex.setHypers(packHypers(program, hotFromSpec(program.spec)));
      const steps = (from: number) =>
        Array.from({ length: 100 }, (_, i) => ({ step: from + i, lr: 0.03, rowStart: ((from + i) * 10) % 100 }));
      await ex.train(steps(0)); // warm-up
      const counts = { buffers: 0, bindGroups: 0 };
      const d = device as unknown as Record<string, (...a: unknown[]) => unknown>;
      const origBuffer = d.createBuffer;
      const origBind = d.createBindGroup;
      d.createBuffer = (...a: unknown[]) => {
        counts.buffers++;
        return origBuffer.apply(device, a);
      };
      d.createBindGroup = (...a: unknown[]) => {
        counts.bindGroups++;
        return origBind.apply(device, a);
      };
      try {
        const stats = await ex.train(steps(100));
        expect(stats.loss.every(Number.isFinite)).toBe(true);
        expect(counts).toEqual({ buffers: 0, bindGroups: 0 });
        // The counters do see allocations:
        device.createBuffer({ size: 16, usage: GPUBufferUsage.STORAGE }).destroy();
        expect(counts.buffers).toBe(1);
      } finally {
        d.createBuffer = origBuffer;
        d.createBindGroup = origBind;
      }
      expect(ex.dispatchesPerStep).toBeLessThanOrEqual(12);
    } finally {
      ex.dispose();
    }
  });
});

describe('WebGPU executor: overlapping calls', () => {
  it('queues train and predict calls without awaiting in between; results follow submission order', async () => {
    const device = await testDevice();
    const program = compileSpec(baseSpec);
    const ex = await WebGpuExecutor.create(device, program, { maxStepsPerSubmit: 8 });
    try {
      await ex.setTrainData(
        testData(64 * 2, 3),
        new Float32Array(64).map((_, i) => i % 3),
        64,
      );
      ex.writeState(initialState(program));
      ex.setHypers(packHypers(program, hotFromSpec(program.spec)));
      const x = testData(32 * 2, 9);
      const steps = Array.from({ length: 20 }, (_, i) => ({ step: i, lr: 0.01, rowStart: (i * 32) % 64 }));
      device.pushErrorScope('validation');
      const before = [ex.predict(x), ex.predict(x)];
      const train = ex.train(steps);
      const after = [ex.predict(x), ex.predict(x)];
      expect((await device.popErrorScope())?.message).toBeUndefined();
      const [b1, b2] = await Promise.all(before);
      const [a1, a2] = await Promise.all(after);
      expect((await train).loss.length).toBe(20);
      expect(b2).toEqual(b1);
      expect(a2).toEqual(a1);
      expect(a1).not.toEqual(b1);
    } finally {
      ex.dispose();
    }
  });
});

describe('WebGPU executor: predictRows', () => {
  it('runs many batches in one submit and equals predict() batch by batch, bit for bit', async () => {
    const device = await testDevice();
    const program = compileSpec(baseSpec);
    const ex = await WebGpuExecutor.create(device, program);
    try {
      await ex.setTrainData(
        testData(64 * 2, 3),
        new Float32Array(64).map((_, i) => i % 3),
        64,
      );
      ex.writeState(initialState(program));
      ex.setHypers(packHypers(program, hotFromSpec(program.spec)));
      await ex.train(Array.from({ length: 5 }, (_, i) => ({ step: i, lr: 0.01, rowStart: (i * 32) % 64 })));
      const rows = 32 * 3 + 7; // a partial last batch
      const x = testData(rows * 2, 11);
      const submit = device.queue.submit.bind(device.queue);
      let submits = 0;
      device.queue.submit = (buffers: Iterable<GPUCommandBuffer>) => {
        submits++;
        submit(buffers);
      };
      device.pushErrorScope('validation');
      const many = await ex.predictRows(x, rows);
      expect((await device.popErrorScope())?.message).toBeUndefined();
      device.queue.submit = submit;
      expect(submits).toBe(1);
      expect(many.length).toBe(rows * 3);
      const one = new Float32Array(rows * 3);
      for (let r = 0; r < rows; r += 32) {
        const chunk = new Float32Array(32 * 2);
        chunk.set(x.subarray(r * 2, Math.min(rows, r + 32) * 2));
        const y = await ex.predict(chunk);
        one.set(y.subarray(0, Math.min(32, rows - r) * 3), r * 3);
      }
      expect(Array.from(many)).toEqual(Array.from(one));
    } finally {
      ex.dispose();
    }
  });
});

describe('WebGPU executor on a lost device', () => {
  it('rejects train/predict/readState with the reason instead of throwing out of the engine', async () => {
    const r = await acquireDevice(getNodeGpu());
    if (!r.ok) throw new Error(r.reason);
    const program = compileSpec(baseSpec);
    const ex = await WebGpuExecutor.create(r.device, program);
    await ex.setTrainData(testData(64, 3), new Float32Array(32), 32);
    ex.writeState(initialState(program));
    ex.setHypers(packHypers(program, hotFromSpec(program.spec)));
    await ex.train([{ step: 0, lr: 0.01, rowStart: 0 }]);
    r.device.destroy();
    await r.device.lost;
    await expect(ex.train([{ step: 1, lr: 0.01, rowStart: 0 }])).rejects.toThrow(/lost/);
    await expect(ex.readState()).rejects.toThrow(/lost/);
    await expect(ex.predict(new Float32Array(64))).rejects.toThrow(/lost/);
    ex.dispose();
  });
});
