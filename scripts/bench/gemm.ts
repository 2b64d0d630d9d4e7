// The GEMM microbenchmark (`npm run bench -- --only=gemm`): the engine's own matmul kernel, per CPU kernel variant
// (plain JS, WebAssembly SIMD, relaxed SIMD where the runtime has it; the SIMD ones also split across the GEMM
// threads where they run), on 1024^3 and on the MNIST MLP's three
// first-layer shapes (forward, input gradient, weight gradient), in GFLOP/s (2mnk per call). Runs in Node and in
// the bench page. The machine's peak for comparison is numpy's sgemm (OpenBLAS, every core) when /usr/bin/python3
// has numpy (run.ts measures it).

import { prepare } from '../../engine/backends/cpu/kernels/table';
import { CpuMemory } from '../../engine/backends/cpu/memory';
import { createSimdArena } from '../../engine/backends/cpu/simd/arena';
import { type CpuKernelVariant, cpuKernelSupport } from '../../engine/backends/cpu/simd/module';
import { gemmPool } from '../../engine/backends/cpu/simd/threads/pool';
import type { OpOf } from '../../engine/graph/ops';
import type { Program, TensorInfo } from '../../engine/graph/program';

export interface GemmShape {
  id: string;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
}

export const GEMM_SHAPES: GemmShape[] = [
  { id: '1024^3', m: 1024, n: 1024, k: 1024, transA: false, transB: false },
  { id: 'mlp fwd 128x256x784 (x W^T)', m: 128, n: 256, k: 784, transA: false, transB: true },
  { id: 'mlp dW 256x784x128 (dy^T x)', m: 256, n: 784, k: 128, transA: true, transB: false },
  { id: 'mlp dx 128x128x256 (dy W)', m: 128, n: 128, k: 256, transA: false, transB: false },
];

export interface GemmResult {
  where: 'node' | 'browser';
  variant: string;
  shape: string;
  ok: boolean;
  gflops?: number;
  /** GFLOP/s of each timed round. */
  rounds?: number[];
  error?: string;
}

/** A Program holding just a, b and out (state arena), enough for CpuMemory and the arena planner. */
function gemmProgram(s: GemmShape): { program: Program; op: OpOf<'matmul'> } {
  const sizes = [s.m * s.k, s.k * s.n, s.m * s.n];
  let off = 0;
  const tensors: TensorInfo[] = sizes.map((size, id) => {
    const t: TensorInfo = { id, name: `t${id}`, shape: [size], arena: 'state', offset: off, size, role: 'param' };
    off += Math.ceil(size / 64) * 64;
    return t;
  });
  const op: OpOf<'matmul'> = { kind: 'matmul', a: 0, b: 1, bias: null, out: 2, ...s };
  // Only the fields CpuMemory and the arena planner read (the rest of a Program is irrelevant to one kernel).
  const program = {
    tensors,
    arenas: { state: { size: off }, activations: { size: 0 } },
    hypers: [],
    forward: [op],
    metrics: [],
    backward: [],
    clip: [],
    update: [],
    evalForward: [],
  } as unknown as Program;
  return { program, op };
}

/** Runs the kernel for about `seconds` per round, `rounds` times after a warm-up; median GFLOP/s. */
export async function runGemm(
  variant: GemmVariant,
  s: GemmShape,
  seconds: number,
  rounds: number,
  where: 'node' | 'browser',
): Promise<GemmResult> {
  const base = { where, variant, shape: s.id };
  const threaded = variant.endsWith('-mt');
  const kernels = variant.replace(/-mt$/, '') as CpuKernelVariant;
  const support = (await cpuKernelSupport())[kernels];
  if (support !== true) return { ...base, ok: false, error: support };
  const pool = threaded ? await gemmPool() : null;
  if (typeof pool === 'string') return { ...base, ok: false, error: `one thread here: ${pool}` };
  const { program, op } = gemmProgram(s);
  let mem: CpuMemory;
  if (kernels === 'js') mem = new CpuMemory(program);
  else {
    const arena = await createSimdArena(program, kernels, [], pool);
    if (typeof arena === 'string') return { ...base, ok: false, error: arena };
    mem = new CpuMemory(program, 'f32', arena);
  }
  for (let i = 0; i < mem.state.length; i++) mem.state[i] = ((i * 7919) % 1000) / 1000 - 0.5;
  // '-mt': always split (the executor's kernels time split against one thread and keep the faster; this row
  // measures the split itself).
  const team = mem.simd?.team ?? null;
  const at = (id: number) => mem.view(id).byteOffset;
  const pack = mem.simd?.packByte ?? 0;
  const [ta, tb] = [s.transA ? 1 : 0, s.transB ? 1 : 0];
  const run =
    team === null
      ? prepare(op, mem)
      : () => team.gemm(s.m, s.n, s.k, at(op.a), ta, at(op.b), tb, at(op.out), 0, 0, 0, pack);
  const flop = 2 * s.m * s.n * s.k;
  run();
  const per: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let calls = 0;
    const t0 = performance.now();
    let t = t0;
    while (t - t0 < seconds * 1000) {
      run();
      calls++;
      t = performance.now();
    }
    per.push((calls * flop) / ((t - t0) / 1000) / 1e9);
  }
  const sorted = [...per].sort((a, b) => a - b);
  return { ...base, ok: true, gflops: sorted[Math.floor(sorted.length / 2)], rounds: per };
}

/** A CPU kernel variant, or one with '-mt': its GEMM split across the pool's threads (simd/threads; the bench page
 * is cross-origin isolated; in Node, set ATLAS_CPU_THREADS). */
export type GemmVariant = CpuKernelVariant | 'simd-mt' | 'relaxed-simd-mt';

export const GEMM_VARIANTS: GemmVariant[] = ['js', 'simd', 'relaxed-simd', 'simd-mt', 'relaxed-simd-mt'];
