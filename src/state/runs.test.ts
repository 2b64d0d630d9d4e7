import { beforeEach, describe, expect, it } from 'vitest';
import type {
  BackendDecision,
  DivergenceReport,
  EngineEvent,
  GradNormSeries,
  GridFrame,
  MetricsBatch,
} from '../../engine/index';
import { clearHistory, ingestEvent, newRun, pushActivations, removeRun, updateRun, useRuns } from './runs';

const run = (id = 'main') => {
  const r = useRuns.getState().runs[id];
  if (!r) throw new Error(`no run ${id}`);
  return r;
};
const arr = (c: { view(): Float64Array }) => Array.from(c.view());

function batch(from: number, n: number, over: Partial<MetricsBatch> = {}): MetricsBatch {
  const steps = Array.from({ length: n }, (_, i) => from + i);
  return {
    step: new Float64Array(steps),
    loss: new Float32Array(steps.map((s) => 1 / (s + 1))),
    accuracy: new Float32Array(steps.map((s) => s / 100)),
    lr: new Float32Array(steps.map(() => 0.01)),
    samplesPerSecond: 320,
    stepsPerSecond: 10,
    epoch: 1,
    gradNorms: null,
    ...over,
  };
}

function grads(keys: string[], steps: number[], norms: number[]): GradNormSeries {
  return { keys, labels: keys.map((k) => `layer ${k}`), step: new Float64Array(steps), norms: new Float32Array(norms) };
}

const metrics = (m: MetricsBatch, id = 'main'): EngineEvent => ({ type: 'metrics', run: id, metrics: m });
const evaluation = (step: number, loss: number, accuracy: number | null = 0.5, split: 'val' | 'train' = 'val') =>
  ingestEvent({ type: 'evaluation', run: 'main', result: { step, split, loss, accuracy, count: 100 } });

beforeEach(() => {
  useRuns.setState({ runs: {}, download: null }, true);
});

describe('ingestEvent: metrics', () => {
  it('creates the run and appends each batch into the columns', () => {
    expect(ingestEvent(metrics(batch(0, 3)))).toBe(true);
    expect(ingestEvent(metrics(batch(3, 2, { epoch: 2, stepsPerSecond: 20, samplesPerSecond: 640 })))).toBe(true);
    const r = run();
    expect(arr(r.train.step)).toEqual([0, 1, 2, 3, 4]);
    expect(arr(r.train.loss)).toEqual([1, 1 / 2, 1 / 3, 1 / 4, 1 / 5].map(Math.fround));
    expect(arr(r.train.accuracy)).toEqual([0, 0.01, 0.02, 0.03, 0.04].map(Math.fround));
    expect(arr(r.train.lr)).toEqual(Array(5).fill(Math.fround(0.01)));
    expect(r.step).toBe(5);
    expect(r.epoch).toBe(2);
    expect(r.stepsPerSecond).toBe(20);
    expect(r.samplesPerSecond).toBe(640);
    expect(r.version).toBe(2);
  });

  it('leaves accuracy empty for a regression run, and never moves the step back', () => {
    ingestEvent(metrics(batch(10, 2, { accuracy: null })));
    expect(run().train.accuracy.length).toBe(0);
    expect(run().step).toBe(12);
    ingestEvent(metrics(batch(0, 0)));
    expect(run().step).toBe(12);
  });

  it('appends per-layer gradient norms, one column per key', () => {
    ingestEvent(metrics(batch(0, 2, { gradNorms: grads(['0', '2'], [1, 2], [0.1, 0.2, 0.3, 0.4]) })));
    ingestEvent(metrics(batch(2, 2, { gradNorms: grads(['0', '2'], [3], [0.5, 0.6]) })));
    ingestEvent(metrics(batch(4, 1)));
    const g = run().grad;
    expect(g.keys).toEqual(['0', '2']);
    expect(g.labels).toEqual(['layer 0', 'layer 2']);
    expect(arr(g.step)).toEqual([1, 2, 3]);
    expect(g.norms.map(arr)).toEqual([[0.1, 0.3, 0.5].map(Math.fround), [0.2, 0.4, 0.6].map(Math.fround)]);
  });

  it('restarts the per-layer columns when the key set changes (a recompile)', () => {
    ingestEvent(metrics(batch(0, 1, { gradNorms: grads(['0', '2'], [0], [1, 2]) })));
    ingestEvent(metrics(batch(1, 1, { gradNorms: grads(['0', '2', '4'], [1], [3, 4, 5]) })));
    const g = run().grad;
    expect(g.keys).toEqual(['0', '2', '4']);
    expect(arr(g.step)).toEqual([1]);
    expect(g.norms.map(arr)).toEqual([[3], [4], [5]]);
    // An empty key set changes nothing.
    ingestEvent(metrics(batch(2, 1, { gradNorms: grads([], [2], []) })));
    expect(run().grad.keys).toEqual(['0', '2', '4']);
    expect(arr(run().grad.step)).toEqual([1]);
  });

  it('keeps runs apart', () => {
    ingestEvent(metrics(batch(0, 2), 'a'));
    ingestEvent(metrics(batch(0, 5), 'b'));
    expect(run('a').train.step.length).toBe(2);
    expect(run('b').train.step.length).toBe(5);
  });
});

