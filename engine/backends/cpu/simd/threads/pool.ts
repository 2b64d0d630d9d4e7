// The GEMM thread pool: helpers (helper.js; nested Web Workers in the browser, worker_threads in Node) that split a
// large GEMM by rows with the engine's thread. Each executor's arenas live in a shared WebAssembly.Memory (a "team":
// every helper instantiates the same kernel module over it), so a job is just the arguments in the control block
// (control.js): no copying. The engine's thread computes share 0 itself, then waits for the others (Atomics.wait, or a
// spin on a browser main thread, which may not block). Each output element goes through gemmRows exactly as in the
// one-thread gemm, so the result is bit-identical (threads.test.ts checks it).
//
// One pool per JavaScript context, started on first use and shared by every executor there; a team ends with its
// executor's dispose(), or when its arena is garbage collected.

import type { SimdExports } from '../module';
import {
  ACTIVE,
  ARGS,
  FAILED,
  GEN,
  KIND,
  KIND_GEMM,
  KIND_MAIL,
  PACK,
  PACK_STRIDE,
  PENDING,
  shareRows,
  TEAM,
  WORDS,
} from './control.js';
import { threadPlan } from './plan';

/** A GEMM pays for its threads from this many multiply-adds (m n k) and two 4-row blocks: below, waking the helpers
 * (15-30 us a job) and the duplicated B packing cost more than the rows saved. Measured on the 2-core dev machine
 * under load (BENCHMARKS.md "GEMM threads"): 2 threads ran 64^3 at 0.87x one thread, 96^3 at 1.36x. */
export const MIN_SPLIT_MACS = 1 << 19;

export function worthSplitting(m: number, n: number, k: number): boolean {
  return m >= 8 && m * n * k >= MIN_SPLIT_MACS;
}

/** Calls of a prepared GEMM that time both ways (alternating), and the period at which it times them again. */
const TRIAL = 8;
const RECHECK = 512;

/** The GEMM of one prepared op that measures one thread against the split, keeps the faster, and measures again
 * every RECHECK calls: the split pays on idle cores and loses when the machine is busy (on the shared 2-core dev
 * machine at full load it ran the MNIST MLP at 0.7x; BENCHMARKS.md). Both ways give the same bits, so switching
 * changes nothing but the time. */
export function adaptiveGemm(split: SimdExports['gemm'], one: SimdExports['gemm']): SimdExports['gemm'] {
  let calls = 0;
  let useSplit = true;
  let tOne = 0;
  let tSplit = 0;
  return (m, n, k, a, transA, b, transB, c, bias, biasMode, accumulate, pack) => {
    const phase = calls % RECHECK;
    calls++;
    if (phase >= TRIAL) {
      (useSplit ? split : one)(m, n, k, a, transA, b, transB, c, bias, biasMode, accumulate, pack);
      return;
    }
    const trySplit = (phase & 1) === 1;
    const t0 = performance.now();
    (trySplit ? split : one)(m, n, k, a, transA, b, transB, c, bias, biasMode, accumulate, pack);
    const dt = performance.now() - t0;
    if (trySplit) tSplit += dt;
    else tOne += dt;
    if (phase === TRIAL - 1) {
      useSplit = tSplit < tOne;
      tOne = 0;
      tSplit = 0;
    }
  };
}

type Reply =
  | { type: 'ready' }
  | { type: 'attached'; team: number }
  | { type: 'failed'; message: string }
  | { type: 'jobError'; message: string };

interface HelperPort {
  post(msg: unknown): void;
  terminate(): void;
}

/** Starting helpers and hearing from them must not hang the engine: a helper that never answers is a failure. */
const START_MS = 15_000;
/** A GEMM share that takes longer than this means a helper died (a real share takes milliseconds). */
const STALL_MS = 60_000;

const NODE_THREADS = 'node:worker_threads';
/** A variable, so the browser bundle does not treat the Node path's URL as an asset. */
const HELPER_FILE = './helper.js';

