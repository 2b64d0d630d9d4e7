import { describe, expect, it } from 'vitest';
import { mismatches, parseStateDict } from './importWeights';

const model = {
  '0.weight': { shape: [2, 3], data: new Float32Array(6) },
  '0.bias': { shape: [2], data: new Float32Array(2) },
};

describe('state-dict import', () => {
  it('reads a state dict and finds that it fits', () => {
    const text = JSON.stringify({
      '0.weight': { shape: [2, 3], data: [1, 2, 3, 4, 5, 6] },
      '0.bias': { shape: [2], data: [0, 1] },
    });
    const r = parseStateDict(text);
    expect(r.ok).toBe(true);
    if (r.ok) expect(mismatches(r.dict, model)).toEqual([]);
  });

  it('names every key that does not fit', () => {
    const r = parseStateDict(
      JSON.stringify({ '0.weight': { shape: [3, 2], data: [1, 2, 3, 4, 5, 6] }, '9.bias': { shape: [1], data: [0] } }),
    );
    expect(r.ok).toBe(true);
    if (r.ok)
      expect(mismatches(r.dict, model)).toEqual([
        '0.weight: shape [3, 2] in the file, [2, 3] in the model',
        '0.bias: missing from the file (the model has shape [2])',
        '9.bias: the model has no such tensor',
      ]);
  });

  it('refuses what is not a state dict, with a reason per key', () => {
    expect(parseStateDict('not json')).toMatchObject({ ok: false });
    expect(parseStateDict('[1, 2]')).toMatchObject({ ok: false });
    expect(parseStateDict('{}')).toEqual({ ok: false, problems: ['the file holds no tensors'] });
    const r = parseStateDict(JSON.stringify({ a: { shape: [2], data: [1] }, b: { shape: [1], data: ['x'] }, c: 3 }));
    expect(r).toEqual({
      ok: false,
      problems: [
        'a: 1 numbers for shape [2] (2)',
        'b: holds a value that is not a finite number',
        'c: expected {"shape": [...], "data": [...]}',
      ],
    });
  });
});
