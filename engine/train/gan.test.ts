// A tiny GAN's alternating discriminator/generator steps against PyTorch (engine/fixtures/gan/tiny_gan.json, from
// scripts/golden/make_fixtures.py): ONE Program with two parameter groups (d, g), each with its own Adam and update
// step, on both backends. Per-step D and G losses and the final weights of both networks within the golden tolerance
// (1e-4 relative).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BACKENDS } from '../backends/index';
import type { StateDict, TensorJson } from '../spec/types';
import { tensorErr } from '../testing/golden';
import { requireGpuInCi } from '../testing/gpuGate';
import { type GanSpec, GanTrainer } from './gan';

interface GanFixture {
  spec: GanSpec;
  initialWeights: { g: StateDict; d: StateDict };
  z: TensorJson[];
  real: TensorJson[];
  dLosses: number[];
  gLosses: number[];
  finalWeights: { g: StateDict; d: StateDict };
}

const fx = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'fixtures', 'gan', 'tiny_gan.json'), 'utf8'),
) as GanFixture;
const TOL = 1e-4;
const gpu = await BACKENDS.webgpu.available();
const backends = requireGpuInCi(gpu, 'gan.test.ts') ? (['cpu', 'webgpu'] as const) : (['cpu'] as const);

describe('a tiny GAN, alternating D and G steps, matches PyTorch', () => {
  for (const backend of backends)
    it(`on ${backend}`, async () => {
      const t = await GanTrainer.open(fx.spec, BACKENDS[backend], fx.initialWeights);
      try {
        const p = t.rt.program;
        expect(p.groups.map((g) => [g.name, g.optimizer.type])).toEqual([
          ['d', 'adam'],
          ['g', 'adam'],
        ]);
        expect(p.updateSteps.map((u) => [u.name, p.groups[u.group].name, u.from, u.batchSize])).toEqual([
          ['d', 'd', 3, 2 * fx.spec.batchSize],
          ['g', 'g', 0, fx.spec.batchSize],
        ]);
        let lossErr = 0;
        for (let s = 0; s < fx.z.length; s++) {
          const r = await t.step(Float32Array.from(fx.z[s].data), Float32Array.from(fx.real[s].data));
          lossErr = Math.max(
            lossErr,
            Math.abs(r.d - fx.dLosses[s]) / Math.abs(fx.dLosses[s]),
            Math.abs(r.g - fx.gLosses[s]) / Math.abs(fx.gLosses[s]),
          );
        }
        const w = await t.weights();
        let weightErr = 0;
        for (const net of ['g', 'd'] as const)
          for (const [key, want] of Object.entries(fx.finalWeights[net])) {
            const got = w[net][key];
            weightErr = Math.max(
              weightErr,
              got === undefined ? Number.POSITIVE_INFINITY : tensorErr(got.data, want.data),
            );
          }
        console.log(
          `tiny GAN on ${backend}: worst loss error ${lossErr.toExponential(2)}, weights ${weightErr.toExponential(2)}`,
        );
        expect(lossErr).toBeLessThan(TOL);
        expect(weightErr).toBeLessThan(TOL);
        // The generator moved (its own optimizer ran), and so did the discriminator.
        expect(tensorErr(w.g['0.weight'].data, fx.initialWeights.g['0.weight'].data)).toBeGreaterThan(1e-3);
        expect(tensorErr(w.d['0.weight'].data, fx.initialWeights.d['0.weight'].data)).toBeGreaterThan(1e-3);
      } finally {
        t.dispose();
      }
    }, 120_000);
});