async function startHelper(onReply: (r: Reply) => void, onError: (message: string) => void): Promise<HelperPort> {
  if (typeof globalThis.process?.versions?.node === 'string') {
    const wt = (await import(/* @vite-ignore */ NODE_THREADS)) as typeof import('node:worker_threads');
    const w = new wt.Worker(new URL(HELPER_FILE, import.meta.url));
    // Helpers sleep in Atomics.wait between jobs: they must not keep a Node process (the CLI, a test) alive.
    w.unref();
    w.on('message', onReply);
    w.on('error', (e) => onError(e.message));
    return { post: (m) => w.postMessage(m), terminate: () => void w.terminate() };
  }
  const w = new Worker(new URL('./helper.js', import.meta.url), { type: 'module', name: 'atlas-gemm-helper' });
  w.addEventListener('message', (e: MessageEvent<Reply>) => onReply(e.data));
  w.addEventListener('error', (e) => onError(e.message || 'the GEMM helper worker failed to load'));
  return { post: (m) => w.postMessage(m), terminate: () => w.terminate() };
}

/** Whether this thread may block in Atomics.wait (a browser's main thread may not). */
function mayBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}

export class GemmPool {
  private readonly ctrl = new Int32Array(new SharedArrayBuffer(4 * WORDS));
  private readonly helpers: HelperPort[] = [];
  private readonly block = mayBlock();
  private nextTeam = 1;
  /** Replies awaited: one resolver per helper for the message in flight (attach or start-up). */
  private awaiting: ((r: Reply) => void)[] = [];
  private lastFailure = '';
  private attaching: Promise<unknown> = Promise.resolve();

  private constructor(readonly threads: number) {}

  /** A pool of `threads` threads (this one and threads - 1 helpers), once every helper has started. */
  static async start(threads: number): Promise<GemmPool> {
    const pool = new GemmPool(threads);
    try {
      const ready = pool.replies('ready');
      for (let i = 1; i < threads; i++) {
        const index = i;
        const h = await startHelper(
          (r) => pool.onReply(index, r),
          (message) => pool.onReply(index, { type: 'failed', message }),
        );
        pool.helpers.push(h);
        h.post({ type: 'init', ctrl: pool.ctrl, index, gen: Atomics.load(pool.ctrl, GEN) });
      }
      await withTimeout(ready, START_MS, 'the GEMM helper threads');
    } catch (e) {
      pool.terminate();
      throw e;
    }
    return pool;
  }

  private onReply(index: number, r: Reply): void {
    if (r.type === 'failed' || r.type === 'jobError') this.lastFailure = r.message;
    // A job's error is the job's (run() throws on its FAILED flag), not an answer to the message in flight.
    if (r.type !== 'jobError') this.awaiting[index - 1]?.(r);
  }

  /** Resolves when every helper has replied `type` to the message in flight (rejects on a failure). */
  private replies(type: Reply['type']): Promise<void> {
    const each = Array.from({ length: this.threads - 1 }, (_, i) => {
      return new Promise<void>((resolve, reject) => {
        this.awaiting[i] = (r) => (r.type === type ? resolve() : reject(new Error(`GEMM helper: ${this.failure(r)}`)));
      });
    });
    return Promise.all(each).then(() => {
      this.awaiting = [];
    });
  }

  private failure(r: Reply): string {
    return r.type === 'failed' || r.type === 'jobError' ? r.message : `unexpected reply ${r.type}`;
  }

  /** Waits until every helper has finished the current job. */
  private settle(): void {
    const ctrl = this.ctrl;
    let left = Atomics.load(ctrl, PENDING);
    if (left === 0) return;
    const t0 = performance.now();
    for (let spins = 0; left !== 0; spins++) {
      if (this.block) Atomics.wait(ctrl, PENDING, left, 1000);
      if ((this.block || (spins & 0xffff) === 0) && performance.now() - t0 > STALL_MS)
        throw new Error(`a GEMM helper thread stopped answering (${this.lastFailure || 'no message'})`);
      left = Atomics.load(ctrl, PENDING);
    }
  }

  /** Wakes every helper for the job described in the control block. */
  private signal(kind: number): void {
    const ctrl = this.ctrl;
    ctrl[KIND] = kind;
    Atomics.store(ctrl, PENDING, this.threads - 1);
    Atomics.add(ctrl, GEN, 1);
    Atomics.notify(ctrl, GEN);
  }

