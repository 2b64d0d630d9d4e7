// The WebGPU kernel-selection table: which matmul and convolution kernels an adapter gets, and why. Keyed by what
// the adapter reports (software or not, its limits); the first matching row wins. Documented in ../README.md.

export interface KernelSelection {
  /** 'blocked': register blocks, no workgroup memory (matmul.ts); 'tiled': 64 x 64 workgroup-memory tiles (tiled.ts). */
  matmul: 'blocked' | 'tiled';
  /** 'gemm': the implicit-im2col GEMM (convGemm.ts); 'tiled': the same loaders through the tiled kernel. */
  conv: 'gemm' | 'tiled';
  /** Outputs (M x N) from which a GEMM takes the tiled kernel (default 4 tiles: tiled.ts tiledFits); tests set 1
   * to force it on every shape. */
  tiledMinOutputs?: number;
}

export interface AdapterFacts {
  software: boolean;
  /** The device limits the tiled kernel needs. */
  maxComputeInvocationsPerWorkgroup: number;
  maxComputeWorkgroupStorageSize: number;
}

export interface SelectionRow {
  name: string;
  when: (a: AdapterFacts) => boolean;
  pick: KernelSelection;
  why: string;
}

export const KERNEL_TABLE: readonly SelectionRow[] = [
  {
    name: 'software rasteriser',
    when: (a) => a.software,
    pick: { matmul: 'blocked', conv: 'gemm' },
    why: 'SwiftShader runs invocations on CPU threads: a workgroup barrier costs far more than on a GPU and its "workgroup memory" is ordinary cache, so register blocks without barriers run ~10x faster there (0.3 vs 3 GFLOP/s measured, ../../../../shared/TESTING.md).',
  },
  {
    name: 'small workgroups',
    when: (a) => a.maxComputeInvocationsPerWorkgroup < 256 || a.maxComputeWorkgroupStorageSize < 16384,
    pick: { matmul: 'blocked', conv: 'gemm' },
    why: 'the tiled kernel needs 256 invocations and 16 KiB of workgroup memory per workgroup.',
  },
  {
    name: 'GPU',
    when: () => true,
    pick: { matmul: 'tiled', conv: 'tiled' },
    why: 'on a real GPU the register-blocked kernel re-reads every operand from global memory (about 1-2 FLOP per byte); 64 x 64 tiles in workgroup memory reuse each loaded value 64 times (16 FLOP per byte), which moves big GEMMs from memory-bound toward compute-bound.',
  },
];

export function selectKernels(a: AdapterFacts): { selection: KernelSelection; row: string; why: string } {
  const row = KERNEL_TABLE.find((r) => r.when(a)) ?? KERNEL_TABLE[KERNEL_TABLE.length - 1];
  return { selection: row.pick, row: row.name, why: row.why };
}
