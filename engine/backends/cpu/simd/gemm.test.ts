// The SIMD GEMM against a float64 reference on shapes that hit every edge of its blocking: rows not a multiple of
// the 4-row block, columns not a multiple of the 8-wide panel, depth over one 256-row block, every transpose, each
// bias mode and accumulation.

import { describe, expect, it } from 'vitest';
import { rngNormal } from '../../../rng/rng';
import { cpuKernelSupport, type SimdExports, wasmModule } from './module';

const support = await cpuKernelSupport();
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [4, 8, 16],
  [5, 13, 7],
  [7, 3, 300],
  [33, 17, 513],
  [128, 10, 84],
];

for (const variant of ['simd', 'relaxed-simd'] as const)
  describe.skipIf(support[variant] !== true)(`gemm (${variant})`, () => {
    it('matches float64 on every transpose, bias mode and accumulation', async () => {
      const mod = await wasmModule(variant);
      if (typeof mod === 'string') throw new Error(mod);
      const memory = new WebAssembly.Memory({ initial: 64 });
      const ex = (await WebAssembly.instantiate(mod, { env: { memory } })).exports as unknown as SimdExports;
      let worst = 0;
      let seed = 1;
      for (const [m, n, k] of SHAPES)
        for (const ta of [0, 1])
          for (const tb of [0, 1])
            for (const [mode, acc] of [
              [0, 0],
              [1, 0],
              [2, 0],
              [0, 1],
            ]) {
              seed++;
              // Layout: a, b, bias (max(m, n)), c, pack, each 64-byte aligned, from 64 KiB.
              const at = 65536;
              const bt = at + 4 * Math.ceil((m * k) / 16) * 16;
              const biasAt = bt + 4 * Math.ceil((k * n) / 16) * 16;
              const ct = biasAt + 4 * Math.ceil(Math.max(m, n) / 16) * 16;
              const packAt = ct + 4 * Math.ceil((m * n) / 16) * 16;
              const f = new Float32Array(memory.buffer);
              const fill = (off: number, len: number, stream: number) => {
                for (let i = 0; i < len; i++) f[off / 4 + i] = rngNormal(seed, stream, 0, i);
              };
              fill(at, m * k, 1);
              fill(bt, k * n, 2);
              fill(biasAt, Math.max(m, n), 3);
              fill(ct, m * n, 4);
              const c0 = f.slice(ct / 4, ct / 4 + m * n);
              ex.gemm(m, n, k, at, ta, bt, tb, ct, biasAt, mode, acc, packAt);
              for (let i = 0; i < m; i++)
                for (let j = 0; j < n; j++) {
                  let s = acc ? c0[i * n + j] : mode === 1 ? f[biasAt / 4 + j] : mode === 2 ? f[biasAt / 4 + i] : 0;
                  let mag = Math.abs(s);
                  for (let p = 0; p < k; p++) {
                    const av = f[at / 4 + (ta ? p * m + i : i * k + p)];
                    const bv = f[bt / 4 + (tb ? j * k + p : p * n + j)];
                    s += av * bv;
                    mag += Math.abs(av * bv);
                  }
                  const err = Math.abs(f[ct / 4 + i * n + j] - s) / Math.max(mag, 1e-6);
                  worst = Math.max(worst, err);
                  if (!(err < 1e-5))
                    throw new Error(`m${m} n${n} k${k} ta${ta} tb${tb} mode${mode} acc${acc} at ${i},${j}: ${err}`);
                }
            }
      expect(worst).toBeLessThan(1e-5);
    });
  });
