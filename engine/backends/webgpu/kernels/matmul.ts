// Matrix multiply C[M,N] = op(A)·op(B) (+ bias[N]) (+ C when accumulating), op = optional transpose.
// A is stored [M,K] (or [K,M] when transA), B is stored [K,N] (or [N,K] when transB), all row-major.
// Big shapes use a register-blocked kernel: each invocation computes 8-16 rows x 4-8 columns, with vec4 loads where the
// layout allows and clamped (not branched) loads at the edges; on SwiftShader this is ~10x faster than one output
// per invocation or shared-memory tiles. Tiny shapes use one invocation per output.
import { type Binding, type BufferView, grid1d, type KernelLaunch } from '../shader';
import type { GradAct } from './pool';
import type { KernelSelection } from './select';
import { tiledFits, tiledGemmLaunch } from './tiled';

export interface MatmulArgs {
  label: string;
  M: number;
  N: number;
  K: number;
  transA?: boolean;
  transB?: boolean;
  a: BufferView;
  b: BufferView;
  out: BufferView;
  bias?: BufferView;
  /** Add to the existing contents of out instead of overwriting. */
  accumulate?: boolean;
  /** Force a kernel (tests); default picks by size and `select`. */
  variant?: 'simple' | 'blocked' | 'tiled';
  /** The adapter's kernel choice (kernels/select.ts): matmul 'tiled' takes shapes big enough for 64 x 64 tiles. */
  select?: KernelSelection;
  /** Blocked-kernel tuning: columns per invocation and workgroup shape (default 4 and 8x8). */
  tune?: { tn?: 4 | 8; tm?: 4 | 8 | 16; wgX?: number; wgY?: number; dot?: boolean };
  /** Fused activation: also writes act.out[i] = f(out[i]); `f` is a WGSL expression in x (and p), `fns` its
   * helpers. Saves a dispatch per dense+activation pair. */
  act?: { f: string; param: string; fns: string; out: BufferView };
  /** Fused activation gradient: also writes gradAct.out[i] = out[i] * df(x[i], y[i]) (backward of an activation
   * whose upstream gradient this matmul produces). */
  gradAct?: GradAct;
  /** Also write colSumA[m] = sum_k A(m, k) (A transposed, simple kernel only): a dense layer's bias gradient
   * fused into its weight-gradient matmul. */
  colSumA?: BufferView;
}

const XYZW = 'xyzw';

/** The kernel a shape gets by default. */
export function matmulVariant(M: number, N: number): 'simple' | 'blocked' {
  return M * N >= 1024 && M >= 8 ? 'blocked' : 'simple';
}

export function matmulLaunch(args: MatmulArgs): KernelLaunch {
  const sel = args.select;
  const tiled = sel?.matmul === 'tiled' && !args.colSumA && tiledFits(args.M, args.N, args.K, sel.tiledMinOutputs);
  const variant = args.variant ?? (tiled ? 'tiled' : matmulVariant(args.M, args.N));
  if (args.colSumA && (variant !== 'simple' || !args.transA))
    throw new Error('matmul: colSumA needs the simple kernel and a transposed A');
  if (variant === 'tiled') return tiledMatmul(args);
  return variant === 'blocked' ? blocked(args) : simple(args);
}

/** The workgroup-memory tiled kernel (tiled.ts) with this file's epilogue (bias, fused activation or its gradient,
 * accumulation). */
function tiledMatmul(args: MatmulArgs): KernelLaunch {
  const { M, N, K } = args;
  const tA = !!args.transA;
  const tB = !!args.transB;
  return tiledGemmLaunch({
    label: `${args.label} matmul${tA ? ' At' : ''}${tB ? ' Bt' : ''}`,
    M,
    N,
    K,
    bindings: bindings(args, 'array<f32>', 'array<f32>'),
    fns: prologue(args),
    a: (m, k) => `a[${aIndex(tA, M, K, m, k)}]`,
    b: (k, n) => `b[${bIndex(tB, N, K, k, n)}]`,
    aContiguous: tA ? 'm' : 'k',
    bContiguous: tB ? 'k' : 'n',
    store: (m, n, v) => epilogue(args, v, `${m} * ${N}u + ${n}`, n),
  });
}

function aIndex(transA: boolean, M: number, K: number, m: string, k: string): string {
  return transA ? `(${k}) * ${M}u + ${m}` : `(${m}) * ${K}u + ${k}`;
}
function bIndex(transB: boolean, N: number, K: number, k: string, n: string): string {
  return transB ? `(${n}) * ${K}u + ${k}` : `(${k}) * ${N}u + ${n}`;
}

function epilogue(args: MatmulArgs, value: string, idx: string, col: string): string {
  let v = value;
  if (args.bias) v = `${v} + bias[${col}]`;
  if (args.gradAct) {
    if (args.accumulate) throw new Error('matmul: a fused activation gradient cannot accumulate');
    return `{ let z = ${v}; out[${idx}] = z; gOut[${idx}] = z * dactFn(gX[${idx}], gY[${idx}], ${args.gradAct.param}); }`;
  }
  if (args.act) {
    if (args.accumulate) throw new Error('matmul: a fused activation cannot accumulate');
    return `{ let z = ${v}; out[${idx}] = z; actOut[${idx}] = actFn(z, ${args.act.param}); }`;
  }
  return args.accumulate ? `out[${idx}] = out[${idx}] + ${v};` : `out[${idx}] = ${v};`;
}

