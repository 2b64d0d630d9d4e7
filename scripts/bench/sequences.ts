// The sequence rows of `npm run bench` (issue 11): a 1-layer LSTM (hidden 128, T 32, batch 32) and a 2-block
// pre-LN transformer (d 64, 4 heads, T 32, batch 32), our engine on each backend (cpu: the kernels auto picks, cpu-js,
// webgpu) with TF.js's LSTM layer (tf.layers.lstm, trained by trainOnBatch) side by side, in Chromium and in Node.
// Same timing loop as the other rows (harness.ts); tokens/s = steps/s x batch x T. Random data, fixed seed.
// --only names: `<where>:<lib>:<backend>:<net>`, e.g. `node:ours:cpu:lstm`, `browser:tfjs:wasm:lstm`.

import * as tf from '@tensorflow/tfjs';
import type { BackendFactory } from '../../engine/backends/backend';
import { cpuBackendWith } from '../../engine/backends/cpu/index';
import { BACKENDS } from '../../engine/backends/index';
import { openRuntime } from '../../engine/backends/runtime';
import type { Dataset } from '../../engine/data/dataset';
import { compile } from '../../engine/graph/compile';
import type { Program } from '../../engine/graph/program';
import type { ExperimentSpec, LayerSpec } from '../../engine/spec/types';
import { validateSpec } from '../../engine/spec/validate';
import { type Measurement, measure, type Trainer } from './harness';
import type { Library, Where } from './types';

const T = 32;
const B = 32;
const FEATURES = 32;
const CLASSES = 10;
const VOCAB = 32;
const D = 64;

export type SeqNetId = 'lstm' | 'transformer';

const block = (): LayerSpec[] => [
  { type: 'residual', layers: [{ type: 'layernorm' }, { type: 'attention', heads: 4, causal: true }] },
  {
    type: 'residual',
    layers: [{ type: 'layernorm' }, { type: 'dense', units: 4 * D }, { type: 'gelu' }, { type: 'dense', units: D }],
  },
];

export const SEQ_NETS: Record<SeqNetId, { title: string; spec: ExperimentSpec }> = {
  lstm: {
    title: `LSTM: [${T}, ${FEATURES}] input, lstm hidden 128, dense ${CLASSES} on the last state; batch ${B}, Adam, cross-entropy`,
    spec: {
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
    },
  },
  transformer: {
    title: `transformer: ${T} tokens (vocab ${VOCAB}), embedding ${D} + learned positions, 2 pre-LN blocks (causal attention, 4 heads; MLP ${4 * D}, gelu), layernorm, dense ${VOCAB} per token; batch ${B}, Adam, cross-entropy over every token`,
    spec: {
      model: {
        input: [T],
        layers: [
          { type: 'embedding', vocab: VOCAB, dim: D },
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
    },
  },
};

export const SEQ_NET_IDS: SeqNetId[] = ['lstm', 'transformer'];
export const TOKENS_PER_STEP = B * T;

export interface SeqCase {
  lib: Library;
  /** ours: cpu | cpu-js | webgpu; tfjs: cpu | wasm | webgpu (browser), cpu (Node: @tensorflow/tfjs's plain JS). */
  backend: string;
  net: SeqNetId;
  seconds: number;
  rounds: number;
}

export type SeqResult =
  | { ok: true; case: SeqCase; where: Where; measurement: Measurement; notes: string[]; busyBefore?: number }
  | { ok: false; case: SeqCase; where: Where; error: string };

export const seqName = (where: Where, c: Pick<SeqCase, 'lib' | 'backend' | 'net'>): string =>
  `${where}:${c.lib}:${c.backend}:${c.net}`;

/** The cases of one place: ours on each backend on both nets, TF.js's LSTM on each of its backends there. */
export function seqCases(where: Where, seconds: number, rounds: number): SeqCase[] {
  const tfjs = where === 'browser' ? ['webgpu', 'cpu', 'wasm'] : ['cpu'];
  const out: SeqCase[] = [];
  for (const net of SEQ_NET_IDS) {
    if (net === 'lstm') for (const backend of tfjs) out.push({ lib: 'tfjs', backend, net, seconds, rounds });
    for (const backend of ['cpu', 'cpu-js', 'webgpu']) out.push({ lib: 'ours', backend, net, seconds, rounds });
  }
  return out;
}

export function seqProgram(net: SeqNetId): Program {
  const v = validateSpec(SEQ_NETS[net].spec);
  if (!v.ok) throw new Error(`bench spec ${net}: ${v.errors.map((e) => e.message).join('; ')}`);
  return compile(v.value);
}

/** xorshift, as nets.ts uses for the other rows (identical in the browser and in Node). */
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

function dataset(net: SeqNetId, rows = 8 * B): Dataset {
  const next = rand(7);
  const tokens = net === 'transformer';
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

async function ours(c: SeqCase, notes: string[]): Promise<Trainer> {
  const factory: BackendFactory = c.backend === 'cpu-js' ? cpuBackendWith('js') : BACKENDS[c.backend as 'cpu'];
  if (!factory) throw new Error(`no backend ${c.backend}`);
  const avail = await factory.available();
  if (!avail.ok) throw new Error(`${c.backend} unavailable: ${avail.reason}`);
  const t0 = performance.now();
  const rt = await openRuntime(seqProgram(c.net), factory, { data: dataset(c.net) });
  notes.push(`runtime open ${Math.round(performance.now() - t0)} ms`, avail.detail);
  return {
    async run(n) {
      const r = await rt.trainSteps(n);
      return r.losses[r.losses.length - 1];
    },
    dispose: () => rt.dispose(),
  };
}

/** TF.js's LSTM layer and a dense head, trained by trainOnBatch on one uploaded batch. */
async function tfjsLstm(c: SeqCase, notes: string[]): Promise<Trainer> {
  // As the other TF.js rows: 'wasm' is the single-threaded SIMD build (what a page without isolation gets).
  if (c.backend === 'wasm') tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (!(await tf.setBackend(c.backend))) throw new Error(`TF.js could not initialise its ${c.backend} backend`);
  await tf.ready();
  if (c.backend === 'wasm') notes.push(`wasm simd=${tf.env().getBool('WASM_HAS_SIMD_SUPPORT')} threads=false`);
  notes.push(`TF.js ${tf.version.tfjs} tf.layers.lstm + dense, trainOnBatch`);
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
      // trainOnBatch resolves with the loss read back to the host: every step is a read-back (TF.js's own API).
      for (let i = 0; i < n; i++) loss = (await model.trainOnBatch(xs, ys)) as number;
      return loss;
    },
    dispose: () => {
      model.dispose();
      xs.dispose();
      ys.dispose();
    },
  };
}

export async function runSequenceCase(c: SeqCase, where: Where): Promise<SeqResult> {
  const notes: string[] = [];
  let t: Trainer | null = null;
  try {
    if (c.lib === 'tfjs' && c.net !== 'lstm') throw new Error('TF.js rows: the LSTM only');
    t = c.lib === 'tfjs' ? await tfjsLstm(c, notes) : await ours(c, notes);
    const m = await measure(t, { seconds: c.seconds, rounds: c.rounds, warmupSeconds: 10 });
    return { ok: true, case: c, where, measurement: m, notes };
  } catch (e) {
    let error = e instanceof Error ? e.message : String(e);
    if (c.lib === 'tfjs' && /not registered for backend/.test(error))
      error = `TF.js cannot train this network here: ${error}`;
    return { ok: false, case: c, where, error };
  } finally {
    await t?.dispose();
  }
}
