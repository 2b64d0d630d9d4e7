// The GEMM threads (worker_threads here): a GEMM split by rows across 2 and 3 threads equals the one-thread kernel
// bit for bit on shapes that hit every edge of the row split and of the kernel's blocking; a whole MLP trained on a
// threaded executor ends in exactly the state of a one-thread one; a helper's failure throws instead of hanging.

import { afterAll, describe, expect, it } from 'vitest';
import { compile } from '../../../../graph/compile';
import { type Program, stepOps } from '../../../../graph/program';
import { rngNormal } from '../../../../rng/rng';
import { validateSpec } from '../../../../spec/validate';
import { CpuExecutor } from '../../executor';
import { createSimdArena } from '../arena';
import { cpuKernelSupport, type SimdExports, sharedWasmModule, wasmModule } from '../module';
import { shareRows } from './control.js';
import { adaptiveGemm, GemmPool, type GemmTeam, worthSplitting } from './pool';

const support = await cpuKernelSupport();
const variants = (['simd', 'relaxed-simd'] as const).filter((v) => support[v] === true);

// m: below one block, one block and a bit, fewer blocks than threads, a ragged last block; k past one 256-deep
// block; n not a multiple of the 8-wide panel.
const SHAPES: [number, number, number][] = [
  [1, 5, 3],
  [5, 13, 7],
  [8, 8, 8],
  [9, 17, 300],
  [30, 33, 513],
  [128, 40, 96],
];

const pools: GemmPool[] = [];
afterAll(() => {
  for (const p of pools) p.terminate();
});

async function pool(threads: number): Promise<GemmPool> {
  const p = await GemmPool.start(threads);
  pools.push(p);
  return p;
}

