// Drives the Lab's runs in the engine worker: compiles A (and B, from A's initial weights, in compare mode), turns
// every edit into the cheapest change that keeps the training going (setHyper or a weight-keeping recompile), plays,
// pauses, steps, rewinds and resets, and asks for the inspections the visible panels need at a low rate. The worker
// pushes metrics and decision-boundary grids itself; nothing here polls per frame.
//
// Requests for one run go through one promise chain, so an edit made while a compile is still running applies after
// it, in order, against the spec the worker actually has.
import {
  type BackendRequest,
  constraintViolations,
  type EngineClient,
  type Goal,
  type GradeResult,
  judge,
  type NormalizedSpec,
  type RunId,
  type SpecSection,
} from '../../../engine/index';
import { startEngine } from '../../state/engine';
import { clearHistory, ingestEvent, pushActivations, removeRun, updateRun, useRuns } from '../../state/runs';
import { taskOf } from './catalog';
import { changeBetween } from './changes';

export const RUN_A: RunId = 'A';
export const RUN_B: RunId = 'B';

/** The plane the decision boundary covers (the toys span about [-1, 1], noise adds a margin). */
export const PLANE: [number, number] = [-1.5, 1.5];
export const GRID_RESOLUTION = 72;

export interface InspectionNeeds {
  activations: boolean;
  weightStats: boolean;
  /** Raw weights (network diagram, MNIST first layer). */
  weights: boolean;
  neurons: boolean;
  predictions: boolean;
}

interface Tracked {
  spec: NormalizedSpec;
  /** Bumped by every fresh compile and rewind: an inspection answered for an older generation is dropped. */
  generation: number;
  chain: Promise<unknown>;
  /** When each inspection was last asked for, and whether one is in flight. */
  last: Record<keyof InspectionNeeds, number>;
  busy: boolean;
  lastPredictedVal: number;
}

let unsubscribe: (() => void) | null = null;
const tracked = new Map<RunId, Tracked>();

function client(): EngineClient {
  const c = startEngine();
  if (!c) throw new Error('the engine worker could not be started');
  if (!unsubscribe) unsubscribe = c.subscribe((e) => void ingestEvent(e));
  return c;
}

function enqueue<T>(run: RunId, work: () => Promise<T>): Promise<T> {
  const t = tracked.get(run);
  if (!t) return work();
  const next = t.chain.then(work, work);
  t.chain = next.catch(() => undefined);
  return next;
}

function fail(run: RunId, e: unknown): void {
  updateRun(run, () => ({ status: 'error', error: e instanceof Error ? e.message : String(e) }));
}

const is2d = (spec: NormalizedSpec) => spec.model.input.length === 1 && taskOf(spec) !== 'mnist';

async function afterCompile(run: RunId, spec: NormalizedSpec): Promise<void> {
  const c = client();
  const data = await c.request({ type: 'dataset', run, maxRows: 2000 });
  updateRun(run, () => ({ data }));
  if (is2d(spec))
    await c.request({ type: 'watchGrid', run, grid: { xRange: PLANE, yRange: PLANE, resolution: GRID_RESOLUTION } });
  else await c.request({ type: 'watchGrid', run, grid: null });
}

/** A fresh run: new session state, series cleared, step 0. `alignWith` starts it from another run's weights.
 * `backend`: 'auto' (measured) unless the caller knows better (the concept pages' mini-lab trains on the CPU). */
export function compileRun(
  run: RunId,
  spec: NormalizedSpec,
  alignWith?: RunId,
  backend: BackendRequest = 'auto',
): Promise<void> {
  const c = client();
  const prev = tracked.get(run);
  const t: Tracked = {
    spec,
    generation: (prev?.generation ?? 0) + 1,
    chain: prev?.chain ?? Promise.resolve(),
    last: { activations: 0, weightStats: 0, weights: 0, neurons: 0, predictions: 0 },
    busy: false,
    lastPredictedVal: -1,
  };
  tracked.set(run, t);
  clearHistory(run);
  updateRun(run, () => ({ status: 'compiling', compiled: null, data: null }));
  const partner = alignWith ? tracked.get(alignWith) : undefined;
  return enqueue(run, async () => {
    try {
      // Aligning copies the partner's initial weights: wait until the partner has been compiled.
      if (partner) await partner.chain;
      // A compared run trains on its partner's backend: the same arithmetic, so equal settings give equal curves.
      const partnerBackend = alignWith ? useRuns.getState().runs[alignWith]?.compiled?.backend : undefined;
      const compiled = await c.request({ type: 'compile', run, spec, backend: partnerBackend ?? backend, alignWith });
      updateRun(run, (r) => ({ compiled, status: r.status === 'compiling' ? 'idle' : r.status }));
      await afterCompile(run, spec);
    } catch (e) {
      fail(run, e);
    }
  });
}

