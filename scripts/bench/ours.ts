// Our engine on a benchmark net, in the browser page or in Node:
// - cpu / webgpu: the Runtime (engine/backends/runtime.ts) over the backend, driven by the shared harness exactly as
//   TF.js is (trainSteps(n), the loss on the host every ~200 ms);
// - auto: the live session the app runs (engine/live/session.ts): start-up calibration picks the backend, then
//   continuous training (adaptive chunks, snapshots, metrics) measured by its step counter over wall time.
// Data is the net's random rows, given as a Dataset (the specs have no data section).

import type { BackendFactory, BackendName, Runtime } from '../../engine/backends/backend';
import { cpuBackendWith } from '../../engine/backends/cpu/index';
import { BACKENDS } from '../../engine/backends/index';
import { openRuntime } from '../../engine/backends/runtime';
import type { Dataset } from '../../engine/data/dataset';
import { compile } from '../../engine/graph/compile';
import type { Program } from '../../engine/graph/program';
import { programCost } from '../../engine/live/autoBackend';
import { createHost } from '../../engine/live/host';
import { LiveSession } from '../../engine/live/session';
import type { BackendDecision, RuntimeHost } from '../../engine/live/types';
import { validateSpec } from '../../engine/spec/validate';
import { gpuCounters } from './gpuCounters';
import { type Measurement, measure, median, type Trainer } from './harness';
import { NETS, type NetDef, randomData } from './nets';
import type { BenchCase, CaseResult, MemoryFigures, Where } from './types';

export interface OursEnv {
  where: Where;
  /** The JS heap in bytes after a forced GC when possible (null: not measurable here). */
  heap(): Promise<{ bytes: number; gc: boolean } | null>;
  now?: () => number;
}

/** Steps between the two heap readings (issue 4: 10,000 steps on (a)). */
export const HEAP_STEPS = 10_000;

export function benchProgram(net: NetDef): Program {
  const v = validateSpec(net.spec);
  if (!v.ok) throw new Error(`bench spec ${net.id}: ${v.errors.map((e) => e.message).join('; ')}`);
  return compile(v.value);
}

export function benchDataset(net: NetDef): Dataset {
  const d = randomData(net);
  return {
    inputShape: net.input,
    targetShape: net.classes === null ? [1] : [],
    classes: net.classes,
    train: { x: d.x, y: d.y, count: d.rows },
    val: { x: new Float32Array(0), y: new Float32Array(0), count: 0 },
  };
}

