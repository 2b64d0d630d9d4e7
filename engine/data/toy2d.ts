// The seeded 2-D toy generators (circle, xor, blobs, spiral, moons; regression plane and bumps), in the spirit of
// TensorFlow Playground, with coordinates in about [-1, 1]. Each is a pure function of its DataSpec: every draw
// comes from the counter RNG keyed by the data seed, so a spec always yields the same points. The learner's own
// points (data.extra) join the training split; the model sees the data.features of each point (features.ts).

import { rngNormal, rngU32, rngUniform } from '../rng/rng';
import type { LossType, NormalizedData, ToyDataKind } from '../spec/types';
import { type Dataset, type Split, splitRows } from './dataset';
import { mapFeatures } from './features';

type FilledData = NormalizedData;

/** Raw generator output: xy pairs and a class index or a regression value per point. */
interface Points {
  x: Float32Array;
  label: Float32Array;
}

const STREAM = { pos: 1, noise: 2, order: 3 } as const;

function gen(d: FilledData, place: (i: number, u: (k: number) => number) => [number, number, number]): Points {
  const n = d.points;
  const x = new Float32Array(2 * n);
  const label = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = (k: number) => rngUniform(d.seed, STREAM.pos, i, k);
    const [px, py, l] = place(i, u);
    x[2 * i] = px + d.noise * rngNormal(d.seed, STREAM.noise, i, 0);
    x[2 * i + 1] = py + d.noise * rngNormal(d.seed, STREAM.noise, i, 1);
    label[i] = l;
  }
  return { x, label };
}

const GENERATORS: Record<ToyDataKind, (d: FilledData) => Points> = {
  circle: (d) =>
    gen(d, (i, u) => {
      const inside = i % 2 === 0;
      const r = inside ? 0.5 * u(0) : 0.7 + 0.3 * u(0);
      const a = 2 * Math.PI * u(1);
      return [r * Math.sin(a), r * Math.cos(a), inside ? 1 : 0];
    }),
  xor: (d) =>
    gen(d, (_i, u) => {
      const pad = 0.05;
      const px = 2 * u(0) - 1;
      const py = 2 * u(1) - 1;
      const sx = px + (px > 0 ? pad : -pad);
      const sy = py + (py > 0 ? pad : -pad);
      return [sx, sy, sx * sy > 0 ? 1 : 0];
    }),
  blobs: (d) =>
    gen(d, (i, u) => {
      const k = i % d.classes;
      const a = (2 * Math.PI * k) / d.classes;
      const r = 0.15 * Math.sqrt(-2 * Math.log(1 - u(0)));
      const t = 2 * Math.PI * u(1);
      return [0.6 * Math.cos(a) + r * Math.cos(t), 0.6 * Math.sin(a) + r * Math.sin(t), k];
    }),
  spiral: (d) =>
    gen(d, (i, u) => {
      const k = i % d.classes;
      const r = u(0);
      const t = 1.75 * 2 * Math.PI * r + (2 * Math.PI * k) / d.classes;
      return [r * Math.sin(t), r * Math.cos(t), k];
    }),
  moons: (d) =>
    gen(d, (i, u) => {
      const upper = i % 2 === 0;
      const t = Math.PI * u(0);
      const [mx, my] = upper ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)];
      return [(mx - 0.5) / 1.25, (my - 0.25) / 1.25, upper ? 0 : 1];
    }),
  plane: (d) =>
    gen(d, (_i, u) => {
      const px = 2 * u(0) - 1;
      const py = 2 * u(1) - 1;
      return [px, py, (px + py) / 2];
    }),
  bumps: (d) =>
    gen(d, (_i, u) => {
      const px = 2 * u(0) - 1;
      const py = 2 * u(1) - 1;
      const bump = (cx: number, cy: number) => Math.exp(-((px - cx) ** 2 + (py - cy) ** 2) / (2 * 0.3 * 0.3));
      return [px, py, bump(-0.5, -0.5) + bump(0.5, 0.5) - bump(-0.5, 0.5) - bump(0.5, -0.5)];
    }),
};

/** Targets as the loss expects them: class index (cross_entropy), 0/1 (bce_logits), -1/+1 (regression losses on
 * two-class data), or the value itself (regression data). */
export function makeToyDataset(d: FilledData, loss: LossType): Dataset {
  if (d.kind === 'mnist')
    throw new Error('data.kind mnist is loaded, not generated: use loadDataset (engine/data/load.ts)');
  const pts = GENERATORS[d.kind](d);
  const regression = d.kind === 'plane' || d.kind === 'bumps';
  const classIndex = loss === 'cross_entropy';
  const target = (l: number) => (regression || classIndex || loss === 'bce_logits' ? l : 2 * l - 1);
  const y = new Float32Array(d.points);
  for (let i = 0; i < d.points; i++) y[i] = target(pts.label[i]);
  const order = new Uint32Array(d.points);
  for (let i = 0; i < d.points; i++) order[i] = i;
  for (let i = d.points - 1; i > 0; i--) {
    const j = Math.floor((rngU32(d.seed, STREAM.order, 0, i) / 4294967296) * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const raw = splitRows(pts.x, y, 2, 1, order, d.valFraction);
  const train = withExtra(raw.train, d.extra, target);
  const inputs = (s: Split): Split => ({ ...s, x: mapFeatures(d.features, s.x, s.count) });
  return {
    inputShape: [d.features.length],
    targetShape: classIndex ? [] : [1],
    classes: regression ? null : d.classes,
    train: inputs(train),
    val: inputs(raw.val),
    points2d: { train: train.x, val: raw.val.x },
  };
}

/** The training split (raw coordinates) followed by the learner's [x1, x2, label] triples. */
function withExtra(s: Split, extra: readonly number[], target: (label: number) => number): Split {
  const n = extra.length / 3;
  if (n === 0) return s;
  const x = new Float32Array((s.count + n) * 2);
  const y = new Float32Array(s.count + n);
  x.set(s.x);
  y.set(s.y);
  for (let i = 0; i < n; i++) {
    x[2 * (s.count + i)] = extra[3 * i];
    x[2 * (s.count + i) + 1] = extra[3 * i + 1];
    y[s.count + i] = target(extra[3 * i + 2]);
  }
  return { x, y, count: s.count + n };
}
