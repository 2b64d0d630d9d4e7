// The landscape CLI as scripts run it: it trains the job as `run` does (the same final weights), writes the
// documented format, and its losses equal a direct eval-mode evaluation over the job's batches at
// center + alphas[j] * d1 + betas[i] * d2; with pca, orthonormal directions, a trajectory and explained variance.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BACKENDS } from '../backends/index';
import { createRuntime } from '../backends/runtime';
import { compile } from '../graph/compile';
import { initialState } from '../graph/init';
import { datasetFromBatches } from '../job/runJob';
import { validateJob } from '../job/validateJob';
import type { StateDict } from '../spec/types';

const root = join(import.meta.dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const jobPath = join(root, 'engine', 'examples', 'xor-batches.job.json');
const cli = (...args: string[]) =>
  spawnSync(tsx, [join(root, 'engine', 'cli.ts'), ...args], { cwd: root, encoding: 'utf8' });

interface Out {
  center: StateDict;
  directions: [StateDict, StateDict];
  alphas: number[];
  betas: number[];
  losses: number[][];
  trajectory?: number[][];
  explained?: [number, number];
}

const flat = (sd: StateDict) => Object.values(sd).flatMap((t) => t.data);

describe('engine CLI: landscape', () => {
  it('random: the trained center, and losses equal direct evaluation over the batches', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ga-landscape-'));
    const out = join(dir, 'l.json');
    const r = cli(
      'landscape',
      jobPath,
      '--grid',
      '11',
      '--range',
      '1',
      '--directions',
      'random',
      '--seed',
      '4',
      '--backend',
      'cpu',
    );
    expect(r.status, r.stderr).toBe(0);
    const l = JSON.parse(r.stdout) as Out;
    const ran = cli('run', jobPath, '--backend', 'cpu', '--out', out);
    expect(ran.status, ran.stderr).toBe(0);
    const weights = JSON.parse(readFileSync(out, 'utf8')).weights as StateDict;
    expect(Object.keys(l.center)).toEqual(Object.keys(weights));
    expect(flat(l.center)).toEqual(flat(weights));
    expect(l.alphas).toHaveLength(11);
    expect(l.losses).toHaveLength(11);
    expect(l.losses[0]).toHaveLength(11);
    expect(l.trajectory).toBeUndefined();
    for (const d of l.directions) expect(Object.keys(d)).toEqual(Object.keys(weights));
    // Biases are 1-D: zero in both directions.
    expect(l.directions[0]['0.bias'].data.every((v) => v === 0)).toBe(true);

    const job = validateJob(JSON.parse(readFileSync(jobPath, 'utf8')));
    if (!job.ok) throw new Error('example job is invalid');
    const program = compile(job.value.spec);
    const batches = job.value.batches ?? [];
    const data = datasetFromBatches(batches, program.inputShape, program.targetShape, program.classes);
    const exec = await BACKENDS.cpu.createExecutor(program);
    const rt = await createRuntime(exec, data, { shuffle: false, initialState: initialState(program) });
    for (const [i, j] of [
      [5, 5],
      [0, 10],
      [7, 2],
    ]) {
      const sd: StateDict = {};
      for (const [k, t] of Object.entries(l.center))
        sd[k] = {
          shape: t.shape,
          data: t.data.map(
            (v, e) => v + l.alphas[j] * l.directions[0][k].data[e] + l.betas[i] * l.directions[1][k].data[e],
          ),
        };
      await rt.setWeights(sd);
      // The mean over the batches of each batch's mean loss (equal batch sizes: the mean over all rows).
      const direct = (await rt.evaluate('train')).loss;
      expect(Math.abs(l.losses[i][j] - direct) / Math.max(direct, 1e-12)).toBeLessThan(1e-5);
    }
    rt.dispose();
  });

  it('pca: orthonormal directions, a trajectory ending at the center, explained variance', () => {
    const r = cli(
      'landscape',
      jobPath,
      '--grid',
      '11',
      '--range',
      '1',
      '--directions',
      'pca',
      '--seed',
      '0',
      '--backend',
      'cpu',
    );
    expect(r.status, r.stderr).toBe(0);
    const l = JSON.parse(r.stdout) as Out;
    const [a, b] = l.directions.map(flat);
    const dot = (x: number[], y: number[]) => x.reduce((s, v, i) => s + v * y[i], 0);
    expect(Math.abs(dot(a, a) - 1)).toBeLessThan(1e-5);
    expect(Math.abs(dot(b, b) - 1)).toBeLessThan(1e-5);
    expect(Math.abs(dot(a, b))).toBeLessThan(1e-5);
    expect(l.trajectory?.length).toBeGreaterThan(3);
    const last = l.trajectory?.at(-1) ?? [1, 1];
    expect(Math.abs(last[0]) + Math.abs(last[1])).toBeLessThan(1e-6);
    const [e1, e2] = l.explained ?? [0, 0];
    expect(e1).toBeGreaterThan(e2);
    expect(e1 + e2).toBeLessThanOrEqual(1 + 1e-9);
    // The grid holds the whole path.
    for (const [x, y] of l.trajectory ?? []) {
      expect(Math.abs(x)).toBeLessThanOrEqual(l.alphas[10]);
      expect(Math.abs(y)).toBeLessThanOrEqual(l.betas[10]);
    }
  });

  it('bad arguments exit 2 with a message', () => {
    const r = cli('landscape', jobPath, '--grid', '5');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/grid must be a whole number from 11 to 81/);
    const d = cli('landscape', jobPath, '--directions', 'sideways');
    expect(d.status).toBe(2);
    expect(d.stderr).toMatch(/directions must be/);
  });
});
