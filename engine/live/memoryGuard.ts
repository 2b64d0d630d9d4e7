// Memory guard: before any device buffer exists, estimate the buffers a Program needs (the two arenas, the training
// data, every tensor binding) and compare them with the device's limits, so an oversized network is refused with a
// message a learner can act on (which layer, how many bytes, what to reduce) instead of failing inside WebGPU.

import type { Program, TensorInfo } from '../graph/program';
import { layerLabel } from './layers';
import type { DeviceLimits } from './types';

export interface MemoryEstimate {
  stateBytes: number;
  activationBytes: number;
  dataBytes: number;
  /** The largest single binding (tensor view) and its tensor. */
  largestBinding: { name: string; bytes: number };
  totalBytes: number;
}

export type GuardResult =
  | { ok: true; estimate: MemoryEstimate }
  | { ok: false; estimate: MemoryEstimate; message: string };

/** A CPU stand-in: typed arrays beyond about 1 GiB are unreliable in browsers. */
export const CPU_LIMITS: DeviceLimits = { maxStorageBufferBindingSize: 2 ** 30, maxBufferSize: 2 ** 30 };

export function bytes(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(1)} GiB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MiB`;
  if (n >= 2 ** 10) return `${(n / 2 ** 10).toFixed(1)} KiB`;
  return `${n} B`;
}

const prod = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** Training rows the runtime uploads (all generated points minus the validation share). */
export function trainRows(p: Program): number {
  const d = p.spec.data;
  if (!d) return p.batchSize;
  return Math.max(p.batchSize, Math.ceil(d.points * (1 - d.valFraction)));
}

export function estimateMemory(p: Program): MemoryEstimate {
  const stateBytes = p.arenas.state.size * 4;
  const activationBytes = p.arenas.activations.size * 4;
  const rows = trainRows(p);
  const dataBytes = rows * (prod(p.inputShape) + Math.max(1, prod(p.targetShape))) * 4;
  let largest: TensorInfo = p.tensors[0];
  for (const t of p.tensors) if (t.size > largest.size) largest = t;
  return {
    stateBytes,
    activationBytes,
    dataBytes,
    largestBinding: { name: largest?.name ?? '', bytes: (largest?.size ?? 0) * 4 },
    totalBytes: stateBytes + activationBytes + dataBytes,
  };
}

/** The layer a tensor belongs to (`act.3`, `grad.act.3`, `3.weight`, `3.layers.1.bias` ...), or null. */
function layerOf(name: string): string | null {
  const act = /(?:^|\.)act\.(\d+(?:\.layers\.\d+)*)/.exec(name);
  if (act) return act[1];
  const param = /^(\d+(?:\.layers\.\d+)*)\./.exec(name);
  return param ? param[1] : null;
}

/** The layer whose tensors take the most of an arena, with their bytes. */
function heaviestLayer(p: Program, arena: TensorInfo['arena']): { layer: string; bytes: number } | null {
  const per = new Map<string, number>();
  for (const t of p.tensors) {
    if (t.arena !== arena || t.role === 'region') continue;
    const l = layerOf(t.name);
    if (l !== null) per.set(l, (per.get(l) ?? 0) + t.size * 4);
  }
  let best: { layer: string; bytes: number } | null = null;
  for (const [layer, b] of per) if (!best || b > best.bytes) best = { layer, bytes: b };
  return best;
}

function advice(p: Program, layer: string | null, arena: 'state' | 'activations'): string {
  if (arena === 'activations') {
    const what = layer === null ? 'the layer sizes' : `${layerLabel(p, layer)}'s size (units, filters or resolution)`;
    return `reduce the batch size (now ${p.batchSize}) or ${what}`;
  }
  return layer === null
    ? 'reduce the number of units or filters'
    : `reduce ${layerLabel(p, layer)}'s units or filters (parameters, gradients and optimizer state all scale with it)`;
}

export function checkMemory(p: Program, limits: DeviceLimits, device = 'this device'): GuardResult {
  const estimate = estimateMemory(p);
  const fail = (message: string): GuardResult => ({ ok: false, estimate, message });
  const bufferLimit = limits.maxBufferSize;
  const bindLimit = limits.maxStorageBufferBindingSize;

  // One binding (a tensor view) larger than a storage binding may be.
  for (const t of p.tensors) {
    const b = t.size * 4;
    if (b <= bindLimit) continue;
    const layer = layerOf(t.name);
    const arena = t.arena;
    const who = layer !== null ? layerLabel(p, layer) : `tensor ${t.name}`;
    const whole = t.role === 'region' ? 'all parameters together' : who;
    return fail(
      `${whole} needs ${bytes(b)} in one buffer binding (${t.name}, shape ${t.shape.join('x')}), over ${device}'s limit of ${bytes(bindLimit)} per binding: ${advice(p, layer ?? heaviestLayer(p, arena)?.layer ?? null, arena)}.`,
    );
  }
  // Whole buffers.
  const checks: [string, number, 'state' | 'activations' | null][] = [
    ['the parameter/state arena (parameters, gradients, optimizer state)', estimate.stateBytes, 'state'],
    ['the activation arena', estimate.activationBytes, 'activations'],
    ['the training data', estimate.dataBytes, null],
  ];
  for (const [what, b, arena] of checks) {
    if (b <= bufferLimit && (arena !== null || b <= bindLimit)) continue;
    const limit = arena === null ? Math.min(bufferLimit, bindLimit) : bufferLimit;
    if (arena === null)
      return fail(
        `${what} needs ${bytes(b)} (${trainRows(p)} rows), over ${device}'s limit of ${bytes(limit)} per buffer: use fewer points.`,
      );
    const heavy = heaviestLayer(p, arena);
    const share = heavy ? ` ${layerLabel(p, heavy.layer)} takes ${bytes(heavy.bytes)} of it;` : '';
    return fail(
      `${what} needs ${bytes(b)}, over ${device}'s limit of ${bytes(limit)} per buffer:${share} ${advice(p, heavy?.layer ?? null, arena)}.`,
    );
  }
  return { ok: true, estimate };
}