/** Module-scope WGSL the epilogue needs (the fused activation's helpers). */
function prologue(args: MatmulArgs): string {
  const g = args.gradAct;
  if (g) return `${g.fns}\nfn dactFn(x: f32, y: f32, p: f32) -> f32 { return ${g.df}; }`;
  if (!args.act) return '';
  return `${args.act.fns}\nfn actFn(x: f32, p: f32) -> f32 { return ${args.act.f}; }`;
}

function bindings(args: MatmulArgs, aType: string, bType: string): Binding[] {
  const list: Binding[] = [
    { name: 'a', access: 'read', type: aType, view: args.a },
    { name: 'b', access: 'read', type: bType, view: args.b },
    { name: 'out', access: 'read_write', type: 'array<f32>', view: args.out },
  ];
  if (args.bias) list.push({ name: 'bias', access: 'read', type: 'array<f32>', view: args.bias });
  if (args.act) list.push({ name: 'actOut', access: 'read_write', type: 'array<f32>', view: args.act.out });
  if (args.colSumA) list.push({ name: 'colSum', access: 'read_write', type: 'array<f32>', view: args.colSumA });
  if (args.gradAct)
    list.push(
      { name: 'gX', access: 'read', type: 'array<f32>', view: args.gradAct.x },
      { name: 'gY', access: 'read', type: 'array<f32>', view: args.gradAct.y },
      { name: 'gOut', access: 'read_write', type: 'array<f32>', view: args.gradAct.out },
    );
  return list;
}

function simple(args: MatmulArgs): KernelLaunch {
  const { M, N, K } = args;
  const tA = !!args.transA;
  const tB = !!args.transB;
  const body = /* wgsl */ `${prologue(args)}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.x + gid.y * nwg.x * 64u;
  if (i >= ${M * N}u) { return; }
  let m = i / ${N}u;
  let n = i % ${N}u;
  var s = 0.0f;${args.colSumA ? '\n  var cs = 0.0f;' : ''}
  for (var k = 0u; k < ${K}u; k++) {
    let av = a[${aIndex(tA, M, K, 'm', 'k')}];
    s = fma(av, b[${bIndex(tB, N, K, 'k', 'n')}], s);${args.colSumA ? '\n    cs += av;' : ''}
  }${args.colSumA ? '\n  if (n == 0u) { colSum[m] = cs; }' : ''}
  ${epilogue(args, 's', 'i', 'n')}
}`;
  return {
    label: `${args.label} matmul ${M}x${K}x${N}${tA ? ' At' : ''}${tB ? ' Bt' : ''}`,
    body,
    bindings: bindings(args, 'array<f32>', 'array<f32>'),
    workgroups: grid1d(M * N, 64),
  };
}

