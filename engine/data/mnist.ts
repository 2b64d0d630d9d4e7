// Packed MNIST: the file format of public/data/mnist.bin (written by scripts/pack-mnist.ts, read here in the
// worker and in Node), the fixed order of its digits, and the Dataset a spec's data section takes from it.
// Not here: getting the bytes (engine/data/fetchMnist.ts in the browser, engine/node/mnist.ts in Node).
//
// Format, little-endian: a 24-byte header
//   0 magic 'GAMN' | 4 u32 version (2) | 8 u32 count | 12 u32 train (rows before the validation block)
//   16 u16 rows (28) | 18 u16 cols (28) | 20 u32 reserved (0)
// then count x rows x cols uint8 pixels (row-major images), then count uint8 labels.
// Order: the train block (from MNIST's training set), then the validation block (from MNIST's test set); each takes
// the same number of digits of every class and interleaves the classes round-robin (0, 1, ..., 9, 0, ...), so every
// prefix is balanced. Within a class the source's order is mixed by a fixed permutation first: MNIST's files are
// ordered by writer group (the test set's second half is the harder one), so a prefix in source order would be
// easier or harder than the rest.

import { rngU32 } from '../rng/rng';
import { MNIST } from '../spec/defaults';
import type { NormalizedData } from '../spec/types';
import type { Dataset, Split } from './dataset';

const MAGIC = [0x47, 0x41, 0x4d, 0x4e]; // 'GAMN'
export const MNIST_PACK_VERSION = 2;
export const MNIST_HEADER_BYTES = 24;

export interface MnistPack {
  count: number;
  /** Rows in the train block (the validation block follows). */
  train: number;
  rows: number;
  cols: number;
  /** count x rows x cols, 0..255. */
  images: Uint8Array;
  /** count class indices 0..9. */
  labels: Uint8Array;
}

/** Total file size of a pack with this header, or null when the header is not a pack's. */
export function packBytes(header: Uint8Array): number | null {
  if (header.length < MNIST_HEADER_BYTES || MAGIC.some((b, i) => header[i] !== b)) return null;
  const v = new DataView(header.buffer, header.byteOffset, MNIST_HEADER_BYTES);
  return MNIST_HEADER_BYTES + v.getUint32(8, true) * (v.getUint16(16, true) * v.getUint16(18, true) + 1);
}

export function encodeMnistPack(p: MnistPack): Uint8Array {
  const pixels = p.rows * p.cols;
  const out = new Uint8Array(MNIST_HEADER_BYTES + p.count * (pixels + 1));
  out.set(MAGIC, 0);
  const v = new DataView(out.buffer);
  v.setUint32(4, MNIST_PACK_VERSION, true);
  v.setUint32(8, p.count, true);
  v.setUint32(12, p.train, true);
  v.setUint16(16, p.rows, true);
  v.setUint16(18, p.cols, true);
  out.set(p.images.subarray(0, p.count * pixels), MNIST_HEADER_BYTES);
  out.set(p.labels.subarray(0, p.count), MNIST_HEADER_BYTES + p.count * pixels);
  return out;
}

/** Parses (views into `bytes`, no copy); throws an Error saying what is wrong with a file that is not a pack. */
export function parseMnistPack(bytes: Uint8Array): MnistPack {
  const want = packBytes(bytes);
  if (want === null) throw new Error('mnist.bin is not a packed MNIST file (bad magic or too short)');
  const v = new DataView(bytes.buffer, bytes.byteOffset, MNIST_HEADER_BYTES);
  const version = v.getUint32(4, true);
  if (version !== MNIST_PACK_VERSION)
    throw new Error(`mnist.bin has format version ${version}; this engine reads ${MNIST_PACK_VERSION} (repack it)`);
  if (bytes.length !== want)
    throw new Error(`mnist.bin has ${bytes.length} bytes; its header says ${want} (a truncated download?)`);
  const count = v.getUint32(8, true);
  const train = v.getUint32(12, true);
  const rows = v.getUint16(16, true);
  const cols = v.getUint16(18, true);
  if (train > count) throw new Error(`mnist.bin: its train block (${train}) is larger than its ${count} digits`);
  const images = bytes.subarray(MNIST_HEADER_BYTES, MNIST_HEADER_BYTES + count * rows * cols);
  const labels = bytes.subarray(MNIST_HEADER_BYTES + count * rows * cols);
  if (labels.some((l) => l >= MNIST.classes)) throw new Error('mnist.bin holds a label outside 0..9');
  return { count, train, rows, cols, images, labels };
}

