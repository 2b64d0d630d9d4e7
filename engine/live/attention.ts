// Attention weights read back for inspection: the evaluation forward of a Program on the host (the CPU kernels, as
// the activation probe does) over given rows, copying each attention layer's softmax output right after the op that
// computes it (the activation memory plan may reuse that storage later in the pass).

import { prepare } from '../backends/cpu/kernels/table';
import { CpuMemory } from '../backends/cpu/memory';
import { opIO } from '../graph/ops';
import type { Program } from '../graph/program';

export interface AttentionMaps {
  /** Layer key and label, from the Program's layer table. */
  layer: string;
  label: string;
  heads: number;
  T: number;
  /** [rows, heads, T, T]: row i of a (head, query) block is query i's weights over the keys (each sums to 1). */
  weights: Float32Array;
}

export function attentionWeights(p: Program, state: Float32Array, x: Float32Array, rows: number): AttentionMaps[] {
  const mem = new CpuMemory(p);
  mem.state.set(state.subarray(0, mem.state.length));
  const thunks = p.evalForward.map((op) => prepare(op, mem));
  const input = mem.view(p.evalIo.input);
  const xRow = p.inputShape.reduce((a, b) => a * b, 1);
  const n = p.batchSize;
  const layers = p.layers.filter((l) => l.attention !== undefined);
  const out = layers.map((l) => {
    const a = l.attention as NonNullable<typeof l.attention>;
    return {
      layer: l.key,
      label: l.label,
      heads: a.heads,
      T: a.T,
      weights: new Float32Array(rows * a.heads * a.T * a.T),
    };
  });
  const at = new Map<number, number>();
  p.evalForward.forEach((op, i) => {
    layers.forEach((l, j) => {
      if (opIO(op).writes.includes((l.attention as NonNullable<typeof l.attention>).weights)) at.set(i, j);
    });
  });
  for (let r = 0; r < rows; r += n) {
    const m = Math.min(n, rows - r);
    input.fill(0);
    input.set(x.subarray(r * xRow, (r + m) * xRow));
    thunks.forEach((run, i) => {
      run();
      const j = at.get(i);
      if (j === undefined) return;
      const o = out[j];
      const per = o.heads * o.T * o.T;
      const view = mem.view((layers[j].attention as NonNullable<(typeof layers)[number]['attention']>).weights);
      o.weights.set(view.subarray(0, m * per), r * per);
    });
  }
  return out;
}