function blocked(args: MatmulArgs): KernelLaunch {
  const { M, N, K } = args;
  const tA = !!args.transA;
  const tB = !!args.transB;
  // Bigger register blocks for bigger outputs (measured on SwiftShader: 16x8 per invocation with a 16x4 workgroup
  // is up to 2x faster than 8x4 on the MNIST-MLP shapes); small outputs keep 8x4 to keep enough invocations.
  const big = M >= 64 && N >= 64;
  const TN = args.tune?.tn ?? (big ? 8 : 4);
  const TM = args.tune?.tm ?? (big ? 16 : 8);
  const WX = args.tune?.wgX ?? (TN === 8 ? 16 : 8);
  const WY = args.tune?.wgY ?? (TN === 8 ? 4 : 8);
  const H = TN / 4; // vec4 column groups per invocation
  const KC = K % 4 === 0 ? 4 : 1;
  const aVecK = !tA && KC === 4; // A rows read as vec4 along k
  const aVecM = tA && M % 4 === 0; // A (stored [K,M]) read as vec4 along m
  const bVecN = !tB && N % 4 === 0; // B (stored [K,N]) read as vec4 along n
  const bVecK = tB && KC === 4; // B (stored [N,K]) rows read as vec4 along k
  const dotForm = args.tune?.dot ?? true;
  const L: string[] = [];
  const rows = [...Array(TM).keys()];
  const cols = [...Array(TN).keys()];
  const hs = [...Array(H).keys()];
  const ks = [...Array(KC).keys()];
  // Clamps only where a block can run past the edge (shapes that divide evenly need none).
  const mExact = M % TM === 0;
  const nExact = N % TN === 0;
  for (const r of rows) if (!aVecM) L.push(`let r${r} = ${mExact ? `m0 + ${r}u` : `min(m0 + ${r}u, ${M - 1}u)`};`);
  for (const c of cols) if (!bVecN) L.push(`let c${c} = ${nExact ? `n0 + ${c}u` : `min(n0 + ${c}u, ${N - 1}u)`};`);
  for (const r of rows) for (const h of hs) L.push(`var acc${r}_${h} = vec4f(0.0f);`);
  L.push(`for (var k = 0u; k < ${K}u; k += ${KC}u) {`);
  // A values a(r, kk) as WGSL expressions.
  const aVal: string[][] = rows.map(() => []);
  if (aVecK) {
    for (const r of rows) L.push(`  let a${r} = a[r${r} * ${K / 4}u + k / 4u];`);
    for (const r of rows) for (const kk of ks) aVal[r][kk] = `a${r}.${XYZW[kk]}`;
  } else if (aVecM) {
    for (const kk of ks)
      for (let g = 0; g < TM / 4; g++)
        L.push(
          `  let at${kk}_${g} = a[(k + ${kk}u) * ${M / 4}u + ${mExact ? `m0 / 4u + ${g}u` : `min(m0 / 4u + ${g}u, ${M / 4 - 1}u)`}];`,
        );
    for (const r of rows) for (const kk of ks) aVal[r][kk] = `at${kk}_${r >> 2}.${XYZW[r & 3]}`;
  } else {
    for (const r of rows)
      for (const kk of ks) {
        L.push(`  let a${r}_${kk} = a[${aIndex(tA, M, K, `r${r}`, `k + ${kk}u`)}];`);
        aVal[r][kk] = `a${r}_${kk}`;
      }
  }
  // B values b(kk, h) as vec4 over columns 4h .. 4h+3.
  const bVal: string[][] = ks.map(() => []);
  if (bVecN) {
    for (const kk of ks)
      for (const h of hs) {
        L.push(
          `  let b${kk}_${h} = b[(k + ${kk}u) * ${N / 4}u + ${nExact ? `n0 / 4u + ${h}u` : `min(n0 / 4u + ${h}u, ${N / 4 - 1}u)`}];`,
        );
        bVal[kk][h] = `b${kk}_${h}`;
      }
  } else if (bVecK && aVecK && dotForm) {
    // Both operands run along k: accumulate dot products of k-vectors (no lane shuffles).
    for (const c of cols) L.push(`  let bt${c} = b[c${c} * ${K / 4}u + k / 4u];`);
  } else if (bVecK) {
    for (const c of cols) L.push(`  let bt${c} = b[c${c} * ${K / 4}u + k / 4u];`);
    for (const kk of ks)
      for (const h of hs) {
        L.push(`  let b${kk}_${h} = vec4f(${[0, 1, 2, 3].map((c) => `bt${4 * h + c}.${XYZW[kk]}`).join(', ')});`);
        bVal[kk][h] = `b${kk}_${h}`;
      }
  } else {
    for (const kk of ks)
      for (const h of hs) {
        const parts = [0, 1, 2, 3].map((c) => `b[${bIndex(tB, N, K, `k + ${kk}u`, `c${4 * h + c}`)}]`);
        L.push(`  let b${kk}_${h} = vec4f(${parts.join(', ')});`);
        bVal[kk][h] = `b${kk}_${h}`;
      }
  }
  if (bVecK && aVecK && dotForm) {
    for (const r of rows)
      for (const h of hs) {
        const dots = [0, 1, 2, 3].map((c) => `dot(a${r}, bt${4 * h + c})`).join(', ');
        L.push(`  acc${r}_${h} = acc${r}_${h} + vec4f(${dots});`);
      }
  } else {
    for (const kk of ks)
      for (const r of rows)
        for (const h of hs) L.push(`  acc${r}_${h} = fma(vec4f(${aVal[r][kk]}), ${bVal[kk][h]}, acc${r}_${h});`);
  }
  L.push('}');
  for (const r of rows) {
    L.push(`if (m0 + ${r}u < ${M}u) {`);
    for (const c of cols) {
      const guard = N % TN === 0 ? '' : `if (n0 + ${c}u < ${N}u) `;
      const idx = `(m0 + ${r}u) * ${N}u + n0 + ${c}u`;
      L.push(`  ${guard}{ ${epilogue(args, `acc${r}_${c >> 2}.${XYZW[c & 3]}`, idx, `n0 + ${c}u`)} }`);
    }
    L.push('}');
  }
  const body = /* wgsl */ `${prologue(args)}
@compute @workgroup_size(${WX}, ${WY})
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let n0 = gid.x * ${TN}u;
  let m0 = gid.y * ${TM}u;
  if (n0 >= ${N}u || m0 >= ${M}u) { return; }
  ${L.join('\n  ')}
}`;
  const aType = aVecK || aVecM ? 'array<vec4f>' : 'array<f32>';
  const bType = bVecN || bVecK ? 'array<vec4f>' : 'array<f32>';
  return {
    label: `${args.label} matmul-blocked ${M}x${K}x${N}${tA ? ' At' : ''}${tB ? ' Bt' : ''}`,
    body,
    bindings: bindings(args, aType, bType),
    workgroups: [Math.ceil(N / (TN * WX)), Math.ceil(M / (TM * WY)), 1],
  };
}
