// Parameter groups inside ONE Program against torch's two-optimizer loop (engine/fixtures/groups/two_optimizers.json,
// from scripts/golden/make_fixtures.py): group `body` (layers 0-2) under SGD with momentum and a step schedule, group
// `head` (layers 3-4) under Adam with weight decay and a cosine schedule; step `body` (mse, 8 rows) then step `head`
// (huber, 6 rows) per iteration, each over the whole model. Per-step losses and learning rates of both steps and the
// final weights within the golden tolerance (1e-4, as every golden), on both backends; a group's step leaves the
// other group's weights and optimizer state bit-identical; CPU and WebGPU agree.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Runtime } from '../backends/backend';
import { BACKENDS } from '../backends/index';
import { createRuntime } from '../backends/runtime';
import { compile } from '../graph/compile';
import { initialState } from '../graph/init';
import { opIO } from '../graph/ops';
import type { Program, Region } from '../graph/program';
import type { ExperimentSpec, StateDict, TensorJson } from '../spec/types';
import { validateSpec } from '../spec/validate';
import { tensorErr } from '../testing/golden';
import { requireGpuInCi } from '../testing/gpuGate';

interface GroupsFixture {
  spec: ExperimentSpec;
  iterations: number;
  initialWeights: StateDict;
  batches: Record<string, { x: TensorJson; y: TensorJson }[]>;
  steps: Record<string, { losses: number[]; lrs: number[] }>;
  finalWeights: StateDict;
}

const fx = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'fixtures', 'groups', 'two_optimizers.json'), 'utf8'),
) as GroupsFixture;
const TOL = 1e-4;
const gpu = await BACKENDS.webgpu.available();
const backends = requireGpuInCi(gpu, 'groups.test.ts') ? (['cpu', 'webgpu'] as const) : (['cpu'] as const);

function program(): Program {
  const v = validateSpec(fx.spec);
  if (!v.ok) throw new Error(v.errors.map((e) => e.message).join('; '));
  return compile(v.value);
}

/** A runtime on `backend` with the fixture's weights, each step's batches given as its rows (used in order). */
async function open(backend: 'cpu' | 'webgpu'): Promise<Runtime> {
  const p = program();
  const exec = await BACKENDS[backend].createExecutor(p);
  const rows = p.batchSize;
  const empty = {
    inputShape: p.inputShape,
    targetShape: p.targetShape,
    classes: null,
    train: { x: new Float32Array(rows * 3), y: new Float32Array(rows * 2), count: rows },
    val: { x: new Float32Array(0), y: new Float32Array(0), count: 0 },
  };
  const rt = await createRuntime(exec, empty, { shuffle: false, initialState: initialState(p) });
  expect(await rt.setWeights(fx.initialWeights)).toEqual([]);
  for (const [name, batches] of Object.entries(fx.batches)) {
    const x = Float32Array.from(batches.flatMap((b) => b.x.data));
    const y = Float32Array.from(batches.flatMap((b) => b.y.data));
    await rt.setStepData(name, x, y, batches.length * batches[0].x.shape[0]);
  }
  return rt;
}

const relErr = (got: number[], want: number[]): number =>
  got.length !== want.length
    ? Number.POSITIVE_INFINITY
    : Math.max(...got.map((g, i) => Math.abs(g - want[i]) / Math.max(Math.abs(want[i]), 1e-12)));

const bits = (state: Float32Array, r: Region): Uint32Array =>
  new Uint32Array(state.slice(r.offset, r.offset + r.size).buffer);

