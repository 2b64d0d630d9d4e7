// Behaviour of training runs on the CPU backend: dropout statistics (rate, inverted scaling, identity in eval),
// determinism (bit-identical losses), and the seeded data path end to end.

import { describe, expect, it } from 'vitest';
import { compile } from '../../graph/compile';
import { hotFromSpec, packHypers } from '../../graph/hypers';
import { initialState } from '../../graph/init';
import { validateSpec } from '../../spec/validate';
import { openRuntime } from '../runtime';
import { cpuBackend } from './index';
import { prepare } from './kernels/table';
import { CpuMemory } from './memory';

function spec(extra: Record<string, unknown> = {}, layers?: unknown[]) {
  const v = validateSpec({
    data: { kind: 'moons', points: 400, noise: 0.1, seed: 3 },
    model: {
      input: [2],
      layers: layers ?? [
        { type: 'dense', units: 64 },
        { type: 'relu' },
        { type: 'dropout', rate: 0.3 },
        { type: 'dense', units: 2 },
      ],
    },
    loss: { type: 'cross_entropy' },
    optimizer: { type: 'adam', lr: 0.01 },
    training: { batchSize: 32, seed: 9 },
    ...extra,
  });
  if (!v.ok) throw new Error(v.errors.map((e) => e.message).join('; '));
  return v.value;
}

describe('dropout', () => {
  it('drops at the configured rate (within 3 sigma), scales kept values by 1/(1-p), and masks change per step', () => {
    const p = compile(spec());
    const mem = new CpuMemory(p);
    mem.state.set(initialState(p));
    mem.words.set(packHypers(p, hotFromSpec(p.spec)));
    const x = mem.view(p.io.input);
    for (let i = 0; i < x.length; i++) x[i] = 1 + (i % 7) * 0.1;
    const thunks = p.forward.map((op) => prepare(op, mem));
    const drop = p.forward.find((op) => op.kind === 'dropout');
    if (drop?.kind !== 'dropout') throw new Error('no dropout op');
    const mask = mem.view(drop.mask);
    const xin = mem.view(drop.x);
    const out = mem.view(drop.out);
    let dropped = 0;
    let total = 0;
    let firstMask: Float32Array | null = null;
    for (let step = 0; step < 20; step++) {
      mem.step = step;
      for (const t of thunks) t();
      if (step === 0) firstMask = mask.slice();
      for (let i = 0; i < mask.length; i++) {
        total++;
        if (mask[i] === 0) {
          dropped++;
          expect(out[i]).toBe(0);
        } else {
          expect(mask[i]).toBeCloseTo(1 / 0.7, 6);
          expect(out[i]).toBeCloseTo(xin[i] / 0.7, 5);
        }
      }
    }
    const sigma = Math.sqrt((0.3 * 0.7) / total);
    expect(Math.abs(dropped / total - 0.3)).toBeLessThan(3 * sigma);
    expect(Array.from(mask)).not.toEqual(Array.from(firstMask ?? []));
  });

  it('is the identity in evaluation, and rate 0 trains exactly like no dropout', async () => {
    const withDrop = spec();
    const without = spec({}, [{ type: 'dense', units: 64 }, { type: 'relu' }, { type: 'dense', units: 2 }]);
    const zero = spec({}, [
      { type: 'dense', units: 64 },
      { type: 'relu' },
      { type: 'dropout', rate: 0 },
      { type: 'dense', units: 2 },
    ]);
    const a = await openRuntime(compile(withDrop), cpuBackend);
    const b = await openRuntime(compile(without), cpuBackend);
    const c = await openRuntime(compile(zero), cpuBackend);
    const w = await a.getWeights();
    // Same parameters by key in all three (dropout has none; later keys shift by index, so map them).
    const remap = {
      '0.weight': w['0.weight'],
      '0.bias': w['0.bias'],
      '2.weight': w['3.weight'],
      '2.bias': w['3.bias'],
    };
    expect(await b.setWeights(remap)).toEqual([]);
    expect(await c.setWeights(w)).toEqual([]);
    const x = Float32Array.from({ length: 40 }, (_, i) => Math.sin(i));
    expect(Array.from(await a.predict(x, 20))).toEqual(Array.from(await b.predict(x, 20)));
    const lb = (await b.trainSteps(15)).losses;
    const lc = (await c.trainSteps(15)).losses;
    expect(lc).toEqual(lb);
  });
});

describe('determinism', () => {
  it('same job, same backend: bit-identical losses and weights on two runs', async () => {
    const s = spec({ schedule: { type: 'step', stepSize: 10, gamma: 0.5 }, regularization: { clipGradNorm: 0.5 } });
    const run = async () => {
      const rt = await openRuntime(compile(s), cpuBackend);
      const r = await rt.trainSteps(60);
      return { losses: r.losses, w: await rt.getWeights(), val: await rt.evaluate('val') };
    };
    const one = await run();
    const two = await run();
    expect(two.losses).toEqual(one.losses);
    expect(two.w).toEqual(one.w);
    expect(two.val).toEqual(one.val);
    expect(one.losses.every(Number.isFinite)).toBe(true);
  });

  it('overlapping trainSteps calls (issued before the previous resolves) equal awaited ones', async () => {
    const s = spec({ schedule: { type: 'onecycle', maxLr: 0.05, totalSteps: 60 } });
    const a = await openRuntime(compile(s), cpuBackend);
    const b = await openRuntime(compile(s), cpuBackend);
    const one = [...(await a.trainSteps(17)).losses, ...(await a.trainSteps(23)).losses];
    const [p, q] = [b.trainSteps(17), b.trainSteps(23)];
    expect(b.step).toBe(40);
    const two = [...(await p).losses, ...(await q).losses];
    expect(two).toEqual(one);
  });

  it('learns the moons (accuracy above 85% on validation)', async () => {
    const rt = await openRuntime(compile(spec()), cpuBackend);
    await rt.trainSteps(400);
    const ev = await rt.evaluate('val');
    expect(ev.accuracy).toBeGreaterThan(0.85);
  });

  it('seek continues the schedule and hot hyperparameters change the trajectory without recompiling', async () => {
    const s = spec();
    const a = await openRuntime(compile(s), cpuBackend);
    const b = await openRuntime(compile(s), cpuBackend);
    await a.trainSteps(5);
    await b.trainSteps(5);
    b.setHyper({ lr: 0.1 });
    const la = (await a.trainSteps(5)).losses;
    const lb = (await b.trainSteps(5)).losses;
    expect(la[0]).toBe(lb[0]);
    expect(la[4]).not.toBe(lb[4]);
    expect(b.step).toBe(10);
    b.seek(3);
    expect(b.step).toBe(3);
  });
});