function runtimeTrainer(rt: Runtime): Trainer {
  return {
    async run(n) {
      const r = await rt.trainSteps(n);
      return r.losses[r.losses.length - 1];
    },
    dispose: () => rt.dispose(),
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function heapAround(
  env: OursEnv,
  steps: number,
  run: (n: number) => Promise<void>,
): Promise<Partial<MemoryFigures>> {
  const before = await env.heap();
  if (!before) return {};
  await run(steps);
  const after = await env.heap();
  return { heapBefore: before.bytes, heapAfter: after?.bytes, heapSteps: steps, heapGc: before.gc };
}

function arenaBytes(p: Program): MemoryFigures {
  return { stateBytes: p.arenas.state.size * 4, activationBytes: p.arenas.activations.size * 4 };
}

function dispatchFigures(
  backend: BackendName,
  p: Program,
  counted: { dispatches: number; submits: number; steps: number } | null,
): Pick<Extract<CaseResult, { ok: true }>, 'dispatchesPerStep' | 'dispatchSource' | 'submitsPerStep'> {
  const cost = programCost(p);
  if (backend === 'cpu') return { dispatchesPerStep: cost.cpuOps, dispatchSource: 'op calls per step (Program)' };
  if (counted && counted.dispatches > 0) {
    return {
      dispatchesPerStep: counted.dispatches / counted.steps,
      dispatchSource: `counted (Program: ${cost.gpuDispatches})`,
      submitsPerStep: counted.submits / counted.steps,
    };
  }
  return { dispatchesPerStep: cost.gpuDispatches, dispatchSource: 'Program (kernel launches per step)' };
}

async function runBackend(
  c: BenchCase,
  backend: BackendName,
  env: OursEnv,
  factory: BackendFactory = BACKENDS[backend],
): Promise<CaseResult> {
  const net = NETS[c.net];
  const avail = await factory.available();
  if (!avail.ok) return { ok: false, case: c, where: env.where, error: `${backend} unavailable: ${avail.reason}` };
  const program = benchProgram(net);
  const t0 = (env.now ?? performance.now.bind(performance))();
  const rt = await openRuntime(program, factory, { data: benchDataset(net) });
  const openMs = (env.now ?? performance.now.bind(performance))() - t0;
  const trainer = runtimeTrainer(rt);
  try {
    const d0 = { ...gpuCounters };
    const m = await measure(trainer, { seconds: c.seconds, rounds: c.rounds }, env.now);
    const counted = gpuCounters.installed
      ? {
          dispatches: gpuCounters.dispatches - d0.dispatches,
          submits: gpuCounters.submits - d0.submits,
          steps: m.totalSteps,
        }
      : null;
    let memory = arenaBytes(program);
    if (c.net === 'a') {
      const n = m.stepsPerCall;
      const heap = await heapAround(env, HEAP_STEPS, async (steps) => {
        for (let done = 0; done < steps; done += n) await trainer.run(Math.min(n, steps - done));
      });
      memory = { ...memory, ...heap };
    }
    return {
      ok: true,
      case: c,
      where: env.where,
      measurement: m,
      ...dispatchFigures(backend, program, counted),
      memory,
      notes: [`runtime open ${Math.round(openMs)} ms`, avail.detail],
    };
  } finally {
    await trainer.dispose();
  }
}

/** The live session with backend 'auto', measured by its own step counter while it trains continuously. */
async function runAuto(c: BenchCase, env: OursEnv): Promise<CaseResult> {
  const net = NETS[c.net];
  const now = env.now ?? performance.now.bind(performance);
  const data = benchDataset(net);
  const base = createHost();
  const host: RuntimeHost = { ...base, create: (p, b) => openRuntime(p, BACKENDS[b], { data }) };
  let decision: BackendDecision | null = null;
  let errors = 0;
  let lastError = '';
  const session = new LiveSession(host, (e) => {
    if (e.type === 'backend') decision = e.decision;
    if (e.type === 'error') {
      errors++;
      lastError = e.message;
    }
  });
  try {
    const t0 = now();
    const compiled = await session.compile(net.spec, 'auto');
    const compileMs = now() - t0;
    const program = session.currentProgram as Program;
    const d0 = { ...gpuCounters };
    const s0 = session.step;
    session.train();
    const warm0 = now();
    const warmMs = Math.max(1500, c.seconds * 500);
    while (now() - warm0 < warmMs || session.step === s0) {
      await sleep(50);
      if (session.state !== 'training') break;
      if (now() - warm0 > 60_000) break;
    }
    const warmupSeconds = (now() - warm0) / 1000;
    // Rounds start and end on a completed chunk (the step counter moves a chunk at a time), so slow networks,
    // whose chunks take longer than a round, are measured over whole chunks.
    const nextChunk = async (): Promise<{ step: number; t: number }> => {
      const from = session.step;
      const until = now() + 120_000;
      while (session.step === from && session.state === 'training' && now() < until) await sleep(2);
      return { step: session.step, t: now() };
    };
    const rounds: number[] = [];
    let mark = await nextChunk();
    for (let r = 0; r < c.rounds && session.state === 'training'; r++) {
      const start = mark;
      await sleep(c.seconds * 1000);
      mark = await nextChunk();
      if (mark.step > start.step) rounds.push(((mark.step - start.step) * 1000) / (mark.t - start.t));
    }
    const chunk = session.chunkSteps;
    const totalSteps = session.step - s0;
    let memory: MemoryFigures = { stateBytes: compiled.stateBytes, activationBytes: compiled.activationBytes };
    if (c.net === 'a' && session.state === 'training') {
      const heap = await heapAround(env, HEAP_STEPS, async (steps) => {
        const target = session.step + steps;
        const until = now() + 120_000;
        while (session.step < target && session.state === 'training' && now() < until) await sleep(20);
      });
      memory = { ...memory, ...heap };
    }
    await session.pause();
    if (rounds.length === 0) {
      return {
        ok: false,
        case: c,
        where: env.where,
        error: `the live session stopped (${session.state}): ${lastError}`,
      };
    }
    const steps = session.step - s0;
    const counted = gpuCounters.installed
      ? { dispatches: gpuCounters.dispatches - d0.dispatches, submits: gpuCounters.submits - d0.submits, steps }
      : null;
    const d = decision as BackendDecision | null;
    const m: Measurement = {
      stepsPerSec: median(rounds),
      rounds,
      stepsPerCall: chunk,
      warmupSeconds,
      totalSteps,
      lastLoss: Number.NaN,
    };
    const notes = [`live session; compile incl. calibration ${Math.round(compileMs)} ms`];
    if (errors > 0) notes.push(`${errors} error events: ${lastError}`);
    return {
      ok: true,
      case: c,
      where: env.where,
      measurement: m,
      ...dispatchFigures(compiled.backend, program, counted),
      memory,
      picked: { backend: compiled.backend, reason: d?.reason ?? compiled.decision.reason },
      notes,
    };
  } finally {
    await session.dispose();
  }
}

export async function runOurs(c: BenchCase, env: OursEnv): Promise<CaseResult> {
  try {
    if (c.backend === 'auto') return await runAuto(c, env);
    if (c.backend === 'cpu' || c.backend === 'webgpu') return await runBackend(c, c.backend, env);
    // The CPU backend with its plain JavaScript kernels (the reference; what runs without wasm SIMD).
    if (c.backend === 'cpu-js') return await runBackend(c, 'cpu', env, cpuBackendWith('js'));
    if (c.backend === 'cpu-1t') return await runBackend(c, 'cpu', env, cpuBackendWith('auto', 1));
    return { ok: false, case: c, where: env.where, error: `unknown backend ${c.backend}` };
  } catch (e) {
    return { ok: false, case: c, where: env.where, error: e instanceof Error ? e.message : String(e) };
  }
}
