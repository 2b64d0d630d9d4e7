// Which CPU kernels this runtime can run, and the compiled WebAssembly modules behind them. The variants, fastest
// first: relaxed SIMD (fused multiply-add), SIMD, plain JavaScript (always there: the fallback and the reference).
// A variant is available when its module validates here (WebAssembly.validate is the feature probe: a runtime without
// SIMD, or without relaxed SIMD, rejects the module). Modules are compiled once per process and instantiated per
// executor, each with its own memory.

export type CpuKernelVariant = 'relaxed-simd' | 'simd' | 'js';
export type CpuKernelChoice = CpuKernelVariant | 'auto';

export const CPU_KERNEL_VARIANTS: readonly CpuKernelVariant[] = ['relaxed-simd', 'simd', 'js'];

/** What people read (backend chip, CLI, benchmarks). */
export const CPU_KERNEL_LABELS: Record<CpuKernelVariant, string> = {
  'relaxed-simd': 'WebAssembly relaxed SIMD (FMA)',
  simd: 'WebAssembly SIMD',
  js: 'plain JavaScript',
};

/** The exports of assembly/kernels.ts (pointers are byte offsets into the imported memory). */
export interface SimdExports {
  heapBase(): number;
  relaxed(): number;
  packFloats(n: number, k: number): number;
  gemm(
    m: number,
    n: number,
    k: number,
    a: number,
    transA: number,
    b: number,
    transB: number,
    c: number,
    bias: number,
    biasMode: number,
    accumulate: number,
    pack: number,
  ): void;
  /** gemm restricted to rows [r0, r1) of C (r0 a multiple of 4; r1 too, or m): each element bit-identical to gemm's. */
  gemmRows(
    m: number,
    n: number,
    k: number,
    a: number,
    transA: number,
    b: number,
    transB: number,
    c: number,
    bias: number,
    biasMode: number,
    accumulate: number,
    pack: number,
    r0: number,
    r1: number,
  ): void;
  im2col(
    x: number,
    c: number,
    h: number,
    w: number,
    kh: number,
    kw: number,
    stride: number,
    pad: number,
    oh: number,
    ow: number,
    col: number,
  ): void;
  relu(x: number, out: number, size: number): void;
  reluGrad(x: number, dy: number, dx: number, size: number): void;
  channelSum(x: number, out: number, outer: number, channels: number, inner: number): void;
  maxpool(
    x: number,
    out: number,
    planes: number,
    h: number,
    w: number,
    kh: number,
    kw: number,
    stride: number,
    oh: number,
    ow: number,
  ): void;
  maxpoolGrad(
    x: number,
    dy: number,
    dx: number,
    planes: number,
    h: number,
    w: number,
    kh: number,
    kw: number,
    stride: number,
    oh: number,
    ow: number,
  ): void;
  adam(
    p: number,
    g: number,
    m1: number,
    m2: number,
    size: number,
    b1: number,
    b2: number,
    eps: number,
    wd: number,
    decoupled: number,
    stepSize: number,
    bc2: number,
    decay: number,
  ): void;
  col2im(
    col: number,
    c: number,
    h: number,
    w: number,
    kh: number,
    kw: number,
    stride: number,
    pad: number,
    oh: number,
    ow: number,
    dx: number,
  ): void;
}

type Binaries = {
  SIMD_WASM: string;
  RELAXED_SIMD_WASM: string;
  SIMD_SHARED_WASM: string;
  RELAXED_SIMD_SHARED_WASM: string;
};
export type WasmVariant = Exclude<CpuKernelVariant, 'js'>;

let binaries: Promise<Binaries | string> | null = null;
const modules = new Map<WasmVariant, Promise<WebAssembly.Module | string>>();
const sharedModules = new Map<WasmVariant, Promise<WebAssembly.Module | string>>();
/** The 'auto' choice once resolved, with its compiled module (for callers that must instantiate synchronously). */
let autoReady: { variant: WasmVariant; module: WebAssembly.Module } | 'js' | null = null;

