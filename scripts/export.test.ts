// The PyTorch export end to end: six jobs exported by the CLI (`engine export`), each train.py run for 50 steps by
// Debian's python3-torch, its per-step losses against the engine's own run of the job (`runJob` on the CPU, what
// `engine run` does) within 1e-4 relative; and one export under `torchrun --nproc_per_node=2` (gloo, CPU) against
// its single-process run. Dropout stays on: train.py draws the Lab's masks from the same counter RNG.
// Needs /usr/bin/python3 with torch (scripts/test.sh installs python3-torch); without it the test fails under CI.

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cpuBackend } from '../engine/backends/cpu/index';
import { runJob } from '../engine/job/runJob';
import type { Job } from '../engine/job/types';
import { validateJob } from '../engine/job/validateJob';
import type { ExperimentSpec, LayerSpec } from '../engine/spec/types';

const PYTHON = '/usr/bin/python3';
const STEPS = 50;
const root = join(import.meta.dirname, '..');
const torchOk = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;

const dense = (units: number, extra: Partial<LayerSpec> = {}): LayerSpec =>
  ({ type: 'dense', units, ...extra }) as LayerSpec;
const act = (type: string, extra: Record<string, unknown> = {}): LayerSpec => ({ type, ...extra }) as LayerSpec;

const CASES: Record<string, ExperimentSpec> = {
  // The dense bias before BatchNorm is left out: its true gradient is zero, so its value is float noise.
  spiral_batchnorm_dropout: {
    data: { kind: 'spiral', points: 400, noise: 0.1, valFraction: 0.2, seed: 3, classes: 3 },
    model: {
      input: [2],
      layers: [dense(24, { bias: false }), act('batchnorm'), act('relu'), act('dropout', { rate: 0.2 }), dense(3)],
    },
    loss: { type: 'cross_entropy' },
    optimizer: { type: 'adam', lr: 0.01 },
    training: { batchSize: 32, seed: 7 },
  },
  adamw_cosine_warmup: {
    data: { kind: 'moons', points: 300, noise: 0.1, seed: 2, features: ['x1', 'x2', 'x1x2', 'sinx1'] },
    model: {
      input: [4],
      layers: [
        dense(16),
        act('gelu'),
        act('dropout', { rate: 0.1 }),
        dense(16),
        act('layernorm'),
        act('tanh'),
        dense(2),
      ],
    },
    loss: { type: 'cross_entropy', labelSmoothing: 0.1 },
    optimizer: { type: 'adamw', lr: 0.02, betas: [0.85, 0.99], weightDecay: 0.05 },
    schedule: { type: 'cosine', totalSteps: 60, warmupSteps: 8, minLr: 0.001 },
    training: { batchSize: 16, seed: 11 },
  },
  residual_net: {
    data: { kind: 'circle', points: 300, noise: 0.05, seed: 5 },
    model: {
      input: [2],
      layers: [
        dense(12),
        act('relu'),
        { type: 'residual', layers: [dense(12), act('tanh'), dense(12)] },
        { type: 'residual', layers: [dense(12), act('elu', { alpha: 0.5 }), dense(12)] },
        act('relu'),
        dense(1),
      ],
    },
    loss: { type: 'bce_logits' },
    optimizer: { type: 'rmsprop', lr: 0.005, momentum: 0.5 },
    schedule: { type: 'step', stepSize: 20, gamma: 0.5 },
    training: { batchSize: 20, seed: 4 },
  },
  mnist_cnn: {
    data: { kind: 'mnist', points: 600, valFraction: 0.2 },
    model: {
      input: [1, 28, 28],
      layers: [
        { type: 'conv2d', filters: 4, kernel: 3, padding: 1 },
        act('relu'),
        { type: 'maxpool2d', kernel: 2 },
        { type: 'conv2d', filters: 6, kernel: 3, stride: 2 },
        act('relu'),
        act('flatten'),
        dense(10),
      ],
    },
    loss: { type: 'cross_entropy' },
    optimizer: { type: 'adam', lr: 0.003 },
    training: { batchSize: 16, seed: 1 },
  },
  l1_l2_clipping: {
    data: { kind: 'xor', points: 200, noise: 0.05, seed: 9 },
    model: { input: [2], layers: [dense(10), act('leaky_relu', { slope: 0.1 }), dense(10), act('silu'), dense(1)] },
    loss: { type: 'mse' },
    optimizer: { type: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 0.001 },
    regularization: { l1: 0.001, l2: 0.005, clipGradNorm: 0.5, clipGradValue: 0.05 },
    training: { batchSize: 20, seed: 2 },
  },
  sgd_nesterov_onecycle: {
    data: { kind: 'blobs', points: 300, noise: 0.1, seed: 6, classes: 4 },
    model: { input: [2], layers: [dense(16), act('softplus'), dense(16), act('sigmoid'), dense(4)] },
    loss: { type: 'cross_entropy' },
    optimizer: { type: 'sgd', lr: 0.05, momentum: 0.9, nesterov: true },
    schedule: { type: 'onecycle', maxLr: 0.5, totalSteps: 50, pctStart: 0.3 },
    training: { batchSize: 24, seed: 8 },
  },
};

