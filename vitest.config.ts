import { defineConfig } from 'vitest/config';

// Node 20's V8 has relaxed SIMD behind a flag (on by default from Node 21): with it the tests also run the CPU
// backend's relaxed-SIMD kernels, which Chromium runs natively.
const relaxedSimdFlag = Number(process.versions.node.split('.')[0]) < 21 ? ['--experimental-wasm-relaxed-simd'] : [];

// GPU tests load Dawn (a native addon), which mixes badly with worker threads: use forked processes.
export default defineConfig({
  test: {
    include: ['engine/**/*.test.ts', 'src/**/*.test.ts', 'src/**/*.test.tsx', 'scripts/**/*.test.ts'],
    pool: 'forks',
    execArgv: relaxedSimdFlag,
    // ...but the CLI processes tests spawn don't get the flag: cap 'auto' at plain SIMD (ATLAS_CPU_KERNELS, inherited
    // by those processes) so both sides of a cross-process comparison run the same kernels. Tests that want the
    // relaxed variant force it.
    env: relaxedSimdFlag.length > 0 ? { ATLAS_CPU_KERNELS: 'simd' } : {},
    // Builds the CPU backend's WebAssembly kernels (skipped when up to date): the tests import them.
    globalSetup: ['scripts/build-wasm.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