  /** Posts a message to every helper and wakes them to read it. */
  private mail(msg: unknown): void {
    this.settle();
    for (const h of this.helpers) h.post(msg);
    this.signal(KIND_MAIL);
  }

  /** A new team: every helper instantiates `module` over `memory` (shared); `ex` is this thread's instance. One
   * attach at a time (the replies awaited are per helper). */
  attach(
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    ex: GemmRowsExport,
    packStride: number,
  ): Promise<GemmTeam> {
    const next = this.attaching.then(async () => {
      const id = this.nextTeam++;
      const attached = this.replies('attached');
      this.mail({ type: 'attach', team: id, module, memory });
      await withTimeout(attached, START_MS, 'the GEMM helper threads');
      return new GemmTeam(this, id, ex, packStride);
    });
    this.attaching = next.catch(() => undefined);
    return next;
  }

  detach(team: number): void {
    this.mail({ type: 'detach', team });
  }

  /** gemm(m, n, k, a, transA, b, transB, c, bias, biasMode, accumulate, pack) in `team`, split by rows across the
   * threads: share i packs B into pack + i * packStride. `ex` is this thread's instance in the team. */
  run(
    team: number,
    ex: GemmRowsExport,
    packStride: number,
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
  ): void {
    this.settle();
    const ctrl = this.ctrl;
    const active = Math.min(this.threads, Math.ceil(m / 4));
    ctrl[TEAM] = team;
    ctrl[ACTIVE] = active;
    ctrl[PACK] = pack;
    ctrl[PACK_STRIDE] = packStride;
    ctrl[ARGS] = m;
    ctrl[ARGS + 1] = n;
    ctrl[ARGS + 2] = k;
    ctrl[ARGS + 3] = a;
    ctrl[ARGS + 4] = transA;
    ctrl[ARGS + 5] = b;
    ctrl[ARGS + 6] = transB;
    ctrl[ARGS + 7] = c;
    ctrl[ARGS + 8] = bias;
    ctrl[ARGS + 9] = biasMode;
    ctrl[ARGS + 10] = accumulate;
    this.signal(KIND_GEMM);
    const [r0, r1] = shareRows(m, 0, active);
    ex.gemmRows(m, n, k, a, transA, b, transB, c, bias, biasMode, accumulate, pack, r0, r1);
    this.settle();
    if (ctrl[FAILED] !== 0) {
      ctrl[FAILED] = 0;
      throw new Error(`a GEMM helper thread failed: ${this.lastFailure || 'no message'}`);
    }
  }

  terminate(): void {
    for (const h of this.helpers) h.terminate();
    this.helpers.length = 0;
  }
}

/** The one export the pool calls on this thread's instance (simd/module.ts SimdExports has it). */
export type GemmRowsExport = Pick<SimdExports, 'gemmRows'>;

/** One executor's place in the pool: its shared memory's id and this thread's instance over it. `gemm` has the
 * kernel's own signature, so a prepared kernel calls either without knowing which (simd/kernels.ts gemmOf). */
export class GemmTeam {
  private released = false;

  constructor(
    private readonly pool: GemmPool,
    readonly id: number,
    private readonly ex: GemmRowsExport,
    private readonly packStride: number,
  ) {}

  get threads(): number {
    return this.pool.threads;
  }

  readonly gemm: SimdExports['gemm'] = (m, n, k, a, transA, b, transB, c, bias, biasMode, accumulate, pack) =>
    this.pool.run(
      this.id,
      this.ex,
      this.packStride,
      m,
      n,
      k,
      a,
      transA,
      b,
      transB,
      c,
      bias,
      biasMode,
      accumulate,
      pack,
    );

  /** The helpers drop their instances (and so their hold on the memory). */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.pool.detach(this.id);
  }
}

let shared: Promise<GemmPool | string> | null = null;

/** This context's pool, as threadPlan() allows, or why it runs GEMMs on one thread. */
export function gemmPool(): Promise<GemmPool | string> {
  shared ??= (async () => {
    const plan = threadPlan();
    if (plan.threads <= 1) return plan.why ?? 'one core';
    try {
      return await GemmPool.start(plan.threads);
    } catch (e) {
      return `the GEMM helper threads did not start (${e instanceof Error ? e.message : String(e)})`;
    }
  })();
  return shared;
}
