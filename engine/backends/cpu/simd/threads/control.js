// The GEMM threads' control block: an Int32Array over a SharedArrayBuffer that the engine's thread (pool.ts) and
// every helper (helper.js) share. Plain JavaScript, so a helper loads it without a TypeScript toolchain (Node's
// worker_threads run it as is); control.d.ts types it.
//
// A job: the engine's thread writes the arguments, sets PENDING to the helper count, bumps GEN and notifies it; each
// helper computes its rows and decrements PENDING (notifying it at zero). Atomics order the plain writes around
// them, so the arguments are visible to the helpers and their rows of C to the engine's thread.

/** Job counter: helpers sleep on it (Atomics.wait) until it changes. */
export const GEN = 0;
/** Helpers that have not finished the current job. */
export const PENDING = 1;
/** What the current job is: GEMM, or MAIL (a message is waiting: return to the event loop to read it). */
export const KIND = 2;
/** Set by a helper whose job threw (the engine's thread throws after the job). */
export const FAILED = 3;
/** The team (one shared memory and its instances) the GEMM runs in. */
export const TEAM = 4;
/** Threads taking part: the engine's thread is 0, helper i takes share i (threads beyond it idle). */
export const ACTIVE = 5;
/** Pack scratch of share i: PACK + i * PACK_STRIDE (bytes). */
export const PACK = 6;
export const PACK_STRIDE = 7;
/** gemm's first eleven arguments (m, n, k, a, transA, b, transB, c, bias, biasMode, accumulate), from here. */
export const ARGS = 8;
export const WORDS = 32;

export const KIND_GEMM = 1;
export const KIND_MAIL = 2;

/** Rows [r0, r1) of share `i` of `active`: whole 4-row blocks (the kernel's register block), spread evenly. The
 * same split on every thread, so each computes exactly its rows. */
export function shareRows(m, i, active) {
  const blocks = Math.ceil(m / 4);
  const b0 = Math.floor((i * blocks) / active);
  const b1 = Math.floor(((i + 1) * blocks) / active);
  return [Math.min(m, 4 * b0), Math.min(m, 4 * b1)];
}
