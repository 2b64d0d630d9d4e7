// The SIMD CPU kernels against the plain JS ones, op by op, on the WebGPU conformance cases (every op kind and its
// variants, from identical arena contents): every tensor the op writes agrees to |simd - js| <= 1e-5 * max(1, |js|).
// Op kinds without a SIMD kernel run the JS kernel on wasm memory, which checks the arena plumbing too.

import { describe, expect, it } from 'vitest';
import { opIO } from '../../../graph/ops';
import { allCases, type OpCase } from '../../webgpu/conformance/cases';
import { CPU_KERNELS, prepare } from '../kernels/table';
import { CpuMemory } from '../memory';
import { createSimdArena } from './arena';
import { cpuKernelSupport } from './module';

const TOL = 1e-5;
const support = await cpuKernelSupport();

function load(mem: CpuMemory, c: OpCase): CpuMemory {
  mem.state.set(c.state);
  mem.act.set(c.act);
  mem.words.set(c.words.subarray(0, mem.words.length));
  mem.step = c.step;
  mem.lr = c.lr;
  mem.momentum = c.momentum ?? Number.NaN;
  return mem;
}

for (const variant of ['simd', 'relaxed-simd'] as const)
  describe.skipIf(support[variant] !== true)(
    `${variant} CPU kernels agree with the JS kernels on every op case`,
    () => {
      const cases = allCases();
      for (const c of cases)
        it(c.name, async () => {
          const js = load(new CpuMemory(c.program), c);
          (CPU_KERNELS[c.op.kind] as (op: typeof c.op, m: CpuMemory) => () => void)(c.op, js)();
          const arena = await createSimdArena(c.program, variant, [c.op]);
          if (typeof arena === 'string') throw new Error(arena);
          const fast = load(new CpuMemory(c.program, 'f32', arena), c);
          prepare(c.op, fast)();
          let err = 0;
          let where = '';
          for (const id of opIO(c.op).writes) {
            const t = c.program.tensors[id];
            const a = t.arena === 'state' ? fast.state : fast.act;
            const b = t.arena === 'state' ? js.state : js.act;
            for (let j = 0; j < t.size; j++) {
              const g = a[t.offset + j];
              const r = b[t.offset + j];
              const e =
                Number.isNaN(g) !== Number.isNaN(r)
                  ? Number.POSITIVE_INFINITY
                  : Math.abs(g - r) / Math.max(1, Math.abs(r));
              if (e > err) {
                err = e;
                where = `${t.name}[${j}] ${variant}=${g} js=${r}`;
              }
            }
          }
          expect(err, `worst at ${where}`).toBeLessThanOrEqual(TOL);
        });
    },
  );
