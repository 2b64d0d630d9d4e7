import { afterAll, describe, expect, it } from 'vitest';
import { Scratch, testData, testDevice, worstRelError } from '../testing';
import { type ConvShape, channelSum, conv2dForward, conv2dGradInput, conv2dGradWeight, convOutSize } from './conv';
import {
  conv2dForwardGemm,
  conv2dGradInputGemm,
  conv2dGradInputPadded,
  conv2dGradWeightGemm,
  gradInputPadFloats,
} from './convGemm';
import { type PoolShape, poolBackward, poolForward, poolOutSize } from './pool';

function convRef(s: ConvShape, x: Float32Array, w: Float32Array, b: Float32Array, dy: Float32Array) {
  const { OH, OW } = convOutSize(s);
  const y = new Float32Array(s.N * s.Cout * OH * OW);
  const dx = new Float32Array(x.length);
  const dw = new Float32Array(w.length);
  const db = new Float32Array(s.Cout);
  for (let n = 0; n < s.N; n++)
    for (let co = 0; co < s.Cout; co++)
      for (let oh = 0; oh < OH; oh++)
        for (let ow = 0; ow < OW; ow++) {
          const o = ((n * s.Cout + co) * OH + oh) * OW + ow;
          let acc = b[co];
          db[co] += dy[o];
          for (let ci = 0; ci < s.Cin; ci++)
            for (let kh = 0; kh < s.KH; kh++)
              for (let kw = 0; kw < s.KW; kw++) {
                const ih = oh * s.stride - s.padding + kh;
                const iw = ow * s.stride - s.padding + kw;
                if (ih < 0 || iw < 0 || ih >= s.H || iw >= s.W) continue;
                const xi = ((n * s.Cin + ci) * s.H + ih) * s.W + iw;
                const wi = ((co * s.Cin + ci) * s.KH + kh) * s.KW + kw;
                acc += x[xi] * w[wi];
                dx[xi] += dy[o] * w[wi];
                dw[wi] += dy[o] * x[xi];
              }
          y[o] = acc;
        }
  return { y, dx, dw, db };
}

describe('conv2d and pooling kernels vs naive JS', () => {
  let s: Scratch;
  afterAll(() => s?.dispose());
  const convs: ConvShape[] = [
    { N: 2, Cin: 2, H: 9, W: 9, Cout: 3, KH: 3, KW: 3, stride: 2, padding: 0 },
    { N: 3, Cin: 2, H: 12, W: 11, Cout: 9, KH: 5, KW: 5, stride: 1, padding: 2 },
    { N: 2, Cin: 3, H: 7, W: 6, Cout: 4, KH: 3, KW: 3, stride: 1, padding: 1 },
    { N: 3, Cin: 2, H: 9, W: 8, Cout: 3, KH: 3, KW: 2, stride: 2, padding: 1 },
    { N: 1, Cin: 1, H: 5, W: 5, Cout: 2, KH: 5, KW: 5, stride: 1, padding: 0 },
    { N: 2, Cin: 2, H: 8, W: 8, Cout: 2, KH: 3, KW: 3, stride: 3, padding: 2 },
  ];
  for (const c of convs)
    for (const variant of ['direct', 'gemm', 'gemm-splitk'] as const)
      it(`conv2d ${variant} ${JSON.stringify(c)}`, async () => {
        s ??= new Scratch(await testDevice());
        const { OH, OW } = convOutSize(c);
        const x = testData(c.N * c.Cin * c.H * c.W, 1);
        const w = testData(c.Cout * c.Cin * c.KH * c.KW, 2);
        const b = testData(c.Cout, 3);
        const dy = testData(c.N * c.Cout * OH * OW, 4);
        const ref = convRef(c, x, w, b, dy);
        const [xv, wv, bv, dyv] = [x, w, b, dy].map((a) => s.upload(a));
        const y = s.zeros(ref.y.length);
        const dx = s.zeros(x.length);
        const dw = s.zeros(w.length);
        const db = s.zeros(c.Cout);
        const g = variant !== 'direct';
        await s.run([
          (g ? conv2dForwardGemm : conv2dForward)('t', c, xv, wv, bv, y),
          ...(variant === 'gemm-splitk' && c.stride === 1 && c.padding < c.KH
            ? conv2dGradInputPadded('t', c, dyv, wv, dx, s.zeros(gradInputPadFloats(c)))
            : [(g ? conv2dGradInputGemm : conv2dGradInput)('t', c, dyv, wv, dx)]),
          g
            ? conv2dGradWeightGemm('t', c, dyv, xv, dw, variant === 'gemm-splitk')
            : conv2dGradWeight('t', c, dyv, xv, dw),
          channelSum('t', c.N, c.Cout, OH * OW, dyv, db),
        ]);
        expect(worstRelError(await s.read(y, ref.y.length), ref.y)).toBeLessThan(1e-5);
        expect(worstRelError(await s.read(dx, x.length), ref.dx)).toBeLessThan(1e-5);
        expect(worstRelError(await s.read(dw, w.length), ref.dw)).toBeLessThan(1e-5);
        expect(worstRelError(await s.read(db, c.Cout), ref.db)).toBeLessThan(1e-5);
      });

  const pools: PoolShape[] = [
    { N: 1, C: 2, H: 7, W: 5, kernel: 2, stride: 2 },
    { N: 2, C: 3, H: 6, W: 6, kernel: 2, stride: 2 },
    { N: 1, C: 2, H: 7, W: 5, kernel: 3, stride: 2 },
    { N: 1, C: 1, H: 5, W: 5, kernel: 2, stride: 1 },
  ];
  for (const p of pools)
    for (const mode of ['max', 'avg'] as const)
      it(`${mode}pool ${JSON.stringify(p)}`, async () => {
        s ??= new Scratch(await testDevice());
        const { OH, OW } = poolOutSize(p);
        const x = testData(p.N * p.C * p.H * p.W, 7);
        x[3] = x[4]; // a tie: the first maximum wins
        const dy = testData(p.N * p.C * OH * OW, 8);
        const y = new Float32Array(dy.length);
        const dx = new Float32Array(x.length);
        for (let pl = 0; pl < p.N * p.C; pl++)
          for (let oh = 0; oh < OH; oh++)
            for (let ow = 0; ow < OW; ow++) {
              const o = (pl * OH + oh) * OW + ow;
              let best = -1;
              let sum = 0;
              for (let kh = 0; kh < p.kernel; kh++)
                for (let kw = 0; kw < p.kernel; kw++) {
                  const j = pl * p.H * p.W + (oh * p.stride + kh) * p.W + ow * p.stride + kw;
                  sum += x[j];
                  if (best < 0 || x[j] > x[best]) best = j;
                }
              if (mode === 'max') {
                y[o] = x[best];
                dx[best] += dy[o];
              } else {
                y[o] = sum / p.kernel ** 2;
                for (let kh = 0; kh < p.kernel; kh++)
                  for (let kw = 0; kw < p.kernel; kw++)
                    dx[pl * p.H * p.W + (oh * p.stride + kh) * p.W + ow * p.stride + kw] += dy[o] / p.kernel ** 2;
              }
            }
        const xv = s.upload(x);
        const yv = s.zeros(y.length);
        const dxv = s.zeros(x.length);
        await s.run([poolForward('t', mode, p, xv, yv), poolBackward('t', mode, p, xv, s.upload(dy), dxv)]);
        expect(worstRelError(await s.read(yv, y.length), y)).toBeLessThan(1e-6);
        expect(worstRelError(await s.read(dxv, x.length), dx)).toBeLessThan(1e-6);
      });
});