/** Moves a compiled run to `next` without restarting it (or compiles it fresh when the task changed). */
export function applySpec(run: RunId, next: NormalizedSpec): Promise<void> {
  const t = tracked.get(run);
  if (!t) return compileRun(run, next);
  // A new task or input rank (MLP <-> CNN), or a new seed (new initial weights: the Lab's reset), is a fresh run.
  if (
    taskOf(t.spec) !== taskOf(next) ||
    t.spec.model.input.length !== next.model.input.length ||
    t.spec.training.seed !== next.training.seed
  )
    return compileRun(run, next, run === RUN_B && tracked.has(RUN_A) ? RUN_A : undefined);
  const change = changeBetween(t.spec, next);
  const dataChanged = JSON.stringify(t.spec.data) !== JSON.stringify(next.data);
  t.spec = next;
  if (change.kind === 'none') return Promise.resolve();
  const c = client();
  return enqueue(run, async () => {
    try {
      if (change.kind === 'hot') await c.request({ type: 'setHyper', run, hyper: change.hyper });
      else {
        const compiled = await c.request({ type: 'recompile', run, spec: next });
        updateRun(run, () => ({ compiled, diverged: null, error: null }));
        if (dataChanged) await afterCompile(run, next);
      }
    } catch (e) {
      fail(run, e);
    }
  });
}

export function compiledSpec(run: RunId): NormalizedSpec | null {
  return tracked.get(run)?.spec ?? null;
}

export function play(runs: RunId[]): void {
  const c = client();
  for (const run of runs)
    void enqueue(run, async () => {
      updateRun(run, () => ({ diverged: null }));
      await c.request({ type: 'train', run });
    }).catch((e) => fail(run, e));
}

export function pause(runs: RunId[]): Promise<unknown> {
  const c = client();
  return Promise.all(
    runs.map((run) => enqueue(run, () => c.request({ type: 'pause', run })).catch((e) => fail(run, e))),
  );
}

export function stepRuns(runs: RunId[], n = 1): void {
  const c = client();
  for (const run of runs)
    void enqueue(run, async () => {
      updateRun(run, () => ({ diverged: null }));
      await c.request({ type: 'step', run, n });
    }).catch((e) => fail(run, e));
}

/** Back to the exact initial weights: the same first batches and the same losses follow. */
export function rewind(runs: RunId[]): void {
  const c = client();
  for (const run of runs)
    void enqueue(run, async () => {
      const t = tracked.get(run);
      if (t) t.generation++;
      clearHistory(run);
      await c.request({ type: 'rewind', run });
    }).catch((e) => fail(run, e));
}

export function disposeRun(run: RunId): void {
  const t = tracked.get(run);
  if (!t) return;
  tracked.delete(run);
  const c = client();
  void t.chain.then(() => c.request({ type: 'dispose', run })).catch(() => undefined);
  removeRun(run);
}

// ------------------------------------------------------------------------------------------------ inspections

const INTERVAL_MS: Record<keyof InspectionNeeds, number> = {
  activations: 1500,
  weightStats: 2000,
  weights: 800,
  neurons: 1500,
  predictions: 0,
};

/** One tick of the inspection schedule (the Lab calls it a few times a second): at most one request in flight per
 * run, each kind at its own low rate, only while the run is changing. */