/** Seed of the fixed within-class permutation (a constant: the pack's order is part of its format). */
const MIX_SEED = 0x4d4e4953;

/** A fixed permutation of 0..n-1 for class k (Fisher-Yates on the counter RNG). */
function mixed(n: number, k: number): Uint32Array {
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor((rngU32(MIX_SEED, k, 0, i) / 4294967296) * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** The fixed order from each class's images: the training block takes `trainPerClass` digits of every class from
 * `trainSource` and the validation block `valPerClass` of every class from `valSource` (MNIST's own training and
 * test sets, so no validation digit was written by a writer of the training digits). Each class of each source is
 * mixed by its fixed permutation first; both blocks interleave the classes round-robin, so they are exactly
 * balanced and so is every prefix of 10 k digits. */
export function packDigits(
  trainSource: readonly Uint8Array[],
  valSource: readonly Uint8Array[],
  rows: number,
  cols: number,
  perClass: { train: number; val: number },
): MnistPack {
  const pixels = rows * cols;
  const classes = trainSource.length;
  if (valSource.length !== classes) throw new Error(`${classes} training classes but ${valSource.length} validation`);
  const pick = (source: readonly Uint8Array[], want: number, stream: number, name: string) =>
    source.map((images, k) => {
      const n = images.length / pixels;
      if (!Number.isInteger(n) || n < want) throw new Error(`${name} class ${k} has ${n} images, fewer than ${want}`);
      return { images, order: mixed(n, stream + k) };
    });
  const train = pick(trainSource, perClass.train, 0, 'training');
  const val = pick(valSource, perClass.val, classes, 'validation');
  const count = classes * (perClass.train + perClass.val);
  const images = new Uint8Array(count * pixels);
  const labels = new Uint8Array(count);
  let at = 0;
  const block = (from: typeof train, n: number) => {
    for (let i = 0; i < n; i++)
      for (let k = 0; k < classes; k++) {
        const j = from[k].order[i];
        images.set(from[k].images.subarray(j * pixels, (j + 1) * pixels), at * pixels);
        labels[at++] = k;
      }
  };
  block(train, perClass.train);
  block(val, perClass.val);
  return { count, train: classes * perClass.train, rows, cols, images, labels };
}

/** data.points digits: the first of the pack for training, the last round(points * valFraction) for validation
 * (so the default, the whole pack at 0.2, is exactly the train and validation blocks). Pixels scaled to [0, 1]. */
export function makeMnistDataset(pack: MnistPack, d: NormalizedData, inputShape: number[]): Dataset {
  const points = Math.min(d.points, pack.count);
  const nVal = Math.round(points * d.valFraction);
  const pixels = pack.rows * pack.cols;
  const take = (from: number, count: number): Split => {
    const x = new Float32Array(count * pixels);
    const src = pack.images.subarray(from * pixels, (from + count) * pixels);
    for (let i = 0; i < x.length; i++) x[i] = src[i] / 255;
    return { x, y: Float32Array.from(pack.labels.subarray(from, from + count)), count };
  };
  return {
    inputShape,
    targetShape: [],
    classes: MNIST.classes,
    train: take(0, points - nVal),
    val: take(pack.count - nVal, nVal),
  };
}
