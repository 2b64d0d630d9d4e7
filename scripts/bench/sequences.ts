// Sequence benchmark rows, in Node: a 1-layer LSTM (hidden 128, T 32, batch 32) and a 2-block pre-LN transformer
// (d 64, 4 heads, T 32, batch 32) on our cpu and webgpu (Dawn) backends, with TF.js's LSTM layer (tfjs 4.22, its
// cpu backend in Node) side by side. Same timing loop as the other rows (harness.ts); tokens/s = steps/s x 32 x 32.
//   node scripts/with-webgpu-env.mjs npx tsx scripts/bench/sequences.ts [--seconds=3] [--rounds=3] [--only=regex]
// A script, never part of `npm test`. Prints a Markdown table.

import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { BACKENDS } from '../../engine/backends/index';
import { openRuntime } from '../../engine/backends/runtime';
import type { Dataset } from '../../engine/data/dataset';
import { compile } from '../../engine/graph/compile';
import type { ExperimentSpec, LayerSpec } from '../../engine/spec/types';
import { validateSpec } from '../../engine/spec/validate';
import { measure, type Trainer } from './harness';

const T = 32;
const B = 32;
const FEATURES = 32;
const CLASSES = 10;
const VOCAB = 32;

const lstmSpec: ExperimentSpec = {
  model: {
    input: [T, FEATURES],
    layers: [
      { type: 'lstm', hidden: 128 },
      { type: 'dense', units: CLASSES },
    ],
  },
  loss: { type: 'cross_entropy' },
  optimizer: { type: 'adam', lr: 0.001 },
  training: { batchSize: B, seed: 1 },
};

const d = 64;
const block = (): LayerSpec[] => [
  { type: 'residual', layers: [{ type: 'layernorm' }, { type: 'attention', heads: 4, causal: true }] },
  {
    type: 'residual',
    layers: [{ type: 'layernorm' }, { type: 'dense', units: 4 * d }, { type: 'gelu' }, { type: 'dense', units: d }],
  },
];
const transformerSpec: ExperimentSpec = {
  model: {
    input: [T],
    layers: [
      { type: 'embedding', vocab: VOCAB, dim: d },
      { type: 'positional', kind: 'learned', maxLen: T },
      ...block(),
      ...block(),
      { type: 'layernorm' },
      { type: 'dense', units: VOCAB },
    ],
  },
  loss: { type: 'cross_entropy' },
  optimizer: { type: 'adam', lr: 0.001 },
  training: { batchSize: B, seed: 1 },
};

/** xorshift data, as nets.ts does for the other rows. */
function rand(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

function dataset(kind: 'lstm' | 'transformer', rows = 8 * B): Dataset {
  const next = rand(7);
  const tokens = kind === 'transformer';
  const x = new Float32Array(rows * T * (tokens ? 1 : FEATURES)).map(() =>
    tokens ? Math.floor(next() * VOCAB) : next() * 2 - 1,
  );
  const y = new Float32Array(rows * (tokens ? T : 1)).map(() => Math.floor(next() * (tokens ? VOCAB : CLASSES)));
  const empty = { x: new Float32Array(0), y: new Float32Array(0), count: 0 };
  return {
    inputShape: tokens ? [T] : [T, FEATURES],
    targetShape: tokens ? [T] : [],
    classes: tokens ? VOCAB : CLASSES,
    train: { x, y, count: rows },
    val: empty,
  };
}

async function ours(kind: 'lstm' | 'transformer', backend: 'cpu' | 'webgpu'): Promise<Trainer> {
  const v = validateSpec(kind === 'lstm' ? lstmSpec : transformerSpec);
  if (!v.ok) throw new Error(v.errors.map((e) => e.message).join('; '));
  const rt = await openRuntime(compile(v.value), BACKENDS[backend], { data: dataset(kind) });
  return {
    async run(n) {
      const r = await rt.trainSteps(n);
      return r.losses[r.losses.length - 1];
    },
    dispose: () => rt.dispose(),
  };
}

async function tfjsLstm(): Promise<Trainer> {
  await tf.setBackend('cpu');
  const model = tf.sequential({
    layers: [tf.layers.lstm({ units: 128, inputShape: [T, FEATURES] }), tf.layers.dense({ units: CLASSES })],
  });
  model.compile({
    optimizer: tf.train.adam(0.001),
    loss: (y: tf.Tensor, p: tf.Tensor) => tf.losses.softmaxCrossEntropy(y, p),
  });
  const data = dataset('lstm', B);
  const xs = tf.tensor3d(data.train.x, [B, T, FEATURES]);
  const ys = tf.oneHot(tf.tensor1d(Array.from(data.train.y), 'int32'), CLASSES);
  return {
    async run(n) {
      let loss = Number.NaN;
      for (let i = 0; i < n; i++) {
        const l = (await model.trainOnBatch(xs, ys)) as number;
        loss = l;
      }
      return loss;
    },
    dispose: () => {
      model.dispose();
      xs.dispose();
      ys.dispose();
    },
  };
}

interface Row {
  name: string;
  make: () => Promise<Trainer>;
}

const ROWS: Row[] = [
  { name: 'lstm:ours:cpu', make: () => ours('lstm', 'cpu') },
  { name: 'lstm:ours:webgpu', make: () => ours('lstm', 'webgpu') },
  { name: 'lstm:tfjs:cpu', make: tfjsLstm },
  { name: 'transformer:ours:cpu', make: () => ours('transformer', 'cpu') },
  { name: 'transformer:ours:webgpu', make: () => ours('transformer', 'webgpu') },
];

async function main(): Promise<void> {
  const arg = (k: string, def: string) => process.argv.find((a) => a.startsWith(`--${k}=`))?.split('=')[1] ?? def;
  const seconds = Number(arg('seconds', '3'));
  const rounds = Number(arg('rounds', '3'));
  const only = new RegExp(arg('only', '.'));
  console.log(`| row | steps/s | tokens/s | warm-up s |\n|---|---|---|---|`);
  for (const row of ROWS) {
    if (!only.test(row.name)) continue;
    const t = await row.make();
    try {
      const m = await measure(t, { seconds, rounds, warmupSeconds: 10 });
      console.log(
        `| ${row.name} | ${m.stepsPerSec.toFixed(2)} | ${Math.round(m.stepsPerSec * B * T)} | ${m.warmupSeconds.toFixed(1)} |`,
      );
    } finally {
      await t.dispose();
    }
  }
  console.log(
    `\n${os.cpus().length} cores, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
}

await main();