export function inspectTick(run: RunId, needs: InspectionNeeds, now = performance.now()): void {
  const t = tracked.get(run);
  const view = useRuns.getState().runs[run];
  if (!t || !view || t.busy || view.compiled === null) return;
  const active = view.status === 'training' || view.status === 'stepping';
  const c = client();
  const mnist = taskOf(t.spec) === 'mnist';
  const due = (k: keyof InspectionNeeds, stale: boolean) =>
    needs[k] && (stale || (active && now - t.last[k] >= INTERVAL_MS[k] * (mnist ? 2 : 1)));

  const generation = t.generation;
  /** Stores an inspection's answer unless the run was recompiled fresh or rewound meanwhile. */
  const store = (f: () => void) => {
    if (tracked.get(run)?.generation === generation) f();
  };
  let job: (() => Promise<void>) | null = null;
  const valStep = view.val.step.last() ?? -1;
  if (needs.predictions && mnist && valStep > t.lastPredictedVal) {
    t.lastPredictedVal = valStep;
    job = async () => {
      const predictions = await c.request({ type: 'predictions', run, split: 'val' });
      store(() => updateRun(run, () => ({ predictions })));
    };
  } else if (due('weights', view.weights === null || (view.weights.step !== view.step && !active))) {
    t.last.weights = now;
    job = async () => {
      const weights = await c.request({ type: 'snapshot', run });
      store(() => updateRun(run, () => ({ weights })));
    };
  } else if (
    due('activations', view.activations.length === 0 || (!active && view.activations.at(-1)?.step !== view.step))
  ) {
    t.last.activations = now;
    job = async () => {
      const r = await c.request({
        type: 'inspect',
        run,
        request: { what: 'activations', bins: 32, rows: mnist ? 256 : 1024 },
      });
      if (r.what === 'activations') store(() => pushActivations(run, { step: r.step, layers: r.layers }));
    };
  } else if (due('weightStats', view.weightStats === null)) {
    t.last.weightStats = now;
    job = async () => {
      const r = await c.request({ type: 'inspect', run, request: { what: 'weights', bins: 32 } });
      if (r.what === 'weights') store(() => updateRun(run, () => ({ weightStats: r.layers })));
    };
  } else if (due('neurons', view.neurons === null || (!active && view.neurons.step !== view.step))) {
    t.last.neurons = now;
    job = async () => {
      const r = await c.request({
        type: 'inspect',
        run,
        request: { what: 'neurons', xRange: PLANE, yRange: PLANE, resolution: 24 },
      });
      if (r.what === 'neurons')
        store(() => updateRun(run, () => ({ neurons: { step: r.step, resolution: r.resolution, layers: r.layers } })));
    };
  }
  if (!job) return;
  t.busy = true;
  const work = job;
  // Not through the run's chain: the session serialises runtime use itself, and a slow inspection must never hold
  // up a pause or an edit the learner makes meanwhile.
  void work()
    .catch(() => undefined) // an inspection failing (e.g. mid-recompile) is retried on a later tick
    .finally(() => {
      t.busy = false;
    });
}

// ------------------------------------------------------------------------------------------------ grading

export const GRADE_RUN: RunId = 'grade';
/** The training loss a goal judges is the mean of the last steps' losses (one batch's loss is noisy). */
const TRAIN_LOSS_WINDOW = 50;

export interface GradeProgress {
  step: number;
  total: number;
}

let gradeCancelled = false;

/** Grades a practice attempt in the worker, as the headless grader does: the constraints first, then `goal.steps`
 * steps of the learner's spec with its own seed on the CPU backend (the same arithmetic as the Node test of every
 * problem), an evaluation, and the judgement. Never throws: a failure is a failing result that says why. */
export async function gradeAttempt(
  start: NormalizedSpec,
  learner: NormalizedSpec,
  goal: Goal,
  fixed: SpecSection[],
  onProgress: (p: GradeProgress) => void,
): Promise<GradeResult> {
  const violations = constraintViolations(start, learner, { fixed });
  const fail = (message: string, steps = 0): GradeResult => ({
    pass: false,
    metric: null,
    goal,
    violations,
    steps,
    message,
  });
  if (violations.length > 0) return fail(`Not graded: ${violations.join(' ')}`);
  const c = client();
  gradeCancelled = false;
  clearHistory(GRADE_RUN);
  const off = c.subscribe((e) => {
    if (e.type === 'progress' && e.run === GRADE_RUN) onProgress({ step: e.progress.step, total: goal.steps });
  });
  try {
    await c.request({ type: 'compile', run: GRADE_RUN, spec: learner, backend: 'cpu' });
    onProgress({ step: 0, total: goal.steps });
    const { step } = await c.request({ type: 'step', run: GRADE_RUN, n: goal.steps });
    if (gradeCancelled) return fail('Grading was cancelled.', step);
    const diverged = useRuns.getState().runs[GRADE_RUN]?.diverged;
    if (step < goal.steps && diverged)
      return fail(
        `The training diverged at step ${diverged.step.toLocaleString('en-US')}: ${diverged.explanation}`,
        step,
      );
    const ev = await c.request({ type: 'evaluate', run: GRADE_RUN, split: 'val' });
    const losses = useRuns.getState().runs[GRADE_RUN]?.train.loss.view() ?? new Float64Array(0);
    const tail = losses.subarray(Math.max(0, losses.length - TRAIN_LOSS_WINDOW));
    const trainLoss = tail.length > 0 ? tail.reduce((a, b) => a + b, 0) / tail.length : null;
    const judged = judge(goal, {
      valAccuracy: ev.count > 0 ? ev.accuracy : null,
      valLoss: ev.count > 0 ? ev.loss : null,
      trainLoss,
    });
    return { ...judged, goal, violations, steps: step };
  } catch (e) {
    return fail(`Grading stopped: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    off();
    void c.request({ type: 'dispose', run: GRADE_RUN }).catch(() => undefined);
  }
}

export function cancelGrading(): void {
  gradeCancelled = true;
  void client()
    .request({ type: 'cancel', run: GRADE_RUN })
    .catch(() => undefined);
}
