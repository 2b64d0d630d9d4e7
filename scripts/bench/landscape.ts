// The loss-landscape benchmark cases, shared by the bench page (Chromium) and Node: (spiral) a 51x51 landscape of
// the spiral preset's network on its 400 points, (mnist) a 31x31 landscape of the Lab's MNIST MLP preset
// (784-128-10, batch 64) on 500 validation-sized rows, each on one backend, with the FLOPs of the grid's forward passes, its GFLOP/s, and
// the same backend's training GFLOP/s on the same network (the batched-forward check: within 1.5x). Random
// directions; the center is the network after a few training steps. Pixel values are random (speed does not depend
// on them). Run by scripts/bench/landscapeRun.ts.

import type { BackendName } from '../../engine/backends/backend';
import { BACKENDS } from '../../engine/backends/index';
import { openRuntime } from '../../engine/backends/runtime';
import type { Dataset } from '../../engine/data/dataset';
import { makeToyDataset } from '../../engine/data/toy2d';
import { compile } from '../../engine/graph/compile';
import { computeLandscape } from '../../engine/landscape/compute';
import { planeOpener } from '../../engine/landscape/open';
import { programCost } from '../../engine/live/autoBackend';
import type { ExperimentSpec } from '../../engine/spec/types';
import { validateSpec } from '../../engine/spec/validate';
import { NETS, randomData } from './nets';

export type LandscapeNet = 'spiral' | 'mnist';

export interface LandscapeCase {
  net: LandscapeNet;
  backend: BackendName;
}

export type LandscapeCaseResult = (
  | {
      ok: true;
      case: LandscapeCase;
      where: 'browser' | 'node';
      grid: number;
      rows: number;
      /** Grid evaluation only (best of the rounds), and with opening the evaluator (compile, upload) included. */
      seconds: number;
      totalSeconds: number;
      rounds: number[];
      flops: number;
      gflops: number;
      trainGflops: number;
      /** gflops / trainGflops. */
      ratio: number;
    }
  | { ok: false; case: LandscapeCase; where: 'browser' | 'node'; error: string }
) & {
  /** When merged from an earlier run (landscapeRun.ts --only): that run's start (UTC). */
  at?: string;
};

const SPIRAL: ExperimentSpec = {
  data: { kind: 'spiral', points: 400, noise: 0.05, valFraction: 0.2, seed: 1, classes: 2 },
  model: {
    input: [2],
    layers: [
      { type: 'dense', units: 32 },
      { type: 'relu' },
      { type: 'dense', units: 32 },
      { type: 'relu' },
      { type: 'dense', units: 32 },
      { type: 'relu' },
      { type: 'dense', units: 2 },
    ],
  },
  loss: { type: 'cross_entropy' },
  optimizer: { type: 'adam', lr: 0.01 },
  training: { batchSize: 32, seed: 1 },
};

/** content/presets/mnist-mlp.json's network. */
const MNIST_MLP: ExperimentSpec = {
  model: {
    input: [784],
    layers: [{ type: 'dense', units: 128 }, { type: 'relu' }, { type: 'dense', units: 10 }],
  },
  loss: { type: 'cross_entropy' },
  optimizer: { type: 'adam', lr: 0.003 },
  training: { batchSize: 64, seed: 1 },
};

function setup(net: LandscapeNet): { spec: ExperimentSpec; data: Dataset; split: Dataset['train']; grid: number } {
  if (net === 'spiral') {
    const v = validateSpec(SPIRAL);
    if (!v.ok || !v.value.data) throw new Error('the spiral spec is invalid');
    const data = makeToyDataset(v.value.data, 'cross_entropy');
    // "Its 400 points": both splits.
    const cat = (a: Float32Array, b: Float32Array) => {
      const out = new Float32Array(a.length + b.length);
      out.set(a);
      out.set(b, a.length);
      return out;
    };
    const split = {
      x: cat(data.train.x, data.val.x),
      y: cat(data.train.y, data.val.y),
      count: data.train.count + data.val.count,
    };
    return { spec: SPIRAL, data, split, grid: 51 };
  }
  const b = { ...NETS.b, spec: MNIST_MLP, batch: 64 };
  const r = randomData({ ...b, rows: 1024 }, 7);
  const val = randomData({ ...b, rows: 500 }, 11);
  for (let i = 0; i < r.x.length; i++) r.x[i] = (r.x[i] + 1) / 2; // pixels in [0, 1)
  for (let i = 0; i < val.x.length; i++) val.x[i] = (val.x[i] + 1) / 2;
  const data: Dataset = {
    inputShape: [784],
    targetShape: [],
    classes: 10,
    train: { x: r.x, y: r.y, count: r.rows },
    val: { x: val.x, y: val.y, count: val.rows },
  };
  return { spec: MNIST_MLP, data, split: data.val, grid: 31 };
}

