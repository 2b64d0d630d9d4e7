// Every PyTorch golden fixture on the CPU backend, once per kernel variant that runs here (plain JS always; the
// WebAssembly SIMD and relaxed-SIMD kernels where the runtime validates them): per-step losses, final weights (incl.
// BatchNorm running stats) and eval-mode outputs within 1e-4 (see engine/testing/golden.ts for the error measure).

import { describe, expect, it } from 'vitest';
import { type GoldenReport, loadGoldenFixtures, runGolden } from '../../testing/golden';
import { CPU_KERNEL_VARIANTS, cpuBackendWith, cpuKernelSupport } from './index';

const TOL = 1e-4;
const fixtures = loadGoldenFixtures();
const support = await cpuKernelSupport();

for (const variant of CPU_KERNEL_VARIANTS) {
  const reason = support[variant];
  describe.skipIf(reason !== true)(`PyTorch golden fixtures on cpu (${variant} kernels)`, () => {
    const backend = cpuBackendWith(variant);
    const reports: GoldenReport[] = [];
    it('has at least 25 fixtures', () => {
      expect(fixtures.length).toBeGreaterThanOrEqual(25);
    });
    for (const fx of fixtures) {
      it(fx.name, async () => {
        const r = await runGolden(fx, backend);
        reports.push(r);
        expect(r.lrErr, 'learning rates').toBeLessThan(1e-6);
        expect(r.lossErr, 'per-step losses').toBeLessThan(TOL);
        expect(r.weightErr, `final weights (worst at ${r.weightAt})`).toBeLessThan(TOL);
        expect(r.evalErr, 'eval-mode outputs').toBeLessThan(TOL);
      });
    }
    it('reports the worst errors', () => {
      const worst = (k: 'lossErr' | 'weightErr' | 'evalErr'): { err: number; name: string } =>
        reports.reduce((a, r) => (r[k] > a.err ? { err: r[k], name: r.name } : a), { err: 0, name: '-' });
      for (const k of ['lossErr', 'weightErr', 'evalErr'] as const) {
        const w = worst(k);
        console.log(`golden cpu (${variant}) worst ${k}: ${w.err.toExponential(2)} (${w.name})`);
      }
    });
  });
}
