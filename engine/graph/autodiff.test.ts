// The DAG core's bookkeeping: a parameter used by several ops gets each use's gradient summed into its gradient
// tensor (the values are checked by finite differences in gradcheck.test.ts and against torch by the golden
// fixtures); a value sliced many times accumulates its gradient in place.
import { describe, expect, it } from 'vitest';
import { validateSpec } from '../spec/validate';
import { compile } from './compile';
import { opIO } from './ops';

function program(layers: unknown[]) {
  const v = validateSpec({
    model: { input: [3, 2], layers },
    loss: { type: 'mse' },
    optimizer: { type: 'sgd', lr: 0.1 },
    training: { batchSize: 4, seed: 1 },
  });
  if (!v.ok) throw new Error(v.errors.map((e) => e.message).join('; '));
  return compile(v.value);
}

describe('gradients of shared values and parameters are summed', () => {
  it('a recurrent weight used at every step: one write, then one in-place add per further use', () => {
    const p = program([
      { type: 'rnn', hidden: 4, returnSequences: true },
      { type: 'dense', units: 1 },
    ]);
    const whh = p.params.find((q) => q.key === '0.weight_hh_l0');
    expect(whh?.grad).not.toBeNull();
    const g = whh?.grad as number;
    const writers = p.backward.filter((op) => opIO(op).writes.includes(g));
    // T = 3 uses: the first matmul writes the gradient, each later use is added in place (out === a).
    expect(writers.map((op) => op.kind)).toEqual(['matmul', 'add', 'add']);
    for (const op of writers.slice(1)) expect(op.kind === 'add' && op.a === g && op.out === g).toBe(true);
  });

  it('the per-step slices of one projection accumulate into one gradient in place', () => {
    const p = program([
      { type: 'lstm', hidden: 2 },
      { type: 'dense', units: 1 },
    ]);
    const kinds = p.backward.map((op) => op.kind);
    expect(kinds.filter((k) => k === 'slice_acc').length).toBeGreaterThan(0);
    // Every slice_acc adds into a gradient that a slice_grad zero-filled earlier in the backward pass.
    p.backward.forEach((op, i) => {
      if (op.kind !== 'slice_acc') return;
      const first = p.backward.findIndex((o) => o.kind === 'slice_grad' && o.dx === op.dx);
      expect(first).toBeGreaterThanOrEqual(0);
      expect(first).toBeLessThan(i);
    });
  });
});
