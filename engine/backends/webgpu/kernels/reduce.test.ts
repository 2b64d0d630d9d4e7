import { afterAll, describe, expect, it } from 'vitest';
import { Scratch, testData, testDevice, worstRelError } from '../testing';
import { mapLaunch } from './elementwise';
import { reduceLaunch, treeSumLaunch } from './reduce';

describe('elementwise and reduction kernels vs JS', () => {
  let s: Scratch;
  afterAll(() => s?.dispose());

  it('map with a broadcast input and accumulate', async () => {
    s ??= new Scratch(await testDevice());
    const R = 7;
    const C = 5;
    const x = testData(R * C, 1);
    const b = testData(C, 2);
    const init = testData(R * C, 3);
    const out = s.upload(init);
    await s.run([
      mapLaunch({
        label: 'map',
        n: R * C,
        inputs: [{ view: s.upload(x) }, { view: s.upload(b), index: `i % ${C}u` }],
        out,
        expr: 'x0 * x1 + 1.0',
        accumulate: true,
      }),
    ]);
    const want = init.map((v, i) => v + x[i] * b[i % C] + 1);
    expect(worstRelError(await s.read(out, R * C), want)).toBeLessThan(1e-6);
  });

  it('column sums and row sums', async () => {
    s ??= new Scratch(await testDevice());
    const R = 33;
    const C = 9;
    const x = testData(R * C, 5);
    const xv = s.upload(x);
    const cols = s.zeros(C);
    const rows = s.zeros(R);
    await s.run([
      reduceLaunch({
        label: 'cols',
        outputs: C,
        length: R,
        inputs: [{ view: xv }],
        out: cols,
        term: `in0[l * ${C}u + j]`,
      }),
      reduceLaunch({
        label: 'rows',
        outputs: R,
        length: C,
        inputs: [{ view: xv }],
        out: rows,
        term: `in0[j * ${C}u + l]`,
      }),
    ]);
    const wc = new Float32Array(C);
    const wr = new Float32Array(R);
    for (let r = 0; r < R; r++)
      for (let c = 0; c < C; c++) {
        wc[c] += x[r * C + c];
        wr[r] += x[r * C + c];
      }
    expect(worstRelError(await s.read(cols, C), wc)).toBeLessThan(1e-5);
    expect(worstRelError(await s.read(rows, R), wr)).toBeLessThan(1e-5);
  });

  it('tree sum of squares', async () => {
    s ??= new Scratch(await testDevice());
    for (const n of [1, 255, 256, 1000, 5000]) {
      const x = testData(n, n);
      const out = s.zeros(4);
      await s.run([treeSumLaunch({ label: 'ss', n, input: s.upload(x), out, outIndex: 2, term: 'v * v' })]);
      let want = 0;
      for (const v of x) want += v * v;
      expect(worstRelError((await s.read(out, 4)).subarray(2, 3), [want])).toBeLessThan(1e-5);
    }
  });
});
