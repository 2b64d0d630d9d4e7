// Start-up calibration for backend 'auto': time two small reference programs on a backend (one dispatch-bound, one
// arithmetic-bound) and solve  time/step = dispatches x usPerDispatch + FLOPs / flopsPerUs  for this device's two
// unknowns. Runs real training steps through the real runtime, so it measures exactly what training will pay.

import type { BackendName } from '../backends/backend';
import { compile } from '../graph/compile';
import type { Program } from '../graph/program';
import { validateSpec } from '../spec/validate';
import { DEFAULT_SPEED, programCost } from './autoBackend';
import type { BackendSpeed, LiveRuntime } from './types';

const mlp = (hidden: number[], batch: number, points: number) => ({
  data: { kind: 'plane', points, noise: 0, valFraction: 0, seed: 1 },
  model: {
    input: [2],
    layers: [...hidden.flatMap((u) => [{ type: 'dense', units: u }, { type: 'tanh' }]), { type: 'dense', units: 1 }],
  },
  loss: { type: 'mse' },
  optimizer: { type: 'sgd', lr: 0.01 },
  training: { batchSize: batch, seed: 1 },
});

/** Dispatch-bound and arithmetic-bound references. */
export const CALIBRATION_SPECS = { tiny: mlp([8, 8], 10, 200), big: mlp([128, 128], 64, 256) };

export function calibrationProgram(which: keyof typeof CALIBRATION_SPECS): Program {
  const v = validateSpec(CALIBRATION_SPECS[which]);
  if (!v.ok) throw new Error(`calibration spec: ${v.errors.map((e) => e.message).join('; ')}`);
  return compile(v.value);
}

/** Microseconds per step of a program: grow k until a chunk takes >= 15 ms (as the session sizes them) (this also warms up JIT compilers and
 * shader caches), then the median of several chunks of that size (robust to a busy machine). */
export async function timeSteps(
  rt: LiveRuntime,
  budgetMs: number,
  now: () => number = () => performance.now(),
): Promise<number> {
  const start = now();
  let k = 1;
  let chunks = 0;
  for (;;) {
    const t = now();
    await rt.trainSteps(k);
    const dt = now() - t;
    chunks++;
    // At least 4 warm-up chunks: the first dispatches of a new pipeline or JIT-compiled loop are slow.
    if ((dt >= 15 && chunks >= 4) || k >= 4096 || now() - start > 4 * budgetMs) break;
    if (dt < 15) k = dt < 4 ? k * 4 : k * 2;
  }
  const per: number[] = [];
  const end = now() + budgetMs;
  while (per.length < 5 || (now() < end && per.length < 15)) {
    const t = now();
    await rt.trainSteps(k);
    per.push(((now() - t) * 1000) / k);
  }
  per.sort((a, b) => a - b);
  return per[Math.floor(per.length / 2)];
}

/** Solves  us = calls * u + flops / r  from a dispatch-bound and an arithmetic-bound measurement, by alternating
 * (u from the tiny program given r, r from the big one given u): stable under noise where a 2x2 solve is not. */
export function fitSpeed(
  backend: BackendName,
  tiny: { calls: number; flops: number; us: number },
  big: { calls: number; flops: number; us: number },
): BackendSpeed {
  let r = DEFAULT_SPEED[backend].flopsPerUs;
  let u = DEFAULT_SPEED[backend].usPerDispatch;
  for (let i = 0; i < 8; i++) {
    u = Math.max(0.01, (tiny.us - tiny.flops / r) / tiny.calls);
    const arith = big.us - big.calls * u;
    r = Math.min(1e6, Math.max(1, big.flops / Math.max(arith, big.us * 0.1)));
  }
  return { usPerDispatch: u, flopsPerUs: r };
}

export interface Measurement {
  calls: number;
  flops: number;
  us: number;
}

/** Times one calibration program on a backend. */
export async function measureReference(
  backend: BackendName,
  which: keyof typeof CALIBRATION_SPECS,
  create: (p: Program) => Promise<LiveRuntime>,
  budgetMs = 60,
): Promise<Measurement> {
  const p = calibrationProgram(which);
  const cost = programCost(p);
  const rt = await create(p);
  try {
    const us = await timeSteps(rt, budgetMs);
    return { calls: backend === 'webgpu' ? cost.gpuDispatches : cost.cpuOps, flops: cost.flops, us };
  } finally {
    rt.dispose();
  }
}

/** The quick half: dispatch overhead from the tiny program alone, given an assumed throughput. */
export function dispatchOnly(tiny: Measurement, flopsPerUs: number): BackendSpeed {
  return { usPerDispatch: Math.max(0.01, (tiny.us - tiny.flops / flopsPerUs) / tiny.calls), flopsPerUs };
}

export async function calibrateBackend(
  backend: BackendName,
  create: (p: Program) => Promise<LiveRuntime>,
  budgetMs = 60,
): Promise<BackendSpeed> {
  const tiny = await measureReference(backend, 'tiny', create, budgetMs);
  const big = await measureReference(backend, 'big', create, budgetMs);
  return fitSpeed(backend, tiny, big);
}