function loadBinaries(): Promise<Binaries | string> {
  binaries ??= import('./wasmBinaries.js').then(
    (m: Binaries) => m,
    () => 'the SIMD kernels are not built (run `npx tsx scripts/build-wasm.ts`)',
  );
  return binaries;
}

function decode(b64: string): Uint8Array<ArrayBuffer> {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** The compiled module of a variant, or why it cannot run here. */
export function wasmModule(variant: WasmVariant): Promise<WebAssembly.Module | string> {
  let m = modules.get(variant);
  if (m === undefined) {
    m = (async () => {
      if (typeof WebAssembly !== 'object') return 'this runtime has no WebAssembly';
      const b = await loadBinaries();
      if (typeof b === 'string') return b;
      const bytes = decode(variant === 'simd' ? b.SIMD_WASM : b.RELAXED_SIMD_WASM);
      if (!WebAssembly.validate(bytes))
        return variant === 'simd' ? 'this runtime has no WebAssembly SIMD' : 'this runtime has no relaxed SIMD';
      return WebAssembly.compile(bytes);
    })();
    modules.set(variant, m);
  }
  return m;
}

/** The same kernels over a shared imported memory (for the GEMM threads, threads/pool.ts), or why not here. */
export function sharedWasmModule(variant: WasmVariant): Promise<WebAssembly.Module | string> {
  let m = sharedModules.get(variant);
  if (m === undefined) {
    m = (async () => {
      const plain = await wasmModule(variant);
      if (typeof plain === 'string') return plain;
      const b = await loadBinaries();
      if (typeof b === 'string') return b;
      const bytes = decode(variant === 'simd' ? b.SIMD_SHARED_WASM : b.RELAXED_SIMD_SHARED_WASM);
      if (!WebAssembly.validate(bytes)) return 'this runtime has no shared WebAssembly memory';
      return WebAssembly.compile(bytes);
    })();
    sharedModules.set(variant, m);
  }
  return m;
}

/** Whether each variant runs here (true, or the reason it does not). */
export async function cpuKernelSupport(): Promise<Record<CpuKernelVariant, true | string>> {
  const [r, s] = await Promise.all([wasmModule('relaxed-simd'), wasmModule('simd')]);
  return {
    'relaxed-simd': typeof r === 'string' ? r : true,
    simd: typeof s === 'string' ? s : true,
    js: true,
  };
}

/** `ATLAS_CPU_KERNELS=js|simd|relaxed-simd` (environment, or a global of that name) caps what 'auto' takes: for
 * comparing variants through the CLI or a test whose premise needs the slower kernels. */
function autoCap(): CpuKernelVariant | null {
  const g = globalThis as { ATLAS_CPU_KERNELS?: string; process?: { env?: Record<string, string | undefined> } };
  const v = g.ATLAS_CPU_KERNELS ?? g.process?.env?.ATLAS_CPU_KERNELS;
  return CPU_KERNEL_VARIANTS.find((x) => x === v) ?? null;
}

/** The fastest variant that runs here for 'auto'; a forced variant as given (callers check support). */
export async function resolveCpuKernels(choice: CpuKernelChoice): Promise<CpuKernelVariant> {
  if (choice !== 'auto') return choice;
  const support = await cpuKernelSupport();
  const cap = autoCap();
  const allowed = cap === null ? CPU_KERNEL_VARIANTS : CPU_KERNEL_VARIANTS.slice(CPU_KERNEL_VARIANTS.indexOf(cap));
  const v = allowed.find((x) => support[x] === true) ?? 'js';
  if (autoReady === null) {
    const m = v === 'js' ? 'js' : await wasmModule(v);
    autoReady = typeof m === 'string' || v === 'js' ? 'js' : { variant: v, module: m };
  }
  return v;
}

/** The 'auto' variant's compiled module if a CPU executor has resolved it already, else null (JS kernels). */
export function autoModuleIfReady(): { variant: WasmVariant; module: WebAssembly.Module } | null {
  return autoReady === null || autoReady === 'js' ? null : autoReady;
}