describe('ingestEvent: evaluation', () => {
  it('appends validation results with the epoch they were taken in', () => {
    ingestEvent(metrics(batch(0, 10)));
    expect(evaluation(10, 0.5, 0.8)).toBe(true);
    ingestEvent(metrics(batch(10, 10, { epoch: 3 })));
    expect(evaluation(20, 0.4, null)).toBe(true);
    const r = run();
    expect(arr(r.val.step)).toEqual([10, 20]);
    expect(arr(r.val.loss)).toEqual([0.5, 0.4]);
    expect(r.val.accuracy.view()[0]).toBe(0.8);
    expect(Number.isNaN(r.val.accuracy.view()[1])).toBe(true);
    expect(r.valEpochs).toEqual([1, 3]);
  });

  it('ignores a step that does not increase (a re-evaluation after a pause)', () => {
    ingestEvent(metrics(batch(0, 10)));
    evaluation(10, 0.5);
    evaluation(10, 0.45);
    evaluation(5, 0.3);
    expect(arr(run().val.step)).toEqual([10]);
    expect(arr(run().val.loss)).toEqual([0.5]);
    expect(run().valEpochs).toEqual([1]);
  });

  it('ignores train-split results, and evaluations of unknown runs', () => {
    expect(evaluation(5, 0.3)).toBe(false);
    expect(useRuns.getState().runs.main).toBeUndefined();
    ingestEvent(metrics(batch(0, 10)));
    expect(evaluation(10, 0.5, 0.5, 'train')).toBe(true);
    expect(run().val.step.length).toBe(0);
  });
});

describe('ingestEvent: the other events', () => {
  beforeEach(() => {
    updateRun('main', () => ({}));
  });

  it('progress sets status and counters, but keeps an error status while idle', () => {
    const progress = (state: 'training' | 'idle', step: number) =>
      ingestEvent({
        type: 'progress',
        run: 'main',
        progress: { state, step, epoch: 4, chunk: 8, backend: 'cpu', stepsPerSecond: 33 },
      });
    expect(progress('training', 40)).toBe(true);
    expect(run()).toMatchObject({ status: 'training', step: 40, epoch: 4, stepsPerSecond: 33 });
    updateRun('main', () => ({ status: 'error' }));
    progress('idle', 41);
    expect(run().status).toBe('error');
    expect(run().step).toBe(41);
    progress('training', 42);
    expect(run().status).toBe('training');
  });

  it('diverged stores the report and the status', () => {
    const report: DivergenceReport = {
      step: 7,
      lastFiniteLoss: 2,
      signal: 'loss',
      layer: null,
      cause: 'learning_rate',
      explanation: 'x',
      restoredStep: 5,
      layers: [],
    };
    expect(ingestEvent({ type: 'diverged', run: 'main', report })).toBe(true);
    expect(run().diverged).toEqual(report);
    expect(run().status).toBe('diverged');
  });

  it('grid keeps the latest frame', () => {
    const grid = (step: number): GridFrame => ({
      step,
      resolution: 2,
      xRange: [-1, 1],
      yRange: [-1, 1],
      outputs: 1,
      kind: 'values',
      values: new Float32Array(4),
    });
    ingestEvent({ type: 'grid', run: 'main', grid: grid(1) });
    ingestEvent({ type: 'grid', run: 'main', grid: grid(2) });
    expect(run().grid?.step).toBe(2);
  });

  it('backend stores the decision (only when there is one)', () => {
    const decision: BackendDecision = { backend: 'cpu', requested: 'auto', reason: 'small network' };
    const report = { kind: 'cpu' as const, reason: 'no adapter' };
    expect(ingestEvent({ type: 'backend', run: 'main', report, decision })).toBe(true);
    expect(run().decision).toEqual(decision);
    ingestEvent({ type: 'backend', run: 'main', report });
    expect(run().decision).toEqual(decision);
    // Without a run it is the environment's report, not a run's.
    expect(ingestEvent({ type: 'backend', report })).toBe(false);
  });

  it("error stores the message, and errors without a run are not a run's", () => {
    expect(ingestEvent({ type: 'error', run: 'main', message: 'boom' })).toBe(true);
    expect(run().error).toBe('boom');
    expect(ingestEvent({ type: 'error', message: 'worker' })).toBe(false);
    expect(ingestEvent({ type: 'error', run: 'ghost', message: 'x' })).toBe(false);
    expect(useRuns.getState().runs.ghost).toBeUndefined();
  });

  it('dataProgress goes to the shared download state', () => {
    expect(ingestEvent({ type: 'dataProgress', name: 'mnist', loaded: 5, total: 10, done: false })).toBe(false);
    expect(useRuns.getState().download).toEqual({ loaded: 5, total: 10, done: false });
  });

  it('a reply is not a run event', () => {
    expect(ingestEvent({ type: 'reply', id: 1, ok: true })).toBe(false);
  });
});

