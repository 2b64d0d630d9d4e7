// Counter-based RNG: a pure function of (seed, stream, hi, lo) -> u32, built only from u32 operations that WGSL
// reproduces bit for bit (multiply mod 2^32 = Math.imul, logical shifts = >>>, xor). Being stateless, any element
// of any step can be drawn independently and in parallel, so the CPU and WebGPU backends draw IDENTICAL dropout
// masks, and a run is reproducible from its seed alone.
//
// Convention: `stream` names the consumer (a dropout layer, the shuffler, a parameter's init), `hi` is usually the
// step or epoch and `lo` the element index, so no two draws of one run share a counter.
// Mixer: Chris Wellons' "lowbias32" integer hash, chained over the four words (each word is xored in and the state
// rehashed), which passes the usual avalanche tests and is cheap on both sides.

/** lowbias32: a bijective u32 -> u32 mix. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

const GOLDEN = 0x9e3779b9;

export function rngU32(seed: number, stream: number, hi: number, lo: number): number {
  let h = mix32((seed ^ GOLDEN) >>> 0);
  h = mix32((h ^ stream) >>> 0);
  h = mix32((h + Math.imul(hi, GOLDEN)) >>> 0);
  h = mix32((h ^ lo) >>> 0);
  return h;
}

/** Uniform in [0, 1) with 24 bits: exact in f32, so WGSL computes the identical value. */
export function rngUniform(seed: number, stream: number, hi: number, lo: number): number {
  return (rngU32(seed, stream, hi, lo) >>> 8) * 5.9604644775390625e-8;
}

/** Uniform in (0, 1] with 24 bits (safe for log in Box-Muller). */
export function rngUniformOpen0(seed: number, stream: number, hi: number, lo: number): number {
  return ((rngU32(seed, stream, hi, lo) >>> 8) + 1) * 5.9604644775390625e-8;
}

/** Standard normal by Box-Muller on two draws (host side only: init and data, never needed on the GPU). */
export function rngNormal(seed: number, stream: number, hi: number, lo: number): number {
  const u1 = rngUniformOpen0(seed, stream, hi, 2 * lo);
  const u2 = rngUniform(seed, stream, hi, 2 * lo + 1);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** The dropout decision shared by both backends: drop when the top 24 bits fall below the threshold slot,
 * threshold = dropThreshold(rate). */
export function dropThreshold(rate: number): number {
  return Math.min(16777216, Math.max(0, Math.round(rate * 16777216)));
}

export function isDropped(seed: number, stream: number, step: number, index: number, threshold: number): boolean {
  return rngU32(seed, stream, step, index) >>> 8 < threshold;
}

/** The same functions in WGSL (identical results for identical u32 inputs). */
export const WGSL_RNG = /* wgsl */ `
fn ga_mix32(x0: u32) -> u32 {
  var x = x0;
  x ^= x >> 16u;
  x *= 0x7feb352du;
  x ^= x >> 15u;
  x *= 0x846ca68bu;
  x ^= x >> 16u;
  return x;
}
fn ga_rng_u32(seed: u32, stream: u32, hi: u32, lo: u32) -> u32 {
  var h = ga_mix32(seed ^ 0x9e3779b9u);
  h = ga_mix32(h ^ stream);
  h = ga_mix32(h + hi * 0x9e3779b9u);
  h = ga_mix32(h ^ lo);
  return h;
}
fn ga_rng_uniform(seed: u32, stream: u32, hi: u32, lo: u32) -> f32 {
  return f32(ga_rng_u32(seed, stream, hi, lo) >> 8u) * 5.9604644775390625e-8;
}
fn ga_is_dropped(seed: u32, stream: u32, step: u32, index: u32, threshold: u32) -> bool {
  return (ga_rng_u32(seed, stream, step, index) >> 8u) < threshold;
}
`;
