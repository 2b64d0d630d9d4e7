// Seeded sequence tasks for the recurrent and attention models: each is a pure function of its options (every draw
// comes from the counter RNG keyed by the seed), returning a Dataset whose rows are whole sequences.
//
// - copy / reverse / sort: x [T] digit tokens (0 .. vocab-1), y [T] the same digits, reversed or sorted; a model
//   with an embedding and a [T, vocab] output is trained with cross_entropy per token.
// - parity: x [T, 1] bits, y the parity class (2 classes).
// - adding (Hochreiter & Schmidhuber's long-range problem): x [T, 2] = (uniform value, marker); exactly two markers,
//   one in each half; y [1] the sum of the two marked values (mse). A model that predicts 1 scores mse ~ 1/6.
// - sine: x [T, 1] a window of sin(w t + phi) with random w and phi, y [1] the next value (mse).
// - chars: a character corpus cut into windows: x [T] char ids, y [T] the next char of each.

import { rngUniform } from '../rng/rng';
import type { Dataset, Split } from './dataset';

export interface SequenceOptions {
  /** Rows (sequences) in the training split and in the validation split. */
  train: number;
  val: number;
  /** Sequence length T. */
  length: number;
  seed: number;
  /** Token count for the digit tasks (default 10). */
  vocab?: number;
}

export type SequenceTask = 'copy' | 'reverse' | 'sort' | 'parity' | 'adding' | 'sine';

/** Per-row generator: writes row `r`'s x and y given a uniform draw u(k). */
type RowGen = (u: (k: number) => number, x: Float32Array, y: Float32Array) => void;

interface TaskDef {
  input(T: number): number[];
  target(T: number): number[];
  classes(o: SequenceOptions): number | null;
  row(o: SequenceOptions): RowGen;
}

const digits = (o: SequenceOptions, u: (k: number) => number, x: Float32Array) => {
  const v = o.vocab ?? 10;
  for (let t = 0; t < o.length; t++) x[t] = Math.min(v - 1, Math.floor(u(t) * v));
};

const TASKS: Record<SequenceTask, TaskDef> = {
  copy: {
    input: (T) => [T],
    target: (T) => [T],
    classes: (o) => o.vocab ?? 10,
    row: (o) => (u, x, y) => {
      digits(o, u, x);
      y.set(x);
    },
  },
  reverse: {
    input: (T) => [T],
    target: (T) => [T],
    classes: (o) => o.vocab ?? 10,
    row: (o) => (u, x, y) => {
      digits(o, u, x);
      for (let t = 0; t < o.length; t++) y[t] = x[o.length - 1 - t];
    },
  },
  sort: {
    input: (T) => [T],
    target: (T) => [T],
    classes: (o) => o.vocab ?? 10,
    row: (o) => (u, x, y) => {
      digits(o, u, x);
      y.set(Float32Array.from(x).sort());
    },
  },
  parity: {
    input: (T) => [T, 1],
    target: () => [],
    classes: () => 2,
    row: (o) => (u, x, y) => {
      let s = 0;
      for (let t = 0; t < o.length; t++) {
        x[t] = u(t) < 0.5 ? 0 : 1;
        s += x[t];
      }
      y[0] = s % 2;
    },
  },
  adding: {
    input: (T) => [T, 2],
    target: () => [1],
    classes: () => null,
    row: (o) => (u, x, y) => {
      const T = o.length;
      const half = Math.floor(T / 2);
      const a = Math.min(half - 1, Math.floor(u(2 * T) * half));
      const b = half + Math.min(T - half - 1, Math.floor(u(2 * T + 1) * (T - half)));
      for (let t = 0; t < T; t++) {
        x[2 * t] = u(t);
        x[2 * t + 1] = t === a || t === b ? 1 : 0;
      }
      y[0] = x[2 * a] + x[2 * b];
    },
  },
  sine: {
    input: (T) => [T, 1],
    target: () => [1],
    classes: () => null,
    row: (o) => (u, x, y) => {
      const w = 0.1 + 0.4 * u(0);
      const phi = 2 * Math.PI * u(1);
      for (let t = 0; t < o.length; t++) x[t] = Math.sin(w * t + phi);
      y[0] = Math.sin(w * o.length + phi);
    },
  },
};

/** RNG streams of the sequence tasks (the toys use 1-3). */
const STREAM = { train: 0x51, val: 0x52 } as const;

export function sequenceTask(task: SequenceTask, o: SequenceOptions): Dataset {
  const def = TASKS[task];
  const xRow = def.input(o.length).reduce((a, b) => a * b, 1);
  const yRow = Math.max(
    1,
    def.target(o.length).reduce((a, b) => a * b, 1),
  );
  const gen = def.row(o);
  const split = (count: number, stream: number): Split => {
    const x = new Float32Array(count * xRow);
    const y = new Float32Array(count * yRow);
    for (let r = 0; r < count; r++)
      gen(
        (k) => rngUniform(o.seed, stream, r, k),
        x.subarray(r * xRow, (r + 1) * xRow),
        y.subarray(r * yRow, (r + 1) * yRow),
      );
    return { x, y, count };
  };
  return {
    inputShape: def.input(o.length),
    targetShape: def.target(o.length),
    classes: def.classes(o),
    train: split(o.train, STREAM.train),
    val: split(o.val, STREAM.val),
  };
}

/** Next-character windows over a text: the vocabulary is the text's distinct characters in code-point order. */
export function charCorpus(text: string, o: Omit<SequenceOptions, 'vocab'>): Dataset & { vocab: string[] } {
  const vocab = [...new Set(text)].sort();
  const id = new Map(vocab.map((c, i) => [c, i]));
  const ids = Float32Array.from(text, (c) => id.get(c) ?? 0);
  const T = o.length;
  const starts = Math.max(1, ids.length - T - 1);
  const split = (count: number, stream: number): Split => {
    const x = new Float32Array(count * T);
    const y = new Float32Array(count * T);
    for (let r = 0; r < count; r++) {
      const s = Math.floor(rngUniform(o.seed, stream, r, 0) * starts);
      x.set(ids.subarray(s, s + T), r * T);
      y.set(ids.subarray(s + 1, s + T + 1), r * T);
    }
    return { x, y, count };
  };
  return {
    inputShape: [T],
    targetShape: [T],
    classes: vocab.length,
    train: split(o.train, STREAM.train),
    val: split(o.val, STREAM.val),
    vocab,
  };
}