/** Imports each project's train.py and compares its generator port (`--generate`) with the rows it ships. */
const CHECK_GENERATORS = `
import importlib.util, json, os, sys
out = {}
for d in sys.argv[2:]:
    spec = importlib.util.spec_from_file_location('train_' + os.path.basename(d), os.path.join(d, 'train.py'))
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    shipped, made = m.load_data(os.path.join(d, m.DATA['file'])), m.make_toy_data()
    same = all(a.shape == b.shape for a, b in zip(shipped, made))
    out[d] = max(float((a.double() - b.double()).abs().max()) for a, b in zip(shipped, made) if a.numel()) if same else -1
json.dump(out, open(sys.argv[1], 'w'))
`;

/** The engine's losses for a job, as `engine run --backend cpu` computes them. */
async function engineLosses(job: Job): Promise<number[]> {
  const checked = validateJob(job);
  if (!checked.ok) throw new Error(checked.errors.map((e) => e.message).join('; '));
  return (await runJob(checked.value, cpuBackend)).losses;
}

/** `engine export`; with `train`, the CLI also runs the job for final_state.json and lab_losses.json. */
async function exportJob(job: Job, dir: string, train: boolean): Promise<void> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'job.json'), JSON.stringify(job));
  const cli = [join(root, 'engine', 'cli.ts'), 'export', join(dir, 'job.json'), '--out', join(dir, 'project')];
  const r = await run(join(root, 'node_modules', '.bin', 'tsx'), train ? cli : [...cli, '--no-train'], root);
  if (r.code !== 0) throw new Error(`export failed (${r.code}): ${r.out}`);
}

/** Runs a command to completion (in parallel with others), resolving with its stderr. */
function run(cmd: string, args: string[], cwd: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', CUDA_VISIBLE_DEVICES: '' };
    const child: ChildProcess = spawn(cmd, args, { cwd, env });
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
    });
    child.stderr?.on('data', (d) => {
      out += d;
    });
    child.on('close', (code) => resolve({ code, out }));
  });
}

const maxRel = (a: number[], b: number[]): number =>
  Math.max(...a.map((x, i) => Math.abs(x - b[i]) / Math.max(Math.abs(b[i]), 1e-12)));

