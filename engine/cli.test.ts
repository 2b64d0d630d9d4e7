// The CLI as a user runs it: a good job writes the result format; a bad job exits non-zero with the validation
// message on stderr.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { webgpuBackend } from './backends/webgpu/index';
import { requireGpuInCi } from './testing/gpuGate';

const gpu = await webgpuBackend.available();
requireGpuInCi(gpu, 'cli.test.ts');

const root = join(import.meta.dirname, '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const run = (...args: string[]) =>
  spawnSync(tsx, [join(root, 'engine', 'cli.ts'), ...args], { cwd: root, encoding: 'utf8' });

describe('engine CLI', () => {
  it('runs a job with batches on cpu and writes the result', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'ga-cli-')), 'result.json');
    const r = run('run', join(root, 'engine', 'examples', 'xor-batches.job.json'), '--backend', 'cpu', '--out', out);
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(readFileSync(out, 'utf8'));
    expect(result.backend).toBe('cpu');
    expect(result.losses).toHaveLength(500);
    expect(result.losses[499]).toBeLessThan(result.losses[0]);
    expect(Object.keys(result.weights)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect(result.weights['0.weight'].shape).toEqual([4, 2]);
    expect(result.trainSeconds).toBeGreaterThan(0);
    expect(result.metrics.steps).toBe(500);
    // auto (the default) decides as the live session does: this 2-4-1 network is too small for GPU dispatches (or
    // WebGPU is missing); the reason goes to stderr. The run is deterministic.
    const again = join(mkdtempSync(join(tmpdir(), 'ga-cli-')), 'result.json');
    const auto = run('run', join(root, 'engine', 'examples', 'xor-batches.job.json'), '--out', again);
    expect(auto.status, auto.stderr).toBe(0);
    expect(auto.stderr).toMatch(/backend auto: CPU: (this 2-4-1 network is too small|WebGPU)/);
    const second = JSON.parse(readFileSync(again, 'utf8'));
    expect(second.backend).toBe('cpu');
    expect(second.losses).toEqual(result.losses);
  });

  it.skipIf(!gpu.ok)('auto measures a network too close to call on both backends and runs on the winner', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ga-cli-'));
    const job = join(dir, 'wide.json');
    const spec = {
      data: { kind: 'spiral', points: 512, noise: 0.1, valFraction: 0, seed: 1 },
      model: {
        input: [2],
        layers: [
          { type: 'dense', units: 256 },
          { type: 'relu' },
          { type: 'dense', units: 256 },
          { type: 'relu' },
          { type: 'dense', units: 2 },
        ],
      },
      loss: { type: 'cross_entropy' },
      optimizer: { type: 'sgd', lr: 0.05 },
      training: { batchSize: 128, seed: 3 },
    };
    writeFileSync(job, JSON.stringify({ spec, steps: 3 }));
    const out = join(dir, 'result.json');
    // With the plain JS CPU kernels (the WebAssembly SIMD ones outrun SwiftShader by more than 4x on a busy machine),
    // the estimates are within 4x here, so the program itself is timed on both backends.
    const r = spawnSync(tsx, [join(root, 'engine', 'cli.ts'), 'run', job, '--backend', 'auto', '--out', out], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, ATLAS_CPU_KERNELS: 'js' },
    });
    expect(r.status, r.stderr).toBe(0);
    const line = /backend auto: (CPU|WebGPU): (.*)/.exec(r.stderr);
    expect(line, r.stderr).not.toBeNull();
    expect(line?.[2]).toMatch(/measured on this 2-256-256-2 network: .* per step on the CPU vs .* on WebGPU/);
    const result = JSON.parse(readFileSync(out, 'utf8'));
    expect(result.backend).toBe(line?.[1] === 'CPU' ? 'cpu' : 'webgpu');
  });

  it('rejects a bad job with exit code 2 and the message on stderr', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ga-cli-'));
    const job = join(dir, 'bad.json');
    writeFileSync(
      job,
      JSON.stringify({ spec: { model: { input: [2], layers: [{ type: 'dense', units: 0 }] } }, steps: 5 }),
    );
    const r = run('run', job, '--backend', 'cpu');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('spec.model.layers[0].units must be an integer from 1 to 4096');
    expect(r.stdout).toBe('');
    expect(run('run').status).toBe(2);
    expect(run('run', job, '--backend', 'tpu').stderr).toContain('--backend must be cpu, webgpu or auto');
  });
});
