// The same PyTorch golden fixture loop as engine/backends/cpu/golden.test.ts, on the WebGPU backend (Dawn on
// SwiftShader in Node). Skipped with a message when no WebGPU adapter is available.

import { describe, expect, it } from 'vitest';
import { BACKENDS } from '../backends/index';
import { type GoldenReport, loadGoldenFixtures, runGolden } from './golden';
import { requireGpuInCi } from './gpuGate';

const TOL = 1e-4;
const factory = BACKENDS.webgpu;
const avail = await factory.available();
requireGpuInCi(avail, 'golden.webgpu.test.ts');
const fixtures = loadGoldenFixtures();
const reports: GoldenReport[] = [];

describe.skipIf(!avail.ok)(`PyTorch golden fixtures on webgpu${avail.ok ? '' : ` (skipped: ${avail.reason})`}`, () => {
  for (const fx of fixtures) {
    it(fx.name, async () => {
      const r = await runGolden(fx, factory);
      reports.push(r);
      expect(r.lrErr, 'learning rates').toBeLessThan(1e-6);
      expect(r.lossErr, 'per-step losses').toBeLessThan(TOL);
      expect(r.weightErr, `final weights (worst at ${r.weightAt})`).toBeLessThan(TOL);
      expect(r.evalErr, 'eval-mode outputs').toBeLessThan(TOL);
    });
  }
  it('reports the worst errors', () => {
    for (const k of ['lossErr', 'weightErr', 'evalErr'] as const) {
      const w = reports.reduce((a, r) => (r[k] > a.err ? { err: r[k], name: r.name } : a), { err: 0, name: '-' });
      console.log(`golden webgpu worst ${k}: ${w.err.toExponential(2)} (${w.name})`);
    }
  });
});