describe('the compiled Program of a spec with groups', () => {
  it('has one update per group over its own parameters, and the steps in spec order', () => {
    const p = program();
    expect(p.groups.map((g) => [g.name, g.optimizer.type, g.params])).toEqual([
      ['body', 'sgd', ['0.weight', '0.bias', '2.weight', '2.bias']],
      ['head', 'adam', ['4.weight', '4.bias']],
    ]);
    expect(p.updateSteps.map((s) => [s.name, s.group, s.batchSize])).toEqual([
      ['body', 0, 8],
      ['head', 1, 6],
    ]);
    // Each update touches only its group's sub-regions; the two groups' ranges are disjoint and tile the params.
    const [body, head] = p.groups;
    expect(body.paramsRegion.offset + body.paramsRegion.size).toBeLessThanOrEqual(head.paramsRegion.offset);
    expect(head.paramsRegion.offset + head.paramsRegion.size).toBe(p.regions.params.size);
    for (const g of p.groups) {
      const u = g.update[0];
      expect(u.kind.endsWith('_update') && 'param' in u && u.param).toBe(g.paramsRegion.tensor);
    }
    // The head step's backward writes no gradient of the body (its parameters are constants there).
    const bodyGrads = new Set(
      p.params.filter((q) => q.key.startsWith('0.') || q.key.startsWith('2.')).map((q) => q.grad),
    );
    const headStep = p.updateSteps[1];
    const writes = headStep.backward.flatMap((op) => opIO(op).writes);
    expect(writes.some((t) => bodyGrads.has(t))).toBe(false);
    // ...and writes every gradient of the head (the sanity check of the check above).
    for (const q of p.params.filter((q) => q.key.startsWith('4.'))) expect(writes).toContain(q.grad);
  });

  it('without groups: one group `main` and one step equal to the top-level fields', () => {
    const v = validateSpec({ ...fx.spec, groups: undefined, steps: undefined });
    if (!v.ok) throw new Error('invalid');
    expect('groups' in v.value).toBe(false);
    const p = compile(v.value);
    expect(p.groups.map((g) => g.name)).toEqual(['main']);
    expect(p.groups[0].paramsRegion).toBe(p.regions.params);
    expect(p.updateSteps).toHaveLength(1);
    expect(p.updateSteps[0].forward).toBe(p.forward);
    expect(p.updateSteps[0].update).toBe(p.update);
    expect(p.hypers.every((h) => !h.name.includes('@'))).toBe(true);
  });
});

