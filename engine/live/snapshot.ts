// Snapshots of a runtime's state, taken every few seconds so divergence and device loss can go back to the last
// good weights. A snapshot is one copy of the state arena (Runtime.readState): parameters, optimizer state and
// BatchNorm buffers, so a restored run continues exactly; restoring is one writeState plus a seek to its step.

import type { Program } from '../graph/program';
import type { StateDict } from '../spec/types';
import { stateFinite } from './layers';
import type { LiveRuntime, WeightsDict } from './types';

export interface Snapshot {
  /** Global step the state belongs to (steps taken before it). */
  step: number;
  /** Wall-clock time it was taken (session clock, ms). */
  time: number;
  state: Float32Array;
}

export type SnapshotCheck = { ok: true; snapshot: Snapshot } | { ok: false; signal: 'weights' | 'gradient' };

/** Reads the state; refuses (with what went non-finite) to keep a state that holds a NaN or an infinity. */
export async function takeSnapshot(rt: LiveRuntime, p: Program, step: number, time: number): Promise<SnapshotCheck> {
  const state = await rt.readState();
  if (!stateFinite(p, state)) return { ok: false, signal: 'weights' };
  if (!stateFinite(p, state, true)) return { ok: false, signal: 'gradient' };
  return { ok: true, snapshot: { step, time, state } };
}

/** Loads a snapshot into a runtime of the same Program layout (any backend: both share the layout). */
export async function restoreSnapshot(rt: LiveRuntime, s: Snapshot): Promise<void> {
  await rt.writeState(s.state);
}

export function weightsDictOf(sd: StateDict): WeightsDict {
  const out: WeightsDict = {};
  for (const [k, t] of Object.entries(sd)) out[k] = { shape: [...t.shape], data: Float32Array.from(t.data) };
  return out;
}

export function stateDictOf(w: WeightsDict): StateDict {
  const out: StateDict = {};
  for (const [k, t] of Object.entries(w)) out[k] = { shape: [...t.shape], data: Array.from(t.data) };
  return out;
}
