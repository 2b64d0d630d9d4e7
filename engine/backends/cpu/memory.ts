// The CPU executor's memory: the two arenas as Float32Arrays, one view per tensor (made once), the uniform words,
// the current step record, and one float64 scratch buffer that kernels borrow while they run (kernels run one at a
// time, so sharing it is safe). Kernels are "prepared": given their op and this memory they return a closure with
// every view and constant captured, so a training step allocates nothing.

import type { SlotId, TensorId } from '../../graph/ops';
import type { Program } from '../../graph/program';
import type { SimdArena } from './simd/arena';

export class CpuMemory {
  readonly state: Float32Array;
  readonly act: Float32Array;
  readonly views: Float32Array[];
  readonly words: Uint32Array;
  readonly slotsF32: Float32Array;
  /** Current step: the dropout RNG counter and the optimizers' t - 1. */
  step = 0;
  /** Scheduled learning rate of the current step. */
  lr = 0;
  /** The step record's momentum / beta1 override, or NaN to use the slot. */
  momentum = Number.NaN;
  scratch: Float64Array = new Float64Array(64);

  /** `precision: 'f64'` backs the arenas with Float64Arrays (typed here as Float32Array: the kernels only index
   * and assign, so they run unchanged) for finite-difference gradient checks in double precision. Never used for
   * training. `simd` puts both arenas in a WebAssembly instance's memory (simd/arena.ts), so the SIMD kernels
   * (simd/kernels.ts) work in place; the JS kernels see the same Float32Array views either way. */
  constructor(
    readonly program: Program,
    precision: 'f32' | 'f64' = 'f32',
    readonly simd: SimdArena | null = null,
  ) {
    if (simd !== null) {
      const buf = simd.memory.buffer;
      this.state = new Float32Array(buf, simd.stateByte, program.arenas.state.size);
      this.act = new Float32Array(buf, simd.actByte, program.arenas.activations.size);
    } else {
      const Arena = (precision === 'f64' ? Float64Array : Float32Array) as unknown as Float32ArrayConstructor;
      this.state = new Arena(program.arenas.state.size);
      this.act = new Arena(program.arenas.activations.size);
    }
    this.views = program.tensors.map((t) => {
      const arena = t.arena === 'state' ? this.state : this.act;
      return t.offset < 0 ? new Float32Array(0) : arena.subarray(t.offset, t.offset + t.size);
    });
    this.words = new Uint32Array(Math.max(program.hypers.length, 1));
    this.slotsF32 = new Float32Array(this.words.buffer);
  }

  view(id: TensorId): Float32Array {
    const v = this.views[id];
    if (v === undefined) throw new Error(`no tensor ${id}`);
    return v;
  }

  /** Reserve scratch at prepare time; read `mem.scratch` at run time (it may have grown since). */
  reserveScratch(n: number): void {
    if (this.scratch.length < n) this.scratch = new Float64Array(n);
  }

  f32(slot: SlotId): number {
    return this.slotsF32[slot];
  }

  u32(slot: SlotId): number {
    return this.words[slot];
  }
}

/** A prepared kernel: all views resolved, runs one op. */
export type Thunk = () => void;
