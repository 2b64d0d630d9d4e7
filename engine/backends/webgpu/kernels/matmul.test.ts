import { afterAll, describe, expect, it } from 'vitest';
import { Scratch, testData, testDevice, worstRelError } from '../testing';
import { matmulLaunch } from './matmul';

function naive(M: number, N: number, K: number, tA: boolean, tB: boolean, a: Float32Array, b: Float32Array) {
  const out = new Float32Array(M * N);
  for (let m = 0; m < M; m++)
    for (let n = 0; n < N; n++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += a[tA ? k * M + m : m * K + k] * b[tB ? n * K + k : k * N + n];
      out[m * N + n] = s;
    }
  return out;
}

const shapes: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 2],
  [10, 8, 2],
  [32, 16, 12],
  [13, 7, 9],
  [64, 36, 20],
  [37, 30, 11],
  [70, 66, 12],
];

describe('matmul kernels vs naive JS', () => {
  let scratch: Scratch;
  afterAll(() => scratch?.dispose());

  // Each distinct shape compiles its own pipeline (slow on SwiftShader): a few shapes per variant.
  const plan = { simple: [0, 1, 4], blocked: [3, 4, 5, 6], 'blocked-tn8': [5, 6, 7] } as const;
  for (const variant of ['simple', 'blocked', 'blocked-tn8'] as const)
    for (const [M, N, K] of plan[variant].map((i) => shapes[i]))
      for (const [tA, tB] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ] as const) {
        it(`${variant} ${M}x${K}x${N} tA=${tA} tB=${tB} (+bias, accumulate)`, async () => {
          scratch ??= new Scratch(await testDevice());
          const a = testData(M * K, 1 + M);
          const b = testData(K * N, 2 + N);
          const bias = testData(N, 3);
          const init = testData(M * N, 4);
          const out = scratch.upload(init);
          await scratch.run([
            matmulLaunch({
              label: 't',
              M,
              N,
              K,
              transA: tA,
              transB: tB,
              a: scratch.upload(a),
              b: scratch.upload(b),
              bias: scratch.upload(bias),
              out,
              accumulate: true,
              variant: variant === 'simple' ? 'simple' : 'blocked',
              tune: variant === 'blocked-tn8' ? { tn: 8, tm: 16, wgX: 16, wgY: 4 } : { tn: 4, tm: 8 },
            }),
          ]);
          const got = await scratch.read(out, M * N);
          const want = naive(M, N, K, tA, tB, a, b).map((v, i) => v + bias[i % N] + init[i]);
          expect(worstRelError(got, want)).toBeLessThan(1e-5);
        });
      }
});