describe('two parameter groups with their own optimizers match torch two-optimizer loop', () => {
  const finals: Partial<Record<'cpu' | 'webgpu', StateDict>> = {};
  for (const backend of backends)
    it(`on ${backend}`, async () => {
      const rt = await open(backend);
      try {
        const got: Record<string, { losses: number[]; lrs: number[] }> = {
          body: { losses: [], lrs: [] },
          head: { losses: [], lrs: [] },
        };
        for (let it = 0; it < fx.iterations; it++)
          for (const name of ['body', 'head']) {
            const r = await rt.trainUpdate(name);
            got[name].losses.push(...r.losses);
            got[name].lrs.push(...r.lrs);
          }
        let lossErr = 0;
        let lrErr = 0;
        for (const name of ['body', 'head']) {
          lossErr = Math.max(lossErr, relErr(got[name].losses, fx.steps[name].losses));
          lrErr = Math.max(lrErr, relErr(got[name].lrs, fx.steps[name].lrs));
        }
        const w = await rt.getWeights();
        finals[backend] = w;
        let weightErr = 0;
        for (const [key, want] of Object.entries(fx.finalWeights))
          weightErr = Math.max(
            weightErr,
            w[key] === undefined ? Number.POSITIVE_INFINITY : tensorErr(w[key].data, want.data),
          );
        console.log(
          `two optimizers on ${backend}: losses ${lossErr.toExponential(2)}, lrs ${lrErr.toExponential(2)}, weights ${weightErr.toExponential(2)}`,
        );
        expect(lrErr).toBeLessThan(1e-6);
        expect(lossErr).toBeLessThan(TOL);
        expect(weightErr).toBeLessThan(TOL);
        // Both groups moved, each under its own optimizer.
        for (const key of ['0.weight', '4.weight'])
          expect(tensorErr(w[key].data, fx.initialWeights[key].data)).toBeGreaterThan(1e-3);
      } finally {
        rt.dispose();
      }
    }, 120_000);

  it.runIf(backends.length === 2)('cpu and webgpu agree on the final weights', () => {
    const { cpu, webgpu } = finals;
    if (!cpu || !webgpu) throw new Error('a backend run failed');
    let worst = 0;
    for (const key of Object.keys(cpu)) worst = Math.max(worst, tensorErr(webgpu[key].data, cpu[key].data));
    console.log(`two optimizers: cpu vs webgpu final weights ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-5);
  });
});

describe("a group's update step leaves the other group bit-identical", () => {
  for (const backend of backends)
    it(`on ${backend}`, async () => {
      const rt = await open(backend);
      try {
        const p = rt.program;
        const [body, head] = p.groups;
        const frozen = (g: typeof body): Region[] => [g.paramsRegion, ...Object.values(g.optState)];
        for (const [name, other, mine] of [
          ['head', body, head],
          ['body', head, body],
          ['head', body, head],
        ] as const) {
          const before = await rt.readState();
          await rt.trainUpdate(name, 2);
          const after = await rt.readState();
          for (const r of frozen(other)) expect(bits(after, r)).toEqual(bits(before, r));
          // ...while the stepping group did change.
          expect(bits(after, mine.paramsRegion)).not.toEqual(bits(before, mine.paramsRegion));
        }
      } finally {
        rt.dispose();
      }
    }, 120_000);
});

describe('evaluation entries and the whole-model eval pass of a program whose first step runs a slice', () => {
  const base: ExperimentSpec = {
    model: { input: [3], layers: [{ type: 'dense', units: 5 }, { type: 'tanh' }, { type: 'dense', units: 2 }] },
    loss: { type: 'mse' },
    optimizer: { type: 'sgd', lr: 0.1 },
    training: { batchSize: 4, seed: 3 },
  };
  const sliced: ExperimentSpec = {
    ...base,
    groups: [{ name: 'tail', layers: [2] }],
    steps: [{ name: 'tail', group: 'tail', from: 2 }],
    evaluations: [{ name: 'body', from: 0, to: 2 }],
  };
  const compiled = (s: ExperimentSpec): Program => {
    const v = validateSpec(s);
    if (!v.ok) throw new Error(v.errors.map((e) => e.message).join('; '));
    return compile(v.value);
  };
  const x = Float32Array.from({ length: 6 * 3 }, (_, i) => Math.sin(i * 1.7));
  for (const backend of backends)
    it(`on ${backend}: predict and predictEntry equal the plain program's outputs`, async () => {
      const p = compiled(sliced);
      const plain = compiled(base);
      expect(p.inputShape).toEqual([5]);
      const data = (q: Program) => ({
        inputShape: q.inputShape,
        targetShape: q.targetShape,
        classes: null,
        train: { x: new Float32Array(4 * q.inputShape[0]), y: new Float32Array(8), count: 4 },
        val: { x: new Float32Array(0), y: new Float32Array(0), count: 0 },
      });
      const open = async (q: Program) =>
        createRuntime(await BACKENDS[backend].createExecutor(q), data(q), {
          shuffle: false,
          initialState: initialState(q),
        });
      const rt = await open(p);
      const ref = await open(plain);
      try {
        await rt.setWeights(await ref.getWeights());
        const whole = await rt.predict(x, 6);
        const want = await ref.predict(x, 6);
        expect(whole.length).toBe(12);
        expect(tensorErr(whole, want)).toBeLessThan(1e-6);
        // The entry is layers 0-1 alone: tanh(x W0^T + b0) on the host.
        const w = await ref.getWeights();
        const body = await rt.predictEntry('body', x, 6);
        const host = new Float32Array(6 * 5);
        for (let r = 0; r < 6; r++)
          for (let u = 0; u < 5; u++) {
            let z = w['0.bias'].data[u];
            for (let k = 0; k < 3; k++) z += x[r * 3 + k] * w['0.weight'].data[u * 3 + k];
            host[r * 5 + u] = Math.tanh(z);
          }
        expect(tensorErr(body, host)).toBeLessThan(1e-5);
        await expect(rt.evaluate('train')).rejects.toThrow(/slice/);
      } finally {
        rt.dispose();
        ref.dispose();
      }
    }, 60_000);
});
