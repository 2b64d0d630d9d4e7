// Per-epoch seeded shuffling (Fisher-Yates driven by the counter RNG: epoch e of seed s is always the same order)
// and the batch plan: an epoch is floor(rows / batchSize) batches (the last partial batch is dropped, so every
// step has the compiled batch size).

import { rngU32 } from '../rng/rng';

/** RNG stream of the training shuffle (dropout uses small numbers, init 0x10000+). */
export const SHUFFLE_STREAM = 0x7000;

export function epochOrder(rows: number, seed: number, epoch: number, shuffle: boolean): Uint32Array {
  const order = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  if (!shuffle) return order;
  for (let i = rows - 1; i > 0; i--) {
    // Uniform in [0, i] via multiply-shift on 32 random bits (bias < 2^-32 * rows: negligible here).
    const j = Math.floor((rngU32(seed, SHUFFLE_STREAM, epoch, i) / 4294967296) * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

export function stepsPerEpoch(rows: number, batchSize: number): number {
  return Math.floor(rows / batchSize);
}
