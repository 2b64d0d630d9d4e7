// Finite-difference gradient checks of compiled programs on the CPU kernels, in DOUBLE precision (CpuMemory 'f64'),
// so central differences with a tiny step are accurate to ~1e-8 and any real gradient bug stands far above noise.
// The checked function is the whole training loss: data loss + L1/L2 penalties + loss terms (a KL); every parameter gradient is
// compared (up to `perTensor` elements each), which also checks every op's input gradient through the layers
// before it.

import { prepare } from '../backends/cpu/kernels/table';
import { CpuMemory } from '../backends/cpu/memory';
import { createSimdArena } from '../backends/cpu/simd/arena';
import { compile } from '../graph/compile';
import { hotFromSpec, packHypers } from '../graph/hypers';
import { initialState } from '../graph/init';
import type { Program } from '../graph/program';
import { rngNormal, rngUniform } from '../rng/rng';
import type { NormalizedSpec } from '../spec/types';

export { cpuKernelSupport } from '../backends/cpu/simd/module';

export interface GradcheckResult {
  worst: number;
  at: string;
  checked: number;
}

/** The checked point: initial weights, hypers, seeded inputs and targets, written into mem. */
function setUp(spec: NormalizedSpec, program: Program, mem: CpuMemory, seed: number): void {
  mem.state.set(initialState(program));
  // Move BatchNorm-free parameters away from exact zero/symmetry so kinks are not hit by chance.
  mem.words.set(packHypers(program, hotFromSpec(spec)));
  mem.step = 3;
  mem.lr = 0;
  const x = mem.view(program.io.input);
  const first = spec.model.layers[0];
  // Token ids for an embedding, standard normal inputs otherwise.
  for (let i = 0; i < x.length; i++)
    x[i] = first?.type === 'embedding' ? Math.floor(rngUniform(seed, 1, 0, i) * first.vocab) : rngNormal(seed, 1, 0, i);
  const y = mem.view(program.io.target);
  const lossOp = program.forward[program.forward.length - 1];
  const cols = lossOp.kind === 'loss' ? lossOp.cols : 1;
  for (let i = 0; i < y.length; i++) {
    if (spec.loss.type === 'cross_entropy') y[i] = Math.floor(rngUniform(seed, 2, 0, i) * cols);
    else if (spec.loss.type === 'bce_logits') y[i] = rngUniform(seed, 2, 0, i) > 0.5 ? 1 : 0;
    else y[i] = rngNormal(seed, 2, 0, i);
  }
}

export function gradcheck(
  spec: NormalizedSpec,
  opts: { eps?: number; perTensor?: number; seed?: number; only?: (key: string) => boolean } = {},
): GradcheckResult {
  const eps = opts.eps ?? 1e-6;
  const perTensor = opts.perTensor ?? 24;
  const seed = opts.seed ?? 5;
  const program = compile(spec);
  const mem = new CpuMemory(program, 'f64');
  setUp(spec, program, mem, seed);
  const fwd = program.forward.map((op) => prepare(op, mem));
  const bwd = program.backward.map((op) => prepare(op, mem));
  const lossV = mem.view(program.scalars.loss);
  const { l1, l2 } = spec.regularization;
  const penalized = program.params.filter((p) => p.penalized).map((p) => mem.view(p.tensor));
  const total = (): number => {
    for (const t of fwd) t();
    let pen = 0;
    for (const w of penalized) for (let i = 0; i < w.length; i++) pen += l1 * Math.abs(w[i]) + l2 * w[i] * w[i];
    let terms = 0;
    for (const term of program.lossTerms) terms += mem.view(term.seed)[0] * mem.view(term.t)[0];
    return lossV[0] + pen + terms;
  };
  total();
  for (const t of bwd) t();
  let worst = 0;
  let at = '';
  let checked = 0;
  for (const p of program.params) {
    if (p.grad === null || (opts.only && !opts.only(p.key))) continue;
    const w = mem.view(p.tensor);
    const g = Float64Array.from(mem.view(p.grad));
    const scale = Math.max(...Array.from(g, Math.abs), 1e-3);
    const step = Math.max(1, Math.floor(w.length / perTensor));
    for (let i = 0; i < w.length; i += step) {
      const keep = w[i];
      w[i] = keep + eps;
      const up = total();
      w[i] = keep - eps;
      const down = total();
      w[i] = keep;
      const fd = (up - down) / (2 * eps);
      const err = Math.abs(fd - g[i]) / Math.max(Math.abs(fd), Math.abs(g[i]), 1e-2 * scale);
      checked++;
      // NaN (a kernel reading garbage) must fail the check, never pass as "not worse".
      if (!(err <= worst)) {
        worst = Number.isNaN(err) ? Number.POSITIVE_INFINITY : err;
        at = `${p.key}[${i}]: analytic ${g[i]}, numeric ${fd}`;
      }
    }
  }
  return { worst, at, checked };
}

/** The SIMD kernels' analytic gradients at the gradcheck point against the float64 JS kernels' (which `gradcheck`
 * verifies by finite differences): the worst per-tensor error, max |g_simd - g_f64| / max |g_f64|, over every
 * parameter gradient, the scale floored at 1% of the largest gradient of any parameter (a bias right before
 * BatchNorm has an exactly zero true gradient, so float32 gives pure rounding noise there). Float32 arithmetic
 * bounds it near 1e-6; a wrong kernel shows as O(1). */
export async function simdGradientError(
  spec: NormalizedSpec,
  variant: 'simd' | 'relaxed-simd',
  seed = 5,
): Promise<GradcheckResult> {
  const program = compile(spec);
  const arena = await createSimdArena(program, variant);
  if (typeof arena === 'string') throw new Error(arena);
  const ref = new CpuMemory(program, 'f64');
  const fast = new CpuMemory(program, 'f32', arena);
  let worst = 0;
  let at = '';
  let checked = 0;
  const run = (mem: CpuMemory) => {
    setUp(spec, program, mem, seed);
    for (const op of [...program.forward, ...program.backward]) prepare(op, mem)();
  };
  run(ref);
  run(fast);
  let globalMax = 1e-12;
  for (const p of program.params)
    if (p.grad !== null) for (const v of ref.view(p.grad)) globalMax = Math.max(globalMax, Math.abs(v));
  for (const p of program.params) {
    if (p.grad === null) continue;
    const g = ref.view(p.grad);
    const h = fast.view(p.grad);
    let scale = 1e-2 * globalMax;
    let diff = 0;
    let where = 0;
    for (let i = 0; i < g.length; i++) {
      scale = Math.max(scale, Math.abs(g[i]));
      const d = Math.abs(g[i] - h[i]);
      if (d > diff || Number.isNaN(d)) {
        diff = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d;
        where = i;
      }
    }
    checked++;
    if (diff / scale > worst) {
      worst = diff / scale;
      at = `${p.key}[${where}]: f64 ${g[where]}, ${variant} ${h[where]}`;
    }
  }
  return { worst, at, checked };
}
