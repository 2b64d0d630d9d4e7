// The CPU backend's memory inside a WebAssembly instance: the state and activation arenas live in the instance's
// linear memory, so the SIMD kernels read and write tensors in place and the plain JS kernels keep working on
// Float32Array views of the same bytes. Laid out once per executor and never grown afterwards (growing would
// detach every view the prepared kernels hold):
//
//   [0, 64 KiB)        the module's own static data (asserted empty enough)
//   state arena        program.arenas.state.size floats
//   activation arena   program.arenas.activations.size floats
//   pack scratch       the largest B panel set any gemm of the program packs, once per GEMM thread
//   col scratch        the largest im2col matrix (conv forward / weight gradient) or column gradient
//   a little slack     vector loads past the end of the last tensor stay inside memory
//
// With a GEMM pool (threads/pool.ts) the memory is shared and the module is its shared-memory build: the pool's
// helpers instantiate it over the same memory (a "team") and compute rows of the large GEMMs in place.

import type { Op } from '../../../graph/ops';
import type { Program } from '../../../graph/program';
import { allOps } from '../../../graph/program';
import { autoModuleIfReady, type SimdExports, sharedWasmModule, wasmModule } from './module';
import type { GemmPool, GemmTeam } from './threads/pool';

export interface SimdArena {
  readonly variant: 'simd' | 'relaxed-simd';
  readonly memory: WebAssembly.Memory;
  readonly ex: SimdExports;
  readonly stateByte: number;
  readonly actByte: number;
  readonly packByte: number;
  readonly colByte: number;
  /** Scratch capacity in floats (an op needing more runs its JS kernel: see simd/kernels.ts). */
  readonly packFloats: number;
  readonly colFloats: number;
  /** The GEMM threads this arena's large GEMMs split across (null: this thread alone). */
  readonly team: GemmTeam | null;
}

const BASE = 65536;
const PAGE = 65536;
/** Memories past this size fall back to the JS kernels rather than risk an allocation failure. */
const MAX_BYTES = 1 << 30;

const align = (x: number, a = 256) => Math.ceil(x / a) * a;

/** Scratch floats one op's SIMD kernel needs: packed B panels and an im2col matrix. */
export function scratchOf(op: Op, ex: SimdExports): { pack: number; col: number } {
  switch (op.kind) {
    case 'matmul':
      return { pack: ex.packFloats(op.n, op.k), col: 0 };
    case 'conv2d':
    case 'conv2d_grad_input': {
      const kk = op.c * op.kh * op.kw;
      const np = op.oh * op.ow;
      // forward: B = col [kk, np]; grad input: B = dy [f, np] into a column gradient [kk, np].
      return { pack: ex.packFloats(np, op.kind === 'conv2d' ? kk : op.f), col: kk * np };
    }
    case 'conv2d_grad_weight': {
      // dW^T [kk, f] accumulates col_b [kk, np] dy_b^T; B = dy_b [f, np]; col holds col_b then dW^T.
      const kk = op.c * op.kh * op.kw;
      const np = op.oh * op.ow;
      return { pack: ex.packFloats(op.f, np), col: kk * np + kk * op.f };
    }
    default:
      return { pack: 0, col: 0 };
  }
}

/** An arena for the program's step and eval ops (and `extraOps`, for ops run outside them, as op-level tests do),
 * or why not (the caller falls back to the JS kernels). With `pool`, in shared memory with a team in the pool. */
export async function createSimdArena(
  program: Program,
  variant: 'simd' | 'relaxed-simd',
  extraOps: readonly Op[] = [],
  pool: GemmPool | null = null,
): Promise<SimdArena | string> {
  const module = await (pool === null ? wasmModule(variant) : sharedWasmModule(variant));
  if (typeof module === 'string') return module;
  const memory = new WebAssembly.Memory({ initial: 1, maximum: MAX_BYTES / PAGE, shared: pool !== null });
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  const arena = layOut(program, variant, memory, instance, extraOps, pool?.threads ?? 1);
  if (typeof arena === 'string' || pool === null) return arena;
  const team = await pool.attach(module, memory, arena.ex, arena.packStride);
  const withTeam = { ...arena, team };
  teams.register(withTeam, team);
  return withTeam;
}

/** A team whose arena was dropped without its executor's dispose() leaves the pool when the arena is collected. */
const teams = new FinalizationRegistry<GemmTeam>((team) => team.release());

/** Synchronously, with the kernels 'auto' chose, once a CPU executor has resolved them (null before that, or when
 * they are plain JS). For host-side helpers that must match the CPU runtime bit for bit (live/activations.ts). */
export function autoSimdArenaSync(program: Program): SimdArena | null {
  const ready = autoModuleIfReady();
  if (ready === null) return null;
  const memory = new WebAssembly.Memory({ initial: 1, maximum: MAX_BYTES / PAGE });
  const instance = new WebAssembly.Instance(ready.module, { env: { memory } });
  const arena = layOut(program, ready.variant, memory, instance, [], 1);
  return typeof arena === 'string' ? null : arena;
}

function layOut(
  program: Program,
  variant: 'simd' | 'relaxed-simd',
  memory: WebAssembly.Memory,
  instance: WebAssembly.Instance,
  extraOps: readonly Op[],
  threads: number,
): (SimdArena & { packStride: number }) | string {
  const ex = instance.exports as unknown as SimdExports;
  if (ex.heapBase() > BASE) return `the kernel module's static data overlaps the arenas (${ex.heapBase()} bytes)`;
  let pack = 0;
  let col = 0;
  for (const op of [...allOps(program), ...extraOps]) {
    const s = scratchOf(op, ex);
    pack = Math.max(pack, s.pack);
    col = Math.max(col, s.col);
  }
  const stateByte = BASE;
  const actByte = align(stateByte + 4 * program.arenas.state.size);
  const packByte = align(actByte + 4 * program.arenas.activations.size);
  const packStride = align(4 * pack);
  const colByte = packByte + threads * packStride;
  const end = align(colByte + 4 * col) + 256;
  if (end > MAX_BYTES) return `the arenas need ${Math.round(end / 2 ** 20)} MiB, more than the SIMD kernels map`;
  const pages = Math.ceil(end / PAGE);
  if (pages > 1) memory.grow(pages - 1);
  const team = null;
  return {
    variant,
    memory,
    ex,
    stateByte,
    actByte,
    packByte,
    colByte,
    packFloats: pack,
    colFloats: col,
    team,
    packStride,
  };
}