export async function runLandscapeCase(
  c: LandscapeCase,
  where: 'browser' | 'node',
  rounds = c.net === 'mnist' ? 1 : 2,
): Promise<LandscapeCaseResult> {
  try {
    const { spec, data, split, grid } = setup(c.net);
    const v = validateSpec(spec);
    if (!v.ok) throw new Error(v.errors.map((e) => e.message).join('; '));
    const program = compile(v.value);
    const factory = BACKENDS[c.backend];
    const avail = await factory.available();
    if (!avail.ok) throw new Error(avail.reason);
    const rt = await openRuntime(program, factory, { data });
    try {
      // Training throughput of the same network on the same backend: warm up, then time ~2 s of steps.
      await rt.trainSteps(5);
      let steps = 0;
      const t0 = performance.now();
      const chunk = c.backend === 'webgpu' ? 20 : 10;
      while (performance.now() - t0 < 2000) {
        await rt.trainSteps(chunk);
        steps += chunk;
      }
      await rt.readState();
      const trainSeconds = (performance.now() - t0) / 1000;
      const trainGflops = (steps * programCost(program).flops) / trainSeconds / 1e9;
      const state = await rt.readState();
      const times: number[] = [];
      const totals: number[] = [];
      let flops = 0;
      for (let k = 0; k < rounds; k++) {
        const t1 = performance.now();
        const r = await computeLandscape(
          { directions: 'random', grid, range: 1, split: 'val', seed: k + 1 },
          {
            program,
            state,
            step: rt.step,
            split,
            smoothing: 0,
            open: planeOpener((p) => factory.createExecutor(p)),
          },
        );
        totals.push((performance.now() - t1) / 1000);
        times.push(r.seconds);
        flops = r.flops;
        if (!r.losses.every((l) => Number.isFinite(l))) throw new Error('the landscape has non-finite losses');
      }
      const best = Math.min(...times);
      const gflops = flops / best / 1e9;
      return {
        ok: true,
        case: c,
        where,
        grid,
        rows: split.count,
        seconds: best,
        totalSeconds: Math.min(...totals),
        rounds: times,
        flops,
        gflops,
        trainGflops,
        ratio: gflops / trainGflops,
      };
    } finally {
      rt.dispose();
    }
  } catch (e) {
    return { ok: false, case: c, where, error: e instanceof Error ? e.message : String(e) };
  }
}

export const LANDSCAPE_CASES: LandscapeCase[] = [
  { net: 'spiral', backend: 'cpu' },
  { net: 'spiral', backend: 'webgpu' },
  { net: 'mnist', backend: 'cpu' },
  { net: 'mnist', backend: 'webgpu' },
];

const f = (v: number, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : '-');

/** The BENCHMARKS.md table. */
export function landscapeTable(results: LandscapeCaseResult[]): string {
  const head =
    '| where | case | backend | grid x rows | grid s (rounds) | with open s | GFLOP | GFLOP/s | training GFLOP/s | ratio | run |\n|---|---|---|---|---|---|---|---|---|---|---|';
  const rows = results.map((r) => {
    const what = r.case.net === 'spiral' ? 'spiral 2-32-32-32-2' : 'MNIST MLP 784-128-10';
    if (!r.ok)
      return `| ${r.where} | ${what} | ${r.case.backend} | - | failed: ${r.error.replace(/\|/g, '/')} | | | | | | ${r.at ?? 'this run'} |`;
    return `| ${r.where} | ${what} | ${r.case.backend} | ${r.grid}x${r.grid} x ${r.rows} | ${f(r.seconds)} (${r.rounds.map((x) => f(x)).join(', ')}) | ${f(r.totalSeconds)} | ${f(r.flops / 1e9)} | ${f(r.gflops)} | ${f(r.trainGflops)} | ${f(r.ratio)} | ${r.at ?? 'this run'} |`;
  });
  return [head, ...rows].join('\n');
}
