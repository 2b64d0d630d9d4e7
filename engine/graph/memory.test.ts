// The memory plan: no two tensors that are live at the same op share memory; everything fits and is aligned;
// gradients and optimizer state mirror the parameter layout; lifetime reuse actually saves memory.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CPU_KERNELS } from '../backends/cpu/kernels/table';
import { validateSpec } from '../spec/validate';
import { loadGoldenFixtures } from '../testing/golden';
import { ganExperiment } from '../train/gan';
import { compile } from './compile';
import { OP_KINDS, type Op, opIO } from './ops';
import { type Program, stepOps, TENSOR_ALIGN } from './program';

function checkNoOverlap(p: Program, ops: Op[], liveAll: number[]): void {
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  ops.forEach((op, i) => {
    const { reads, writes } = opIO(op);
    for (const t of [...reads, ...writes]) {
      if (p.tensors[t].arena !== 'activations') continue;
      if (!first.has(t)) first.set(t, i);
      last.set(t, i);
    }
  });
  for (const t of liveAll) {
    first.set(t, -1);
    last.set(t, ops.length);
  }
  const ids = [...first.keys()];
  for (const a of ids)
    for (const b of ids) {
      if (a >= b) continue;
      const overlapTime = (first.get(a) ?? 0) <= (last.get(b) ?? 0) && (first.get(b) ?? 0) <= (last.get(a) ?? 0);
      if (!overlapTime) continue;
      const ta = p.tensors[a];
      const tb = p.tensors[b];
      const overlapSpace = ta.offset < tb.offset + tb.size && tb.offset < ta.offset + ta.size;
      expect(overlapSpace, `${ta.name} and ${tb.name} are live together but share memory`).toBe(false);
    }
}

describe('memory plan of programs with parameter groups', () => {
  const read = (dir: string, name: string) =>
    JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', dir, name), 'utf8'));
  const specs: [string, unknown][] = [
    ['two_optimizers', read('groups', 'two_optimizers.json').spec],
    ['tiny_gan', ganExperiment(read('gan', 'tiny_gan.json').spec)],
    [
      'first step on a slice, a layer in no step',
      {
        model: { input: [3], layers: [{ type: 'dense', units: 5 }, { type: 'tanh' }, { type: 'dense', units: 2 }] },
        loss: { type: 'mse' },
        optimizer: { type: 'sgd', lr: 0.1 },
        training: { batchSize: 4 },
        groups: [{ name: 'tail', layers: [2] }],
        steps: [{ name: 'tail', group: 'tail', from: 2 }],
        evaluations: [{ name: 'body', from: 0, to: 2 }],
      },
    ],
  ];
  for (const [name, spec] of specs)
    it(`${name}: every step, the eval pass and each entry keep live tensors apart; state tensors placed apart`, () => {
      const v = validateSpec(spec);
      if (!v.ok) throw new Error(v.errors.map((e) => e.message).join('; '));
      const p = compile(v.value);
      p.updateSteps.forEach((u, i) => {
        checkNoOverlap(p, stepOps(p, i), [u.io.input, u.io.target]);
      });
      checkNoOverlap(p, p.evalForward, [p.evalIo.input, p.evalIo.output]);
      for (const e of p.evaluations) checkNoOverlap(p, e.ops, [e.io.input, e.io.output]);
      // Parameters, gradients, optimizer state, buffers and scalars: every one placed, in bounds, no two sharing.
      const state = p.tensors.filter((t) => t.arena === 'state' && t.role !== 'region');
      for (const t of state) {
        expect(t.offset, `${t.name} placed`).toBeGreaterThanOrEqual(0);
        expect(t.offset + t.size).toBeLessThanOrEqual(p.arenas.state.size);
      }
      const regions = p.groups.flatMap((g) => [g.paramsRegion, g.grads, ...Object.values(g.optState)]);
      for (const [i, a] of regions.entries())
        for (const b of regions.slice(i + 1))
          expect(a.offset < b.offset + b.size && b.offset < a.offset + a.size && a.size > 0 && b.size > 0).toBe(false);
      for (const [i, a] of state.entries())
        for (const b of state.slice(i + 1))
          expect(a.offset < b.offset + b.size && b.offset < a.offset + a.size, `${a.name} / ${b.name}`).toBe(false);
    });
});

describe('memory plan', () => {
  const programs = loadGoldenFixtures().map((fx) => {
    const v = validateSpec(fx.spec);
    if (!v.ok) throw new Error(fx.name);
    return { name: fx.name, p: compile(v.value) };
  });

  it('keeps live activation tensors apart, in bounds and aligned (every golden program, train and eval)', () => {
    for (const { p } of programs) {
      checkNoOverlap(p, stepOps(p), [p.io.input, p.io.target]);
      checkNoOverlap(p, p.evalForward, [p.evalIo.input, p.evalIo.output]);
      for (const t of p.tensors) {
        if (t.offset < 0) continue;
        expect(t.offset % TENSOR_ALIGN).toBe(0);
        const size = t.arena === 'state' ? p.arenas.state.size : p.arenas.activations.size;
        expect(t.offset + t.size).toBeLessThanOrEqual(size);
      }
    }
  });

  it('lays gradients and optimizer state parallel to the parameters', () => {
    for (const { p } of programs) {
      for (const param of p.params) {
        if (param.grad === null) continue;
        const rel = p.tensors[param.tensor].offset - p.regions.params.offset;
        expect(p.tensors[param.grad].offset).toBe(p.regions.grads.offset + rel);
      }
      for (const r of Object.values(p.regions.optState)) expect(r.size).toBe(p.regions.params.size);
    }
  });

  it('reuses activation memory across a deep network', () => {
    const layers = Array.from({ length: 12 }, () => [{ type: 'dense', units: 64 }, { type: 'relu' }]).flat();
    const v = validateSpec({
      model: { input: [64], layers: [...layers, { type: 'dense', units: 2 }] },
      loss: { type: 'cross_entropy' },
      optimizer: { type: 'adam' },
      training: { batchSize: 16 },
    });
    if (!v.ok) throw new Error('spec');
    const p = compile(v.value);
    const total = p.tensors.filter((t) => t.arena === 'activations').reduce((a, t) => a + t.size, 0);
    expect(p.arenas.activations.size).toBeLessThan(0.8 * total);
  });

  it('has a CPU kernel for every op kind', () => {
    expect(Object.keys(CPU_KERNELS).sort()).toEqual([...OP_KINDS].sort());
  });
});
