// WebGPU vs CPU, op by op: every op kind (and its variants) runs on both backends from identical arena contents;
// every tensor the op writes must agree to |gpu - cpu| <= 1e-5 * max(1, |cpu|). Reports the worst error per case.
// Each case's pipelines are validated (createComputePipelineAsync + error scopes around bind groups and submit).
import { afterAll, describe, expect, it } from 'vitest';
import { OP_KINDS, opIO } from '../../../graph/ops';
import { CPU_KERNELS } from '../../cpu/kernels/table';
import { CpuMemory } from '../../cpu/memory';
import { WebGpuExecutor } from '../executor';
import { testDevice } from '../testing';
import { allCases, type OpCase } from './cases';

const TOL = 1e-5;

function runCpu(c: OpCase): { state: Float32Array; act: Float32Array } {
  const mem = new CpuMemory(c.program);
  mem.state.set(c.state);
  mem.act.set(c.act);
  mem.words.set(c.words.subarray(0, mem.words.length));
  mem.step = c.step;
  mem.lr = c.lr;
  mem.momentum = c.momentum ?? Number.NaN;
  const kernel = CPU_KERNELS[c.op.kind] as (op: typeof c.op, m: CpuMemory) => () => void;
  kernel(c.op, mem)();
  return { state: mem.state, act: mem.act };
}

async function runGpu(c: OpCase): Promise<{ state: Float32Array; act: Float32Array }> {
  const device = await testDevice();
  const ex = await WebGpuExecutor.create(device, c.program);
  try {
    ex.writeState(c.state);
    ex.writeActivations(c.act);
    ex.setHypers(c.words);
    await ex.runOps([c.op], { step: c.step, lr: c.lr, rowStart: 0, momentum: c.momentum });
    return { state: await ex.readState(), act: await ex.readActivations() };
  } finally {
    ex.dispose();
  }
}

const worst: { name: string; err: number }[] = [];

describe('WebGPU agrees with the CPU reference on every op kind', () => {
  const cases = allCases();

  it('has a case for every op kind', () => {
    const covered = new Set(cases.map((c) => c.kind));
    expect(OP_KINDS.filter((k) => !covered.has(k))).toEqual([]);
  });

  for (const c of cases)
    it(c.name, async () => {
      const cpu = runCpu(c);
      const gpu = await runGpu(c);
      let err = 0;
      let where = '';
      for (const id of opIO(c.op).writes) {
        const t = c.program.tensors[id];
        const a = t.arena === 'state' ? gpu.state : gpu.act;
        const b = t.arena === 'state' ? cpu.state : cpu.act;
        for (let j = 0; j < t.size; j++) {
          const g = a[t.offset + j];
          const r = b[t.offset + j];
          const e =
            Number.isNaN(g) !== Number.isNaN(r) ? Number.POSITIVE_INFINITY : Math.abs(g - r) / Math.max(1, Math.abs(r));
          if (e > err || (Number.isNaN(e) && err === 0)) {
            err = e;
            where = `${t.name}[${j}] gpu=${g} cpu=${r}`;
          }
        }
      }
      worst.push({ name: c.name, err });
      expect(err, `worst at ${where}`).toBeLessThanOrEqual(TOL);
    });

  afterAll(() => {
    worst.sort((a, b) => b.err - a.err);
    const top = worst.slice(0, 5).map((w) => `${w.name}: ${w.err.toExponential(2)}`);
    console.log(`webgpu vs cpu: ${worst.length} op cases, worst relative errors:\n  ${top.join('\n  ')}`);
  });
});
