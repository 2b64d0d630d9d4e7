// Types of the module scripts/build-wasm.ts generates (wasmBinaries.js, git-ignored): the CPU kernels compiled from
// assembly/kernels.ts, base64-encoded. Committed so the project typechecks before the first build.

/** The kernels with WebAssembly SIMD (fixed-width, 128-bit). */
export declare const SIMD_WASM: string;
/** The same kernels with relaxed SIMD: multiply-adds are f32x4.relaxed_madd (fused where the CPU has FMA). */
export declare const RELAXED_SIMD_WASM: string;
/** SIMD_WASM over a shared imported memory (at most 16384 pages), for the GEMM threads. */
export declare const SIMD_SHARED_WASM: string;
/** RELAXED_SIMD_WASM over a shared imported memory (at most 16384 pages), for the GEMM threads. */
export declare const RELAXED_SIMD_SHARED_WASM: string;
