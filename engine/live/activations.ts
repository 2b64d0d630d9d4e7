// Activation inspection on the host: the eval-mode forward pass of a Program, run by the CPU kernels over a copy of
// the state arena (from either backend), reading each layer's output right after the op that writes it (the memory
// planner reuses activation memory, so it must be read then). Gives per-layer activation histograms and statistics
// (mean, std, fraction of zeros = dead ReLUs) over a set of inputs, and per-neuron outputs on a 2-D grid (the
// Playground's neuron thumbnails). Between chunks, from a snapshot: training never waits on the GPU for it.

import { prepare } from '../backends/cpu/kernels/table';
import { CpuMemory, type Thunk } from '../backends/cpu/memory';
import { autoSimdArenaSync } from '../backends/cpu/simd/arena';
import { evalLayerOutputs, type Program } from '../graph/program';
import type { ActivationStats } from '../shared/stats';
import { layerLabel } from './layers';

export type { ActivationStats } from '../shared/stats';

export interface NeuronGrid {
  layer: string;
  label: string;
  /** Neurons (features) of the layer's output. */
  units: number;
  /** [rows, units] row-major: rows are the grid points. */
  values: Float32Array;
}

interface Probe {
  layer: string;
  /** Index of the op whose output this is; the tensor; values per row. */
  op: number;
  view: Float32Array;
  perRow: number;
}

export class ActivationProbe {
  private readonly mem: CpuMemory;
  private readonly thunks: Thunk[];
  private readonly probes: Probe[];
  private readonly input: Float32Array;
  private readonly xRow: number;

  constructor(readonly program: Program) {
    // The CPU runtime's own kernels (SIMD when 'auto' chose them), so the last layer equals its predictions exactly.
    this.mem = new CpuMemory(program, 'f32', autoSimdArenaSync(program));
    this.thunks = program.evalForward.map((op) => prepare(op, this.mem));
    this.input = this.mem.view(program.evalIo.input);
    this.xRow = program.inputShape.reduce((a, b) => a * b, 1);
    const n = program.batchSize;
    this.probes = [];
    // Each layer's evaluation output, from the Program's layer table (the op that computes it, in network order).
    for (const { layer, op, out } of evalLayerOutputs(program)) {
      const t = program.tensors[out];
      if (t.shape[0] !== n) continue;
      this.probes.push({ layer, op, view: this.mem.view(out), perRow: t.size / n });
    }
  }

  /** The uniform words (hot hyperparameters) the eval kernels read, as the runtime packed them. */
  setHypers(words: Uint32Array): void {
    this.mem.words.set(words.subarray(0, this.mem.words.length));
  }

  /** Layer keys whose outputs are observed, in network order. */
  get layers(): string[] {
    return this.probes.map((p) => p.layer);
  }

  /** Runs the eval forward over `rows` inputs in batches, calling `visit(probe, batchRows, rowOffset)` after each
   * probed op. */
  private forward(
    state: Float32Array,
    x: Float32Array,
    rows: number,
    visit: (p: Probe, m: number, r0: number) => void,
  ) {
    this.mem.state.set(state.subarray(0, this.mem.state.length));
    const n = this.program.batchSize;
    const byOp = new Map(this.probes.map((p) => [p.op, p]));
    for (let r = 0; r < rows; r += n) {
      const m = Math.min(n, rows - r);
      this.input.fill(0);
      this.input.set(x.subarray(r * this.xRow, (r + m) * this.xRow));
      for (let i = 0; i < this.thunks.length; i++) {
        this.thunks[i]();
        const p = byOp.get(i);
        if (p) visit(p, m, r);
      }
    }
  }

  /** Histograms (fixed bin count over each layer's observed range) and statistics of every layer's outputs. */
  stats(state: Float32Array, x: Float32Array, rows: number, bins = 32): ActivationStats[] {
    const k = this.probes.length;
    const min = new Float64Array(k).fill(Number.POSITIVE_INFINITY);
    const max = new Float64Array(k).fill(Number.NEGATIVE_INFINITY);
    const sum = new Float64Array(k);
    const sq = new Float64Array(k);
    const zeros = new Float64Array(k);
    const count = new Float64Array(k);
    const index = new Map(this.probes.map((p, i) => [p, i]));
    this.forward(state, x, rows, (p, m) => {
      const i = index.get(p) as number;
      const v = p.view;
      for (let j = 0; j < m * p.perRow; j++) {
        const a = v[j];
        if (a < min[i]) min[i] = a;
        if (a > max[i]) max[i] = a;
        sum[i] += a;
        sq[i] += a * a;
        if (a === 0) zeros[i]++;
      }
      count[i] += m * p.perRow;
    });
    const counts = this.probes.map(() => new Uint32Array(bins));
    this.forward(state, x, rows, (p, m) => {
      const i = index.get(p) as number;
      const width = max[i] > min[i] ? (max[i] - min[i]) / bins : 1;
      const c = counts[i];
      const v = p.view;
      for (let j = 0; j < m * p.perRow; j++) c[Math.min(bins - 1, Math.floor((v[j] - min[i]) / width))]++;
    });
    return this.probes.map((p, i) => {
      const n = Math.max(1, count[i]);
      const mean = sum[i] / n;
      return {
        layer: p.layer,
        label: layerLabel(this.program, p.layer),
        histogram: { min: count[i] ? min[i] : 0, max: count[i] ? max[i] : 0, counts: counts[i] },
        mean,
        std: Math.sqrt(Math.max(0, sq[i] / n - mean * mean)),
        zeros: zeros[i] / n,
        count: count[i],
      };
    });
  }

  /** Every layer's outputs at each input row (the neuron thumbnails), capped to `maxValues` floats in total
   * (layers past the cap are left out). */
  neurons(state: Float32Array, x: Float32Array, rows: number, maxValues = 8_000_000): NeuronGrid[] {
    const out: NeuronGrid[] = [];
    let total = 0;
    for (const p of this.probes) {
      if (total + rows * p.perRow > maxValues) break;
      total += rows * p.perRow;
      out.push({
        layer: p.layer,
        label: layerLabel(this.program, p.layer),
        units: p.perRow,
        values: new Float32Array(rows * p.perRow),
      });
    }
    const byLayer = new Map(out.map((g) => [g.layer, g]));
    this.forward(state, x, rows, (p, m, r0) => {
      const g = byLayer.get(p.layer);
      if (g) g.values.set(p.view.subarray(0, m * p.perRow), r0 * p.perRow);
    });
    return out;
  }
}

/** A res x res grid over [x0,x1] x [y0,y1], row-major with y outer: point (i, j) is row j*res + i. */
export function gridInputs(xRange: [number, number], yRange: [number, number], res: number): Float32Array {
  const x = new Float32Array(res * res * 2);
  const [x0, x1] = xRange;
  const [y0, y1] = yRange;
  for (let j = 0; j < res; j++)
    for (let i = 0; i < res; i++) {
      const o = (j * res + i) * 2;
      x[o] = x0 + ((x1 - x0) * i) / (res - 1);
      x[o + 1] = y0 + ((y1 - y0) * j) / (res - 1);
    }
  return x;
}
