// How many threads the CPU backend's large GEMMs may use here, and why not more. Threads need memory that several
// workers share: in a browser, SharedArrayBuffer only exists on a cross-origin isolated page (served with
// COOP: same-origin and COEP: require-corp, as vite.config.ts does for the dev server and preview); and a context
// that can start workers (the engine's worker starts nested ones). In Node (the CLI, the tests) worker_threads always
// can, but they stay off unless asked for with ATLAS_CPU_THREADS, so parallel test files do not oversubscribe the
// machine. At most 4 threads: the GEMMs the Lab trains gain little past that and the page keeps cores for itself.

export const MAX_THREADS = 4;

export interface ThreadPlan {
  /** Threads a large GEMM may use (1: the engine's thread alone). */
  readonly threads: number;
  /** Why not more (null when the machine's cores, up to MAX_THREADS, are all used). */
  readonly why: string | null;
}

interface Env {
  crossOriginIsolated?: boolean;
  navigator?: { hardwareConcurrency?: number };
  ATLAS_CPU_THREADS?: string | number;
  Worker?: unknown;
  process?: { versions?: { node?: string }; env?: Record<string, string | undefined> };
}

/** `ATLAS_CPU_THREADS=N` (environment, or a global of that name): the threads to use, at most the plan's. */
function requested(g: Env): number | null {
  const raw = g.ATLAS_CPU_THREADS ?? g.process?.env?.ATLAS_CPU_THREADS;
  const n = Number(raw);
  return raw === undefined || raw === '' || !Number.isInteger(n) || n < 1 ? null : n;
}

function sharedMemoryWorks(): boolean {
  try {
    return new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

/** The plan for this context (`g` is globalThis; tests pass a stand-in). */
export function threadPlan(g: Env = globalThis as Env): ThreadPlan {
  const ask = requested(g);
  const node = g.process?.versions?.node !== undefined;
  if (node) {
    if (ask === null || ask === 1)
      return { threads: 1, why: ask === 1 ? 'ATLAS_CPU_THREADS=1' : 'set ATLAS_CPU_THREADS=N for worker threads' };
  } else {
    if (g.crossOriginIsolated !== true) return { threads: 1, why: 'the page is not cross-origin isolated' };
    if (typeof g.Worker !== 'function') return { threads: 1, why: 'this context cannot start workers' };
  }
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object')
    return { threads: 1, why: 'this runtime has no SharedArrayBuffer' };
  if (!sharedMemoryWorks()) return { threads: 1, why: 'this runtime has no shared WebAssembly memory' };
  // (Node before 21 has no navigator: there the request alone decides.)
  const cores = g.navigator?.hardwareConcurrency ?? (node ? MAX_THREADS : 1);
  if (cores <= 1) return { threads: 1, why: 'this machine reports one core' };
  const most = Math.min(MAX_THREADS, cores);
  if (ask !== null && ask < most) return { threads: ask, why: `ATLAS_CPU_THREADS=${ask}` };
  return { threads: most, why: most < cores ? `at most ${MAX_THREADS}` : null };
}
