// WebGPU vs CPU, op by op: every op kind (and its variants) runs on both backends from identical arena contents;
// every tensor the op writes must agree to |gpu - cpu| <= 1e-5 * max(1, |cpu|). Reports the worst error per case.
// Each case's pipelines are validated (createComputePipelineAsync + error scopes around bind groups and submit).
import { afterAll, describe, expect, it } from 'vitest';
import { OP_KINDS, opIO } from '../../../graph/ops';
import { CPU_KERNELS } from '../../cpu/kernels/table';
import { CpuMemory } from '../../cpu/memory';
import { type ExecutorOptions, WebGpuExecutor } from '../executor';
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

async function runGpu(c: OpCase, opts: ExecutorOptions = {}): Promise<{ state: Float32Array; act: Float32Array }> {
  const device = await testDevice();
  const ex = await WebGpuExecutor.create(device, c.program, opts);
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

/** Worst relative error over every tensor the op writes. */
function compare(
  c: OpCase,
  cpu: { state: Float32Array; act: Float32Array },
  gpu: { state: Float32Array; act: Float32Array },
): { err: number; where: string } {
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
  return { err, where };
}

describe('WebGPU agrees with the CPU reference on every op kind', () => {
  const cases = allCases();

  it('has a case for every op kind', () => {
    const covered = new Set(cases.map((c) => c.kind));
    expect(OP_KINDS.filter((k) => !covered.has(k))).toEqual([]);
  });

  for (const c of cases)
    it(c.name, async () => {
      const err = compare(c, runCpu(c), await runGpu(c));
      worst.push({ name: c.name, err: err.err });
      expect(err.err, `worst at ${err.where}`).toBeLessThanOrEqual(TOL);
    });

  // The workgroup-memory tiled kernels real GPUs get (kernels/select.ts), forced whatever the shape (SwiftShader
  // would never pick them): every transpose on a shape with two k slices (ragged k and n), ragged rows once, and the
  // strided, padded convolution. Few cases: SwiftShader takes ~10-20 s to compile each 256-invocation kernel with
  // barriers.
  const tiled: ExecutorOptions = { kernels: { matmul: 'tiled', conv: 'tiled', tiledMinOutputs: 1 } };
  const forced = /^(matmul 64x20x36 |matmul 33x16x10 tA=true tB=false|conv2d n2 c2 9x8 f3 k3 s2 p1$)/;
  for (const c of cases.filter((x) => forced.test(x.name)))
    it(`${c.name} (tiled kernel)`, async () => {
      const err = compare(c, runCpu(c), await runGpu(c, tiled));
      worst.push({ name: `${c.name} (tiled)`, err: err.err });
      expect(err.err, `worst at ${err.where}`).toBeLessThanOrEqual(TOL);
    });

  afterAll(() => {
    worst.sort((a, b) => b.err - a.err);
    const top = worst.slice(0, 5).map((w) => `${w.name}: ${w.err.toExponential(2)}`);
    console.log(`webgpu vs cpu: ${worst.length} op cases, worst relative errors:\n  ${top.join('\n  ')}`);
  });
});
