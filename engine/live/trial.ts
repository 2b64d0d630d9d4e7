// Backend 'auto' when the estimate is too close to call: run the actual Program on both backends for a moment and
// keep the faster one's runtime (rewound to its initial state and step 0), so the decision rests on a measurement of
// this very network on this device, not on an extrapolation from the calibration programs.

import type { BackendName } from '../backends/backend';
import type { Program } from '../graph/program';
import { describeNetwork } from './autoBackend';
import type { BackendDecision, LiveRuntime, RuntimeHost } from './types';

/** Estimates closer than this factor are measured. */
export const TRIAL_RATIO = 4;

/** Best microseconds per step: one warm-up step, then chunks doubling to >= 10 ms until `budgetMs` has passed. */
export async function trialSteps(rt: LiveRuntime, budgetMs: number, now = () => performance.now()): Promise<number> {
  await rt.trainSteps(1);
  const end = now() + budgetMs;
  let k = 1;
  let best = Number.POSITIVE_INFINITY;
  let runs = 0;
  while (runs < 2 || now() < end) {
    const t = now();
    await rt.trainSteps(k);
    const dt = now() - t;
    runs++;
    best = Math.min(best, (dt * 1000) / k);
    if (dt < 10) k *= 2;
    if (runs >= 12) break;
  }
  return best;
}

function fmt(us: number): string {
  return us >= 1000 ? `${(us / 1000).toFixed(us >= 10_000 ? 0 : 1)} ms` : `${Math.round(us)} µs`;
}

/** Measures both backends on the program; null when WebGPU could not even be created (use the estimate). */
export async function measureBoth(
  host: RuntimeHost,
  p: Program,
  budgetMs = 250,
): Promise<{ decision: BackendDecision; runtime: LiveRuntime } | null> {
  const made: Partial<Record<BackendName, { rt: LiveRuntime; initial: Float32Array; us: number }>> = {};
  try {
    for (const b of ['cpu', 'webgpu'] as const) {
      const rt = await host.create(p, b);
      made[b] = { rt, initial: await rt.readState(), us: Number.POSITIVE_INFINITY };
      (made[b] as { us: number }).us = await trialSteps(rt, budgetMs);
    }
    // A second round in the other order, keeping each backend's best: on a busy machine one short window can be
    // starved of CPU, and a single round then crowns whichever backend happened to run in the quieter moment.
    for (const b of ['webgpu', 'cpu'] as const) {
      const m = made[b] as { rt: LiveRuntime; us: number };
      m.us = Math.min(m.us, await trialSteps(m.rt, budgetMs / 2));
    }
  } catch {
    for (const m of Object.values(made)) m?.rt.dispose();
    return null;
  }
  const cpu = made.cpu as { rt: LiveRuntime; initial: Float32Array; us: number };
  const gpu = made.webgpu as { rt: LiveRuntime; initial: Float32Array; us: number };
  const winner: BackendName = gpu.us < cpu.us ? 'webgpu' : 'cpu';
  const keep = winner === 'webgpu' ? gpu : cpu;
  (winner === 'webgpu' ? cpu : gpu).rt.dispose();
  await keep.rt.writeState(keep.initial);
  keep.rt.seek(0);
  const net = describeNetwork(p);
  const measured = `measured on this ${net}: ${fmt(cpu.us)} per step on the CPU vs ${fmt(gpu.us)} on WebGPU`;
  return {
    decision: {
      backend: winner,
      requested: 'auto',
      reason: `${winner === 'webgpu' ? 'WebGPU' : 'CPU'}: ${measured} (the estimate was too close to call).`,
      estimates: { cpu: cpu.us, webgpu: gpu.us },
    },
    runtime: keep.rt,
  };
}