describe('clearHistory, removeRun, pushActivations', () => {
  it('clearHistory empties the series and what belonged to the old steps, keeping the run itself', () => {
    ingestEvent(metrics(batch(0, 5, { gradNorms: grads(['0'], [4], [1]) })));
    evaluation(5, 0.5);
    ingestEvent({
      type: 'grid',
      run: 'main',
      grid: {
        step: 5,
        resolution: 1,
        xRange: [0, 1],
        yRange: [0, 1],
        outputs: 1,
        kind: 'values',
        values: new Float32Array(1),
      },
    });
    const decision: BackendDecision = { backend: 'cpu', requested: 'cpu', reason: 'asked' };
    updateRun('main', () => ({ status: 'idle', decision, error: 'old', epoch: 3 }));
    pushActivations('main', { step: 4, layers: [] });
    const before = run();
    clearHistory('main');
    const r = run();
    expect(r.train.step.length + r.train.loss.length + r.train.accuracy.length + r.train.lr.length).toBe(0);
    expect(r.val.step.length + r.val.loss.length + r.val.accuracy.length).toBe(0);
    expect(r.valEpochs).toEqual([]);
    expect(r.grad.keys).toEqual([]);
    expect(r.grad.norms).toEqual([]);
    expect(r.activations).toEqual([]);
    expect(r).toMatchObject({ step: 0, epoch: 0, grid: null, diverged: null, error: null, weights: null });
    expect(r.status).toBe('idle');
    expect(r.decision).toEqual(decision);
    expect(r.version).toBe(before.version + 1);
    // The old columns are new objects: a chart holding the old views is not written into.
    expect(r.train.step).not.toBe(before.train.step);
    ingestEvent(metrics(batch(0, 2)));
    expect(arr(run().train.step)).toEqual([0, 1]);
    expect(before.train.step.length).toBe(5);
  });

  it('removeRun forgets a run; newRun starts compiling with empty series', () => {
    ingestEvent(metrics(batch(0, 1), 'a'));
    removeRun('a');
    expect(useRuns.getState().runs.a).toBeUndefined();
    const n = newRun('x');
    expect(n).toMatchObject({ id: 'x', status: 'compiling', step: 0, version: 0, error: null });
    expect(n.train.step.length).toBe(0);
  });

  it('pushActivations thins old snapshots but keeps the first and the latest', () => {
    updateRun('main', () => ({}));
    for (let s = 0; s < 500; s++) pushActivations('main', { step: s, layers: [] });
    const steps = run().activations.map((a) => a.step);
    expect(steps.length).toBeLessThanOrEqual(120);
    expect(steps[0]).toBe(0);
    expect(steps.at(-1)).toBe(499);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
  });
});
