// The sequence tasks: shapes, targets that follow from the inputs, and determinism from the seed.
import { describe, expect, it } from 'vitest';
import { charCorpus, sequenceTask } from './sequences';

const opts = { train: 64, val: 16, length: 8, seed: 5 };

describe('sequence tasks', () => {
  it('copy, reverse and sort give digit targets derived from the inputs', () => {
    for (const task of ['copy', 'reverse', 'sort'] as const) {
      const d = sequenceTask(task, opts);
      expect(d.inputShape).toEqual([8]);
      expect(d.targetShape).toEqual([8]);
      expect(d.classes).toBe(10);
      for (let r = 0; r < d.train.count; r++) {
        const x = Array.from(d.train.x.subarray(r * 8, r * 8 + 8));
        const y = Array.from(d.train.y.subarray(r * 8, r * 8 + 8));
        for (const v of x) expect(Number.isInteger(v) && v >= 0 && v < 10).toBe(true);
        const want = task === 'copy' ? x : task === 'reverse' ? [...x].reverse() : [...x].sort((a, b) => a - b);
        expect(y).toEqual(want);
      }
    }
  });

  it('the adding problem marks one position in each half and sums their values', () => {
    const d = sequenceTask('adding', { ...opts, length: 50 });
    expect(d.inputShape).toEqual([50, 2]);
    for (let r = 0; r < d.train.count; r++) {
      const row = d.train.x.subarray(r * 100, (r + 1) * 100);
      const marked = [...Array(50).keys()].filter((t) => row[2 * t + 1] === 1);
      expect(marked.length).toBe(2);
      expect(marked[0]).toBeLessThan(25);
      expect(marked[1]).toBeGreaterThanOrEqual(25);
      expect(d.train.y[r]).toBeCloseTo(row[2 * marked[0]] + row[2 * marked[1]], 6);
    }
  });

  it('parity and sine follow their definitions', () => {
    const p = sequenceTask('parity', opts);
    for (let r = 0; r < p.train.count; r++) {
      const bits = p.train.x.subarray(r * 8, r * 8 + 8).reduce((a, b) => a + b, 0);
      expect(p.train.y[r]).toBe(bits % 2);
    }
    const s = sequenceTask('sine', opts);
    expect(s.targetShape).toEqual([1]);
    for (const v of s.train.x) expect(Math.abs(v)).toBeLessThanOrEqual(1);
  });

  it('is a pure function of its options, and the splits differ', () => {
    const a = sequenceTask('reverse', opts);
    expect(sequenceTask('reverse', opts).train.x).toEqual(a.train.x);
    expect(sequenceTask('reverse', { ...opts, seed: 6 }).train.x).not.toEqual(a.train.x);
    expect(a.val.x).not.toEqual(a.train.x.subarray(0, a.val.x.length));
  });

  it('cuts a text into next-character windows', () => {
    const d = charCorpus('abracadabra, abracadabra!', { train: 10, val: 2, length: 5, seed: 1 });
    expect(d.vocab).toEqual([' ', '!', ',', 'a', 'b', 'c', 'd', 'r']);
    for (let r = 0; r < 10; r++)
      for (let t = 0; t < 4; t++) expect(d.train.y[r * 5 + t]).toBe(d.train.x[r * 5 + t + 1]);
  });
});