describe('PyTorch export', () => {
  it('finds python3-torch', () => {
    if (!torchOk && process.env.CI === 'true')
      throw new Error(
        `${PYTHON} cannot import torch: install Debian's python3-torch (apt-get install -y python3-torch)`,
      );
    if (!torchOk) console.warn('export test skipped: /usr/bin/python3 has no torch (apt-get install python3-torch)');
  });

  it('refuses a bad job with the validation message and exit code 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ga-export-bad-'));
    const bad = { spec: { ...CASES.residual_net, optimizer: { type: 'sgd' } }, steps: 5 };
    writeFileSync(join(dir, 'job.json'), JSON.stringify(bad));
    const cli = [join(root, 'engine', 'cli.ts'), 'export', join(dir, 'job.json'), '--out', join(dir, 'out')];
    const r = await run(join(root, 'node_modules', '.bin', 'tsx'), cli, root);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/spec\.optimizer\.lr/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
    const usage = await run(join(root, 'node_modules', '.bin', 'tsx'), cli.slice(0, 3), root);
    expect(usage.code).toBe(2);
    expect(usage.out).toMatch(/missing --out DIR/);
  });

  it.skipIf(!torchOk)(
    `six exported train.py files match the engine over ${STEPS} steps, and torchrun x2 matches one process`,
    async () => {
      const base = mkdtempSync(join(tmpdir(), 'ga-export-'));
      const jobs = Object.entries(CASES).map(([name, spec]) => ({ name, job: { spec, steps: STEPS } as Job }));
      const trained = 'residual_net';
      await Promise.all(jobs.map(({ name, job }) => exportJob(job, join(base, name), name === trained)));
      const project = (name: string) => join(base, name, 'project');
      const py = (name: string, log: string) =>
        run(PYTHON, [join(project(name), 'train.py'), '--steps', String(STEPS), '--log', log, '--device', 'cpu'], base);
      const ddpCase = 'adamw_cosine_warmup';
      const ddpLog = join(base, 'ddp.json');
      const runs = [
        ...jobs.map(({ name }) => py(name, join(base, `${name}.json`))),
        run(
          PYTHON,
          [
            '-m',
            'torch.distributed.run',
            '--standalone',
            '--nproc_per_node=2',
            // Debian 12's torch 1.13 under Python 3.11 parses the default "0" of these as None and crashes.
            '--redirects=1',
            '--tee=1',
            join(project(ddpCase), 'train.py'),
            '--steps',
            String(STEPS),
            '--log',
            ddpLog,
            '--device',
            'cpu',
          ],
          base,
        ),
      ];
      const toys = jobs.filter(({ job }) => job.spec.data?.kind !== 'mnist').map(({ name }) => project(name));
      const genLog = join(base, 'generators.json');
      runs.push(run(PYTHON, ['-c', CHECK_GENERATORS, genLog, ...toys], base));
      // Dropout off as well: train.py --no-dropout against the engine at rate 0.
      const offCase = 'spiral_batchnorm_dropout';
      const offLog = join(base, 'no-dropout.json');
      runs.push(
        run(
          PYTHON,
          [
            join(project(offCase), 'train.py'),
            '--steps',
            String(STEPS),
            '--log',
            offLog,
            '--device',
            'cpu',
            '--no-dropout',
          ],
          base,
        ),
      );
      const offSpec = structuredClone(CASES[offCase]);
      for (const l of offSpec.model.layers) if (l.type === 'dropout') l.rate = 0;
      const offExpected = engineLosses({ spec: offSpec, steps: STEPS });
      const expected = await Promise.all(jobs.map(({ job }) => engineLosses(job)));
      const results = await Promise.all(runs);
      results.forEach((r, i) => {
        expect(r.code, `${jobs[i]?.name ?? ['torchrun', 'generators', 'no dropout'][i - jobs.length]}: ${r.out}`).toBe(
          0,
        );
      });
      const report: string[] = [];
      jobs.forEach(({ name }, i) => {
        const losses = JSON.parse(readFileSync(join(base, `${name}.json`), 'utf8')) as number[];
        expect(losses, name).toHaveLength(STEPS);
        const err = maxRel(losses, expected[i]);
        report.push(`${name}: max relative loss error ${err.toExponential(2)}`);
        expect(err, name).toBeLessThan(1e-4);
      });
      const offErr = maxRel(JSON.parse(readFileSync(offLog, 'utf8')) as number[], await offExpected);
      report.push(
        `${offCase} with dropout off (--no-dropout vs rate 0): max relative loss error ${offErr.toExponential(2)}`,
      );
      expect(offErr).toBeLessThan(1e-4);
      const single = JSON.parse(readFileSync(join(base, `${ddpCase}.json`), 'utf8')) as number[];
      const ddp = JSON.parse(readFileSync(ddpLog, 'utf8')) as number[];
      expect(ddp).toHaveLength(STEPS);
      const ddpErr = maxRel(ddp, single);
      report.push(`torchrun x2 (${ddpCase}) vs one process: max relative loss difference ${ddpErr.toExponential(2)}`);
      expect(ddpErr).toBeLessThan(1e-4);
      // train.py --generate makes the very rows the export ships (spiral, moons, circle, xor, blobs).
      const generated = JSON.parse(readFileSync(genLog, 'utf8')) as Record<string, number>;
      expect(Object.keys(generated)).toHaveLength(toys.length);
      report.push(`generator ports: max abs difference ${Math.max(...Object.values(generated))}`);
      for (const [dir, diff] of Object.entries(generated)) expect(diff, dir).toBe(0);
      // The project holds what the README promises; the CLI's own run gives the engine's losses.
      for (const f of ['train.py', 'README.md', 'spec.json', 'initial_state.json', 'final_state.json', 'data.bin'])
        expect(existsSync(join(project(trained), f)), f).toBe(true);
      const labLosses = JSON.parse(readFileSync(join(project(trained), 'lab_losses.json'), 'utf8'));
      expect(labLosses).toEqual(expected[jobs.findIndex((j) => j.name === trained)]);
      expect(existsSync(join(project('mnist_cnn'), 'mnist.bin'))).toBe(true);
      console.log(report.join('\n'));
    },
    300_000,
  );
});
