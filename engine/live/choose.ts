// Which backend a Program runs on: the availability probe, the calibrated estimates (autoBackend.ts), the memory
// guard, and under 'auto' a trial of the program itself when the estimates are too close to call (trial.ts). Shared
// by the live session (which keeps the winning runtime) and the CLI (which only needs the decision).

import type { Program } from '../graph/program';
import { decideBackend } from './autoBackend';
import { CPU_LIMITS, checkMemory } from './memoryGuard';
import { measureBoth, TRIAL_RATIO } from './trial';
import type { BackendDecision, BackendRequest, LiveRuntime, RuntimeHost } from './types';

/** The decision from availability, calibration and memory alone (no trial). Throws when nothing can run it. */
export async function estimateBackend(
  host: RuntimeHost,
  p: Program,
  requested: BackendRequest,
): Promise<BackendDecision> {
  // Probe WebGPU only when it may be used (a CPU-only session never opens a device).
  const [cpu, webgpu] = await Promise.all([
    host.available('cpu'),
    requested === 'cpu' ? { ok: false as const, reason: 'not requested' } : host.available('webgpu'),
  ]);
  if (!cpu.ok && !webgpu.ok) throw new Error(`no backend can run here: ${cpu.reason}; ${webgpu.reason}`);
  const speeds =
    requested === 'auto' && webgpu.ok && host.calibrate
      ? {
          cpu: await host.calibrate('cpu').catch(() => undefined),
          webgpu: await host.calibrate('webgpu').catch(() => undefined),
        }
      : {};
  let decision = decideBackend({ program: p, requested, available: { cpu, webgpu }, speeds });
  if (decision.backend === 'webgpu') {
    const limits = await host.limits('webgpu');
    const guard = limits ? checkMemory(p, limits, 'this GPU') : null;
    if (guard && !guard.ok) {
      if (requested === 'webgpu') throw new Error(guard.message);
      decision = { backend: 'cpu', requested, reason: `CPU: too big for this GPU: ${guard.message}` };
    }
  }
  if (decision.backend === 'cpu') {
    const guard = checkMemory(p, (await host.limits('cpu')) ?? CPU_LIMITS, 'the CPU backend');
    if (!guard.ok) throw new Error(guard.message);
  }
  return decision;
}

/** Whether an 'auto' decision's estimates are close enough to measure the program itself. */
function tooClose(requested: BackendRequest, d: BackendDecision): boolean {
  const est = d.estimates;
  if (requested !== 'auto' || est?.cpu === undefined || est.webgpu === undefined) return false;
  return Math.max(est.cpu, est.webgpu) / Math.max(1e-9, Math.min(est.cpu, est.webgpu)) < TRIAL_RATIO;
}

/** The decision and a runtime on it (under 'auto', a close call keeps the trial's winning runtime, rewound). */
export async function chooseAndCreate(
  host: RuntimeHost,
  p: Program,
  requested: BackendRequest,
): Promise<{ decision: BackendDecision; runtime: LiveRuntime }> {
  const decision = await estimateBackend(host, p, requested);
  if (tooClose(requested, decision)) {
    const measured = await measureBoth(host, p);
    if (measured) return measured;
  }
  return { decision, runtime: await host.create(p, decision.backend) };
}

/** The decision only (the CLI runs the job itself): a trial runtime, if one was made, is disposed. */
export async function chooseBackend(
  host: RuntimeHost,
  p: Program,
  requested: BackendRequest,
): Promise<BackendDecision> {
  const decision = await estimateBackend(host, p, requested);
  if (!tooClose(requested, decision)) return decision;
  const measured = await measureBoth(host, p);
  if (!measured) return decision;
  measured.runtime.dispose();
  return measured.decision;
}
