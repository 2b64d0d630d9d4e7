// Which program a live session runs, on which backend, from which weights: compile (validate, compile, choose the
// backend and create the runtime, optionally aligned with another run's initial weights), recompile (a changed spec,
// carrying every weight whose key and shape match, and the optimizer state when the layout is the same), rewind to
// the exact initial state, and loading weights. Training in progress is paused for the change and resumed after it.

import type { Program } from '../graph/program';
import type { NormalizedSpec, StateDict } from '../spec/types';
import { alignInitialState, type InitialState } from './align';
import { chooseAndCreate } from './choose';
import { weightsFromState } from './layers';
import type { SessionCore } from './sessionCore';
import type { SessionGrid } from './sessionGrid';
import type { SessionLoop } from './sessionLoop';
import type { SessionRecovery } from './sessionRecovery';
import { stateDictOf } from './snapshot';
import type { BackendDecision, BackendRequest, CompileResult, LiveRuntime } from './types';

/** Weights in either travelling form (a WeightsDict, a StateDict, or entries of both). */
export type LoadableWeights = Record<string, { shape: number[]; data: Float32Array | number[] }>;

export class SessionCompile {
  constructor(
    private readonly core: SessionCore,
    private readonly recovery: SessionRecovery,
    private readonly grid: SessionGrid,
    private readonly loop: SessionLoop,
  ) {}

  async compile(raw: unknown, backend: BackendRequest, opts: { alignWith?: InitialState }): Promise<CompileResult> {
    const c = this.core;
    await this.loop.pause();
    return c.exclusive(async () => {
      const { spec, program } = this.compileSpec(raw);
      const { decision, runtime } = await chooseAndCreate(c.host, program, backend);
      let state = await runtime.readState();
      let aligned: string[] | undefined;
      if (opts.alignWith) {
        ({ state, aligned } = alignInitialState(opts.alignWith, { program, state }));
        await runtime.writeState(state);
      }
      c.initial = { program, state };
      this.recovery.replaceRuntime(runtime);
      c.spec = spec;
      c.program = program;
      c.requested = backend;
      c.decision = decision;
      c.hot = {};
      c.initStep = 0;
      c.resetRunState();
      c.emit({ type: 'backend', decision });
      await this.recovery.snapshotNow();
      c.setStatus('idle');
      await this.grid.push();
      return aligned ? { ...this.compileResult(), aligned } : this.compileResult();
    });
  }

  async recompile(raw: unknown): Promise<CompileResult> {
    const wasTraining = this.core.loop !== null;
    await this.loop.pause();
    const result = await this.core.exclusive(() => this.recompileNow(raw, false));
    if (wasTraining) this.loop.train();
    return result;
  }

  /** Inside the exclusive section, training paused. `keepHot`: a structural hot change (the new runtime gets the
   * session's hot values) rather than a new spec (which starts from its own). */
  async recompileNow(raw: unknown, keepHot: boolean): Promise<CompileResult> {
    const c = this.core;
    const old = c.runtime;
    if (!old || !c.program) throw new Error('nothing compiled yet: send compile(spec) first');
    const { spec, program } = this.compileSpec(raw);
    const prevStep = c.step;
    const prevProgram = c.program;
    const prevState = await c.raceLoss(old.readState());
    const weights = stateDictOf(weightsFromState(prevProgram, prevState));
    const { decision, runtime } = await chooseAndCreate(c.host, program, c.requested);
    const fresh = await runtime.readState();
    const shapes = new Map(program.params.map((q) => [q.key, program.tensors[q.tensor].shape.join('x')]));
    const fits = Object.keys(weights).filter((k) => shapes.get(k) === weights[k].shape.join('x'));
    const carried = Object.fromEntries(fits.map((k) => [k, weights[k]]));
    const dropped = (await runtime.setWeights(carried)).concat(
      Object.keys(weights)
        .filter((k) => !fits.includes(k))
        .map((k) => (shapes.has(k) ? `${k}: shape changed, re-initialised` : `${k}: no longer in the model`)),
    );
    // Same parameters in the same layout (a batch-size change, clipping or penalties toggled): carry the optimizer
    // state too, so the run continues exactly instead of restarting Adam's moments.
    const carriedState = carryOptimizerState(prevProgram, prevState, program, await runtime.readState());
    if (carriedState) await runtime.writeState(carriedState);
    c.initial = { program, state: carryInitial(c.initial, program, fresh) };
    this.recovery.replaceRuntime(runtime);
    c.spec = spec;
    c.program = program;
    c.decision = decision;
    if (!keepHot) c.hot = {};
    else if (Object.keys(c.hot).length > 0) runtime.setHyper(c.hot);
    runtime.seek(prevStep);
    if (fits.length === 0) c.initStep = prevStep;
    c.resetRunState();
    c.emit({ type: 'backend', decision });
    await this.recovery.snapshotNow();
    c.emitProgress();
    await this.grid.push();
    return { ...this.compileResult(), kept: fits, dropped };
  }

