import { describe, expect, it } from 'vitest';
import { mapLaunch } from './kernels/elementwise';
import { prepareLaunches } from './launcher';
import { PipelineCache } from './pipelineCache';
import { STEP_STATE_WGSL, StepEncoder } from './stepEncoder';
import { Scratch, testDevice } from './testing';

describe('step encoder: k steps per submit, per-step table, loss ring', () => {
  it('runs k steps in one submit with per-step scalars from the table and the device counter', async () => {
    const device = await testDevice();
    const s = new Scratch(device);
    const enc = new StepEncoder(device, 64, 1, 1);
    const w = s.upload(new Float32Array([1]));
    // One "training step": w = w * perStep[local] + step; loss ring[local] = w.
    const stepLaunch = mapLaunch({
      label: 'fake-step',
      n: 1,
      inputs: [],
      out: w,
      readsOut: true,
      fns: STEP_STATE_WGSL,
      extra: enc.stepBindings(),
      expr: 'cur * bitcast<f32>(perStep[stepState.local]) + f32(stepState.step)',
    });
    const lossLaunch = mapLaunch({
      label: 'fake-loss',
      n: 1,
      inputs: [{ view: w }],
      out: enc.buffers.lossRing,
      fns: STEP_STATE_WGSL,
      extra: enc.stepBindings(),
      expr: 'x0',
    });
    // The loss kernel writes out[i] with i = 0; shift it to the step's ring slot via a dedicated kernel instead:
    lossLaunch.body = lossLaunch.body.replace('out[i] =', 'out[stepState.local] =');
    const prepared = await prepareLaunches(device, new PipelineCache(device), [
      stepLaunch,
      lossLaunch,
      enc.advanceLaunch(),
    ]);
    const k = 10;
    const table = new Float32Array(k).map((_, i) => 1 + i / 10);
    device.pushErrorScope('validation');
    const words = new Uint32Array(table.buffer);
    const p1 = enc.submit(k, 5, words, prepared);
    const p2 = enc.submit(k, 15, words, prepared);
    expect(await device.popErrorScope()).toBeNull();
    const [l1, l2] = await Promise.all([p1, p2]);
    let v = 1;
    const want: number[] = [];
    for (let r = 0; r < 2; r++)
      for (let i = 0; i < k; i++) {
        v = Math.fround(Math.fround(v * Math.fround(table[i])) + (5 + r * k + i));
        want.push(v);
      }
    expect([...l1, ...l2]).toEqual(want);
    enc.destroy();
    s.dispose();
  });
});
