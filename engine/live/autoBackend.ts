// Backend 'auto': estimate a Program's cost per training step on each backend from its op lists (FLOPs and kernel
// dispatches) and this device's measured speed (usPerDispatch, flopsPerUs: see calibrate.ts), pick the faster and
// say why in plain words ("CPU: this 2-8-8-1 network is too small to pay for GPU dispatches").

import type { BackendName } from '../backends/backend';
import type { KernelContext } from '../backends/webgpu/kernels/context';
import { opLaunches } from '../backends/webgpu/kernels/table';
import { type Op, type OpOf, opIO } from '../graph/ops';
import { type Program, stepOps } from '../graph/program';
import type { BackendDecision, BackendRequest, BackendSpeed } from './types';

export interface ProgramCost {
  /** Floating-point operations of one training step. */
  flops: number;
  /** Kernel dispatches of one step on WebGPU (launches of every op, plus the batch gather and loss record). */
  gpuDispatches: number;
  /** Op calls of one step on the CPU. */
  cpuOps: number;
}

/** Conservative defaults when a backend was not calibrated (the anchors measured on SwiftShader, ../shared/TESTING.md). */
export const DEFAULT_SPEED: Record<BackendName, BackendSpeed> = {
  cpu: { usPerDispatch: 1, flopsPerUs: 800 },
  webgpu: { usPerDispatch: 10, flopsPerUs: 2000 },
};

function convFlops(op: OpOf<'conv2d'> | OpOf<'conv2d_grad_input'> | OpOf<'conv2d_grad_weight'>): number {
  return 2 * op.n * op.f * op.oh * op.ow * op.c * op.kh * op.kw;
}

export function opFlops(p: Program, op: Op): number {
  switch (op.kind) {
    case 'matmul':
      return 2 * op.m * op.n * op.k;
    case 'conv2d':
    case 'conv2d_grad_input':
    case 'conv2d_grad_weight':
      return convFlops(op);
    case 'maxpool2d':
    case 'avgpool2d':
    case 'maxpool2d_grad':
    case 'avgpool2d_grad':
      return op.n * op.f * op.oh * op.ow * op.kh * op.kw;
    default: {
      // Elementwise and reductions: a few operations per value touched.
      const io = opIO(op);
      let n = 0;
      for (const t of [...io.reads, ...io.writes]) n += p.tensors[t]?.size ?? 0;
      return 2 * n;
    }
  }
}

/** Launch count of an op on WebGPU, from the kernel table itself (kernels describe launches without a device). */
function gpuLaunches(p: Program, op: Op): number {
  const fake = { label: 'estimate' } as unknown as GPUBuffer;
  const ctx: KernelContext = {
    program: p,
    view: (id) => ({ buffer: fake, offset: 0, size: Math.max(4, (p.tensors[id]?.size ?? 1) * 4) }),
    hyperBindings: () => [],
  };
  try {
    return opLaunches(op as OpOf<typeof op.kind>, ctx).length;
  } catch {
    return 1;
  }
}

export function programCost(p: Program): ProgramCost {
  const ops = stepOps(p);
  let flops = 0;
  let gpu = 4; // gather x, gather y, record loss, advance step
  for (const op of ops) {
    flops += opFlops(p, op);
    gpu += gpuLaunches(p, op);
  }
  return { flops, gpuDispatches: gpu, cpuOps: ops.length };
}

export function estimateStepUs(cost: ProgramCost, backend: BackendName, speed: BackendSpeed): number {
  const calls = backend === 'webgpu' ? cost.gpuDispatches : cost.cpuOps;
  return calls * speed.usPerDispatch + cost.flops / speed.flopsPerUs;
}

/** "2-8-8-1" for a stack of dense layers, else "6-layer" plus the parameter count. */
export function describeNetwork(p: Program): string {
  const layers = p.spec.model.layers;
  const denseOnly = layers.every(
    (l) => l.type === 'dense' || !['conv2d', 'residual', 'maxpool2d', 'avgpool2d'].includes(l.type),
  );
  const params = p.regions.params.size;
  if (denseOnly && p.inputShape.length === 1) {
    const widths = [p.inputShape[0], ...layers.flatMap((l) => (l.type === 'dense' ? [l.units] : []))];
    return `${widths.join('-')} network`;
  }
  const convs = layers.filter((l) => l.type === 'conv2d').length;
  const kind = convs > 0 ? `convolutional network (${convs} conv layers` : `network (${layers.length} layers`;
  return `${kind}, ${params.toLocaleString('en-US')} parameters)`;
}

function fmtUs(us: number): string {
  return us >= 1000 ? `${(us / 1000).toFixed(us >= 10_000 ? 0 : 1)} ms` : `${Math.max(1, Math.round(us))} µs`;
}

function fmtFlops(f: number): string {
  if (f >= 1e9) return `${(f / 1e9).toFixed(1)} GFLOP`;
  if (f >= 1e6) return `${(f / 1e6).toFixed(1)} MFLOP`;
  if (f >= 1e3) return `${(f / 1e3).toFixed(1)} kFLOP`;
  return `${f} FLOP`;
}

export interface DecideInput {
  program: Program;
  requested: BackendRequest;
  /** Which backends can run here; a missing one carries the reason. */
  available: Record<BackendName, { ok: true } | { ok: false; reason: string }>;
  speeds: Partial<Record<BackendName, BackendSpeed>>;
}

export function decideBackend(input: DecideInput): BackendDecision {
  const { program: p, requested, available } = input;
  const gpuOk = available.webgpu.ok;
  const gpuWhy = available.webgpu.ok ? '' : available.webgpu.reason;
  if (requested === 'cpu') return { backend: 'cpu', requested, reason: 'CPU: requested.' };
  if (requested === 'webgpu') {
    if (gpuOk) return { backend: 'webgpu', requested, reason: 'WebGPU: requested.' };
    return { backend: 'cpu', requested, reason: `CPU: WebGPU was requested but is unavailable (${gpuWhy}).` };
  }
  if (!gpuOk) return { backend: 'cpu', requested, reason: `CPU: WebGPU is unavailable (${gpuWhy}).` };
  const cost = programCost(p);
  const cpuUs = estimateStepUs(cost, 'cpu', input.speeds.cpu ?? DEFAULT_SPEED.cpu);
  const gpuUs = estimateStepUs(cost, 'webgpu', input.speeds.webgpu ?? DEFAULT_SPEED.webgpu);
  const net = describeNetwork(p);
  const estimates = { cpu: cpuUs, webgpu: gpuUs };
  const per = `(about ${fmtUs(cpuUs)} per step on the CPU vs ${fmtUs(gpuUs)} on WebGPU)`;
  if (cpuUs <= gpuUs) {
    const dispatchBound = cost.gpuDispatches * (input.speeds.webgpu ?? DEFAULT_SPEED.webgpu).usPerDispatch > gpuUs / 2;
    const why = dispatchBound
      ? `this ${net} is too small to pay for GPU dispatches: ${cost.gpuDispatches} dispatches for ${fmtFlops(cost.flops)} per step`
      : `this ${net} (${fmtFlops(cost.flops)} per step) runs faster on this machine's CPU`;
    return { backend: 'cpu', requested, reason: `CPU: ${why} ${per}.`, estimates };
  }
  return {
    backend: 'webgpu',
    requested,
    reason: `WebGPU: this ${net} does ${fmtFlops(cost.flops)} per step, enough to pay for ${cost.gpuDispatches} GPU dispatches ${per}.`,
    estimates,
  };
}