  async rewind(): Promise<{ step: number }> {
    const c = this.core;
    c.requireProgram();
    const wasTraining = c.loop !== null;
    await this.loop.pause();
    await c.exclusive(async () => {
      const init = c.initial as InitialState;
      const p = c.program as Program;
      if (p.spec.schedule.type === 'plateau') {
        // The runtime keeps the plateau state privately and seek does not rewind it: start a fresh runtime.
        const fresh = await c.host.create(p, (c.runtime as LiveRuntime).backend);
        this.recovery.replaceRuntime(fresh);
        if (Object.keys(c.hot).length > 0) fresh.setHyper(c.hot);
      }
      const rt = c.runtime as LiveRuntime;
      await c.raceLoss(rt.writeState(init.state));
      rt.seek(0);
      c.initStep = 0;
      c.resetRunState();
      await this.recovery.snapshotNow();
      if (c.status === 'diverged') c.setStatus('idle');
      c.emitProgress();
      await this.grid.push();
    });
    if (wasTraining) this.loop.train();
    return { step: 0 };
  }

  async loadWeights(weights: LoadableWeights): Promise<{ kept: string[]; dropped: string[] }> {
    const c = this.core;
    c.requireProgram();
    return c.exclusive(async () => {
      const rt = c.runtime as LiveRuntime;
      const { dict, malformed } = asStateDict(weights);
      const problems = await c.raceLoss(rt.setWeights(dict));
      c.landscapes.clear();
      const bad = new Set(problems.map((m) => m.slice(0, m.indexOf(':'))));
      const kept = Object.keys(dict).filter((k) => !bad.has(k));
      // The previous snapshot holds the old weights; a divergence should go back to these.
      await this.recovery.snapshotNow();
      c.emitProgress();
      await this.grid.push();
      return { kept, dropped: [...malformed, ...problems] };
    });
  }

  private compileSpec(raw: unknown): { spec: NormalizedSpec; program: Program } {
    const v = this.core.host.validate(raw);
    if (!v.ok) throw new Error(`the spec is invalid: ${v.errors.join('; ')}`);
    return { spec: v.spec, program: this.core.host.compile(v.spec) };
  }

  private compileResult(): CompileResult {
    const c = this.core;
    const p = c.program as Program;
    return {
      backend: (c.runtime as LiveRuntime).backend,
      decision: c.decision as BackendDecision,
      // Trainable values (running statistics are not), tensor by tensor (the params region is padded for alignment).
      parameters: p.params.reduce((n, q) => (q.grad === null ? n : n + p.tensors[q.tensor].size), 0),
      stateBytes: p.arenas.state.size * 4,
      activationBytes: p.arenas.activations.size * 4,
    };
  }
}

/** A recompiled program's initial state: its fresh initialisation with the previous initial weights carried where
 * key and shape match (as recompile carries the current weights), so rewind goes back to a comparable start. */
function carryInitial(prev: InitialState | null, to: Program, fresh: Float32Array): Float32Array {
  const state = fresh.slice();
  if (!prev) return state;
  const from = new Map(prev.program.params.map((q) => [q.key, prev.program.tensors[q.tensor]]));
  for (const q of to.params) {
    const t = to.tensors[q.tensor];
    const f = from.get(q.key);
    if (f && f.shape.join('x') === t.shape.join('x'))
      state.set(prev.state.subarray(f.offset, f.offset + f.size), t.offset);
  }
  return state;
}

/** A StateDict from either travelling form (typed or plain arrays); entries without a shape and data are refused. */
function asStateDict(w: LoadableWeights): { dict: StateDict; malformed: string[] } {
  const dict: StateDict = {};
  const malformed: string[] = [];
  for (const [key, t] of Object.entries(w as Record<string, { shape?: unknown; data?: unknown }>)) {
    const data = t?.data;
    const ok = Array.isArray(t?.shape) && (Array.isArray(data) || data instanceof Float32Array);
    if (!ok) {
      malformed.push(`${key}: needs a shape and data`);
      continue;
    }
    dict[key] = { shape: [...(t.shape as number[])], data: Array.from(data as ArrayLike<number>) };
  }
  return { dict, malformed };
}

/** The new state arena with every parameter, gradient, optimizer-state region and buffer copied from the old one,
 * when both programs have the same parameters (keys and shapes, in order) and the same optimizer; else null. */
export function carryOptimizerState(
  from: Program,
  fromState: Float32Array,
  to: Program,
  toState: Float32Array,
): Float32Array | null {
  const sig = (p: Program) =>
    `${p.spec.optimizer.type}|${p.params.map((q) => `${q.key}:${p.tensors[q.tensor].shape.join('x')}`).join(',')}`;
  if (sig(from) !== sig(to)) return null;
  const out = toState.slice();
  const byName = new Map(from.tensors.filter((t) => t.arena === 'state').map((t) => [t.name, t]));
  for (const t of to.tensors) {
    if (t.arena !== 'state' || t.role === 'scalar') continue;
    const f = byName.get(t.name);
    if (!f || f.size !== t.size) continue;
    out.set(fromState.subarray(f.offset, f.offset + f.size), t.offset);
  }
  return out;
}
