import { describe, expect, it } from 'vitest';
import { STEP_WGSL } from './kernels/context';
import { mapLaunch } from './kernels/elementwise';
import { prepareLaunches } from './launcher';
import { PipelineCache } from './pipelineCache';
import { StepEncoder } from './stepEncoder';
import { Scratch, testDevice } from './testing';

describe('step encoder: k steps per submit, dynamic-offset step records, loss ring', () => {
  it('runs k steps in one submit, each seeing its own record', async () => {
    const device = await testDevice();
    const s = new Scratch(device);
    const enc = new StepEncoder(device, 64, 1);
    const w = s.upload(new Float32Array([1]));
    const hyp = s.upload(new Uint32Array(4));
    const extra = [
      { name: 'hyp', access: 'uniform' as const, type: 'array<vec4<u32>, 1>', view: hyp },
      enc.recordBinding(),
    ];
    // One "training step": w = w * record.lr + record.step; ring[slot] = w.
    const stepLaunch = mapLaunch({
      label: 'fake-step',
      n: 1,
      inputs: [],
      out: w,
      readsOut: true,
      fns: STEP_WGSL,
      extra,
      expr: 'cur * stepF32(1u) + f32(stepWord(0u))',
    });
    const lossLaunch = mapLaunch({
      label: 'fake-loss',
      n: 1,
      inputs: [{ view: w }],
      out: enc.lossRingView,
      fns: STEP_WGSL,
      extra,
      expr: 'x0',
    });
    lossLaunch.body = lossLaunch.body.replace('out[i] =', 'out[stepWord(6u)] =');
    const prepared = await prepareLaunches(device, new PipelineCache(device), [stepLaunch, lossLaunch]);
    const k = 10;
    const table = new Float32Array(k).map((_, i) => 1 + i / 10);
    const fill = (base: number) => {
      for (let i = 0; i < k; i++) {
        enc.words[enc.wordIndex(i, 0)] = base + i;
        enc.floats[enc.wordIndex(i, 1)] = table[i];
        enc.words[enc.wordIndex(i, 6)] = i;
      }
    };
    device.pushErrorScope('validation');
    fill(5);
    const p1 = enc.submit(k, prepared);
    fill(15);
    const p2 = enc.submit(k, prepared);
    expect((await device.popErrorScope())?.message).toBeUndefined();
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
