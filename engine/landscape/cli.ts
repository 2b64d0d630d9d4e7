// `npm run -s engine -- landscape <job.json> --grid N --range R --directions random|pca --seed S --out l.json`
// [--backend cpu|webgpu|auto] [--split train|val]: trains the job's `steps` from its `initialWeights` on its `batches`
// (as `run` does; the weight trajectory is recorded for PCA), then writes
// `{ center, directions: [d1, d2], alphas, betas, losses, trajectory?, explained?, backend, ... }`: center and
// directions as state dicts over the job's keys, losses[i][j] the eval-mode mean loss over the job's batches (the
// training rows; `--split val` for a spec's validation split) at center + alphas[j] * d1 + betas[i] * d2.
// Exit codes as `run`: 2 for a bad job or argument, 3 for an unavailable backend.

import type { BackendName } from '../backends/backend';
import { createRuntime } from '../backends/runtime';
import type { Dataset } from '../data/dataset';
import { loadDataset } from '../data/load';
import { hotFromSpec } from '../graph/hypers';
import { initialState } from '../graph/init';
import { openJob, writeResult } from '../job/command';
import { datasetFromBatches } from '../job/runJob';
import { nodeDataSources } from '../node/mnist';
import { checkLandscapeRequest, computeLandscape } from './compute';
import { paramRegion, regionToStateDict } from './directions';
import { planeOpener } from './open';
import { TrajectoryRecorder } from './trajectory';
import type { LandscapeRequest } from './types';

const USAGE =
  'usage: npm run engine -- landscape <job.json> --grid N --range R --directions random|pca --seed S --out l.json [--backend cpu|webgpu|auto] [--split train|val]';

interface Args {
  job: string;
  request: LandscapeRequest;
  backend: BackendName | 'auto';
  out: string | null;
}

function parseArgs(argv: string[]): Args | string {
  let job: string | null = null;
  const raw: Record<string, unknown> = { grid: 21, range: 1, directions: 'random', seed: 0, split: 'train' };
  let backend: Args['backend'] = 'auto';
  let out: string | null = null;
  const numeric = new Set(['grid', 'range', 'seed']);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      if (job !== null) return `unexpected argument ${a}\n${USAGE}`;
      job = a;
      continue;
    }
    const name = a.slice(2);
    const v = argv[++i];
    if (v === undefined) return `${a} needs a value\n${USAGE}`;
    if (name === 'out') out = v;
    else if (name === 'backend') {
      if (v !== 'cpu' && v !== 'webgpu' && v !== 'auto') return `--backend must be cpu, webgpu or auto\n${USAGE}`;
      backend = v;
    } else if (numeric.has(name)) {
      const n = Number(v);
      if (v.trim() === '' || !Number.isFinite(n)) return `${a} must be a number, not "${v}"\n${USAGE}`;
      raw[name] = n;
    } else if (name === 'directions' || name === 'split') raw[name] = v;
    else return `unknown option ${a}\n${USAGE}`;
  }
  if (job === null) return `missing <job.json>\n${USAGE}`;
  const request = checkLandscapeRequest(raw);
  if (typeof request === 'string') return `${request}\n${USAGE}`;
  return { job, request, backend, out };
}

const nested = (v: Float32Array, n: number): number[][] =>
  Array.from({ length: v.length / n }, (_, i) => Array.from(v.subarray(i * n, (i + 1) * n)));

export async function landscapeCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(`${args}\n`);
    return 2;
  }
  const opened = await openJob(args.job, args.backend);
  if (!opened.ok) return opened.exitCode;
  const { job, program, factory } = opened;
  let data: Dataset;
  if (job.batches !== null)
    data = datasetFromBatches(job.batches, program.inputShape, program.targetShape, program.classes);
  else if (job.spec.data !== null) data = await loadDataset(job.spec, nodeDataSources);
  else {
    process.stderr.write('the job needs batches or spec.data\n');
    return 2;
  }
  const split = data[args.request.split];
  if (split.count === 0) {
    process.stderr.write(`the job has no ${args.request.split} rows to evaluate the landscape on\n`);
    return 2;
  }
  const rt = await createRuntime(await factory.createExecutor(program), data, {
    shuffle: job.batches === null,
    initialState: initialState(program),
  });
  try {
    if (job.initialWeights !== null) {
      const problems = await rt.setWeights(job.initialWeights);
      if (problems.length > 0) {
        process.stderr.write(`initialWeights: ${problems.join('; ')}\n`);
        return 2;
      }
    }
    // The trajectory: the start, then every `every` steps, and the final weights.
    const trajectory = new TrajectoryRecorder();
    const every = Math.max(1, Math.ceil(job.steps / 100));
    trajectory.record(0, paramRegion(program, await rt.readState()));
    for (let done = 0; done < job.steps; ) {
      const k = Math.min(every, job.steps - done);
      await rt.trainSteps(k);
      done += k;
      trajectory.record(done, paramRegion(program, await rt.readState()));
    }
    const state = await rt.readState();
    const r = await computeLandscape(args.request, {
      program,
      state,
      step: job.steps,
      split,
      smoothing: hotFromSpec(job.spec).labelSmoothing,
      trajectory: { snapshots: trajectory.snapshots, steps: trajectory.steps },
      open: planeOpener((p) => factory.createExecutor(p)),
    });
    const n = r.grid;
    const result: Record<string, unknown> = {
      center: regionToStateDict(program, r.plane.center, state),
      directions: [regionToStateDict(program, r.plane.d1, null), regionToStateDict(program, r.plane.d2, null)],
      alphas: Array.from(r.alphas),
      betas: Array.from(r.betas),
      losses: nested(r.losses, n),
      centerLoss: r.centerLoss,
      backend: r.backend,
      split: r.split,
      seconds: r.seconds,
    };
    if (r.trajectory) {
      result.trajectory = nested(r.trajectory, 2);
      result.trajectorySteps = Array.from(r.trajectorySteps ?? []);
    }
    if (r.explained) result.explained = r.explained;
    writeResult(
      args.out,
      result,
      () =>
        `${n}x${n} landscape (${r.directions}) on ${r.backend} in ${r.seconds.toFixed(3)} s, center loss ${r.centerLoss}`,
    );
    return 0;
  } finally {
    rt.dispose();
  }
}