describe('adaptiveGemm', () => {
  it('times both ways, keeps the faster, and times them again later', () => {
    const calls = { one: 0, split: 0 };
    let slow: 'one' | 'split' = 'split';
    const busy = (ms: number) => {
      const t = performance.now();
      while (performance.now() - t < ms);
    };
    const way = (w: 'one' | 'split') => () => {
      calls[w]++;
      busy(w === slow ? 2 : 0.2);
    };
    const g = adaptiveGemm(way('split'), way('one'));
    const call = (n: number) => {
      for (let i = 0; i < n; i++) g(8, 8, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    };
    call(8);
    expect(calls).toEqual({ one: 4, split: 4 });
    call(100);
    expect(calls).toEqual({ one: 104, split: 4 });
    slow = 'one';
    call(512 - 108 + 8);
    expect(calls.split).toBeGreaterThan(4);
    const before = { ...calls };
    call(50);
    expect(calls.split - before.split).toBe(50);
  });
});

describe('shareRows', () => {
  it('covers every row once, in whole 4-row blocks', () => {
    for (const m of [1, 3, 4, 5, 8, 9, 30, 128, 129])
      for (const active of [1, 2, 3, 4]) {
        let next = 0;
        for (let i = 0; i < active; i++) {
          const [r0, r1] = shareRows(m, i, active);
          expect(r0).toBe(next);
          expect(r0 % 4).toBe(0);
          expect(r1 === m || r1 % 4 === 0).toBe(true);
          next = Math.max(next, r1);
        }
        expect(next).toBe(m);
      }
  });
});

for (const variant of variants)
  describe(`threaded gemm (${variant})`, () => {
    for (const threads of [2, 3])
      it(`is bit-identical to the one-thread kernel on ${threads} threads`, async () => {
        const plain = await wasmModule(variant);
        const sharedMod = await sharedWasmModule(variant);
        if (typeof plain === 'string' || typeof sharedMod === 'string') throw new Error(String(plain || sharedMod));
        const pages = 64;
        const one = new WebAssembly.Memory({ initial: pages });
        const oneEx = (await WebAssembly.instantiate(plain, { env: { memory: one } }))
          .exports as unknown as SimdExports;
        const shared = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
        const sharedEx = (await WebAssembly.instantiate(sharedMod, { env: { memory: shared } }))
          .exports as unknown as SimdExports;
        const p = await pool(threads);
        const packStride = 4 * 8 * 256 * 8; // 8 panels of 256 x 8 floats: enough for n <= 64
        const team: GemmTeam = await p.attach(sharedMod, shared, sharedEx, packStride);
        let seed = 100 * threads;
        let checked = 0;
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
                const at = 65536;
                const bt = at + 4 * Math.ceil((m * k) / 16) * 16;
                const biasAt = bt + 4 * Math.ceil((k * n) / 16) * 16;
                const ct = biasAt + 4 * Math.ceil(Math.max(m, n) / 16) * 16;
                const packAt = ct + 4 * Math.ceil((m * n) / 16) * 16;
                const end = packAt + 4 * packStride;
                expect(end).toBeLessThan(pages * 65536);
                const fOne = new Float32Array(one.buffer);
                const fShared = new Float32Array(shared.buffer);
                for (let i = 0; i < (packAt - at) / 4; i++) {
                  const v = rngNormal(seed, 1, 0, i);
                  fOne[at / 4 + i] = v;
                  fShared[at / 4 + i] = v;
                }
                oneEx.gemm(m, n, k, at, ta, bt, tb, ct, biasAt, mode, acc, packAt);
                team.gemm(m, n, k, at, ta, bt, tb, ct, biasAt, mode, acc, packAt);
                const a = new Uint32Array(one.buffer, ct, m * n);
                const b = new Uint32Array(shared.buffer, ct, m * n);
                for (let i = 0; i < m * n; i++)
                  if (a[i] !== b[i])
                    throw new Error(`m${m} n${n} k${k} ta${ta} tb${tb} mode${mode} acc${acc}: element ${i} differs`);
                checked += m * n;
              }
        expect(checked).toBeGreaterThan(100_000);
        team.release();
      });

    it('trains an MLP to exactly the one-thread state', async () => {
      const v = validateSpec({
        model: {
          input: [196],
          layers: [{ type: 'dense', units: 96 }, { type: 'relu' }, { type: 'dense', units: 10 }],
        },
        loss: { type: 'cross_entropy' },
        optimizer: { type: 'adam', lr: 0.01 },
        training: { batchSize: 64, seed: 3 },
      });
      if (!v.ok) throw new Error(JSON.stringify(v.errors));
      const program: Program = compile(v.value);
      // Every matmul of this net's step big enough to be split, so the test exercises the threads.
      const mm = stepOps(program).filter((op) => op.kind === 'matmul');
      expect(mm.length).toBeGreaterThan(2);
      expect(mm.filter((op) => op.kind === 'matmul' && worthSplitting(op.m, op.n, op.k)).length).toBeGreaterThan(1);
      const p = await pool(2);
      const run = async (threaded: boolean) => {
        const arena = await createSimdArena(program, variant, [], threaded ? p : null);
        if (typeof arena === 'string') throw new Error(arena);
        expect(arena.team !== null).toBe(threaded);
        const ex = new CpuExecutor(program, arena);
        const rows = 256;
        const x = new Float32Array(rows * 196).map((_, i) => rngNormal(7, 1, 0, i));
        const y = new Float32Array(rows).map((_, i) => i % 10);
        ex.setTrainData(x, y, rows);
        ex.setOrder(Uint32Array.from({ length: rows }, (_, i) => (i * 37) % rows));
        ex.writeState(new Float32Array(program.arenas.state.size).map((_, i) => 0.05 * rngNormal(9, 2, 0, i)));
        const steps = Array.from({ length: 12 }, (_, s) => ({ step: s, rowStart: (s * 64) % rows, lr: 0.01 }));
        const stats = await ex.train(steps);
        const state = await ex.readState();
        ex.dispose();
        return { loss: stats.loss, state };
      };
      const one = await run(false);
      const two = await run(true);
      expect(Array.from(two.loss)).toEqual(Array.from(one.loss));
      expect(new Uint32Array(two.state.buffer)).toEqual(new Uint32Array(one.state.buffer));
      expect(Number.isFinite(one.loss[11]) && one.loss[11] < one.loss[0]).toBe(true);
    });

    it("throws when a helper's share fails, and keeps working after", async () => {
      const sharedMod = await sharedWasmModule(variant);
      if (typeof sharedMod === 'string') throw new Error(sharedMod);
      const memory = new WebAssembly.Memory({ initial: 4, maximum: 4, shared: true });
      const ex = (await WebAssembly.instantiate(sharedMod, { env: { memory } })).exports as unknown as SimdExports;
      const p = await pool(2);
      // Team 999 was never attached: the helper cannot find it.
      expect(() => p.run(999, ex, 0, 64, 8, 8, 0, 0, 4096, 0, 8192, 0, 0, 0, 16384)).toThrow(/GEMM helper/);
      const team = await p.attach(sharedMod, memory, ex, 32768);
      expect(() => team.gemm(64, 8, 8, 0, 0, 4096, 0, 8192, 0, 0, 0, 16384)).not.toThrow();
      team.release();
    });
  });
