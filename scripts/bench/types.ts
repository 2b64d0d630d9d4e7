// What the bench page and the Node side report to the runner (scripts/bench/run.ts). Plain JSON.

import type { Measurement } from './harness';
import type { NetId } from './nets';

export type Library = 'tfjs' | 'ours';
export type Where = 'browser' | 'node';

export interface BenchCase {
  lib: Library;
  /** tfjs: webgpu | cpu | wasm (SIMD, one thread) | wasm-mt (SIMD + threads); ours: cpu (the kernels auto picks:
   * WebAssembly SIMD where it runs, GEMMs split across threads where the page is cross-origin isolated, as the bench
   * page is) | cpu-1t (the same kernels on one thread) | cpu-js (plain JavaScript kernels) | webgpu | auto. */
  backend: string;
  net: NetId;
  seconds: number;
  rounds: number;
}

export interface MemoryFigures {
  /** Bytes of the state arena (parameters, gradients, optimizer state) and of the activation arena. */
  stateBytes: number;
  activationBytes: number;
  /** JS heap (after a forced GC when available) before and after `steps` more steps, warm-up done first. */
  heapBefore?: number;
  heapAfter?: number;
  heapSteps?: number;
  /** Whether the heap figures come after a real forced GC. */
  heapGc?: boolean;
}

export type CaseResult =
  | {
      ok: true;
      case: BenchCase;
      where: Where;
      measurement: Measurement;
      /** Device dispatches (GPU) or kernel launches (CPU) per step; null when not measurable. */
      dispatchesPerStep: number | null;
      /** How the dispatch figure was obtained. */
      dispatchSource?: string;
      /** Queue submits per step (WebGPU), when counted. */
      submitsPerStep?: number | null;
      memory?: MemoryFigures;
      /** For `auto`: the backend it picked and why. */
      picked?: { backend: string; reason: string };
      /** Fraction of the machine's CPU busy (with other work) just before the case started. */
      busyBefore?: number;
      /** Anything the reader should know (wasm flavour, fallbacks). */
      notes?: string[];
    }
  | { ok: false; case: BenchCase; where: Where; error: string };

export interface PageInfo {
  userAgent: string;
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
  adapter: { vendor: string; architecture: string; device: string; description: string } | null;
  tfjsVersion: string;
  wasm: { simd: boolean | null; threads: boolean | null };
  /** Whether our engine's runtime could be loaded in the page, and why not. */
  ours: { available: boolean; reason: string };
}
