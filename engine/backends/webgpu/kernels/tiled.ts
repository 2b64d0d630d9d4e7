// Workgroup-memory tiled GEMM for real GPUs: C[M, N] = A[M, K] B[K, N] with operand loaders and the store given as
// WGSL snippets, so dense layers (matmul.ts) and convolutions (convGemm.ts, implicit im2col) share one kernel.
//
// Shape: a 64 x 64 output tile per workgroup of 16 x 16 = 256 invocations, each accumulating a 4 x 4 block in
// registers (4 vec4f). K advances in slices of 16: each invocation loads 4 elements of A's 64 x 16 slice and 4 of
// B's 16 x 64 slice with coalesced global reads (consecutive invocations read consecutive addresses along the
// operand's contiguous index), stores them transposed into workgroup memory as vec4 rows, and the inner loop reads
// one vec4 of A (broadcast across the workgroup row) and one vec4 of B per k: 2 workgroup loads per 16 FMAs.
// Double buffered: two slice buffers per operand (2 x 2 x 16 x 64 floats = 16 KiB in all); the next slice's global
// loads are issued before the current slice is consumed and stored after it, so one barrier per slice suffices.
// Arithmetic intensity: 64 x 64 x 16 x 2 FLOP per (64 + 64) x 16 x 4 bytes loaded = 16 FLOP/byte from global
// memory (a 1x1-per-invocation kernel gets 0.5).
//
// Chosen for real GPUs by kernels/select.ts; on SwiftShader (a CPU rasteriser) barriers are expensive and the
// register-blocked kernels of matmul.ts win, so it is only forced there by tests (for correctness).

import type { Binding, KernelLaunch } from '../shader';

export const TILE = 64;
export const SLICE = 16;
const WG = 16;
const XYZW = 'xyzw';

export interface TiledGemmArgs {
  label: string;
  M: number;
  N: number;
  K: number;
  bindings: Binding[];
  /** Module-scope WGSL the loaders or the store use (helpers, fused activation functions). */
  fns?: string;
  /** a(m, k) and b(k, n) as WGSL f32 expressions of u32 indices (in bounds: the kernel guards the edges). */
  a: (m: string, k: string) => string;
  b: (k: string, n: string) => string;
  /** Which index of each operand is contiguous in memory (coalesced loads follow it). */
  aContiguous: 'm' | 'k';
  bContiguous: 'k' | 'n';
  /** A WGSL statement storing value v (f32) at output (m, n) (u32 indices, in bounds). */
  store: (m: string, n: string, v: string) => string;
}

/** Whether the tiled kernel pays for a shape: at least a few full tiles of work (else the register-blocked one).
 * `minOutputs` lowers the bar (tests force the kernel on small shapes with 1). */
export function tiledFits(M: number, N: number, K: number, minOutputs = 4 * TILE * TILE): boolean {
  if (minOutputs <= 1) return M >= 1 && N >= 1 && K >= 1;
  return M >= 32 && N >= 32 && K >= SLICE && M * N >= minOutputs;
}

export function tiledGemmLaunch(g: TiledGemmArgs): KernelLaunch {
  const { M, N, K } = g;
  const slices = Math.ceil(K / SLICE);
  const mEdge = M % TILE !== 0;
  const nEdge = N % TILE !== 0;
  const kEdge = K % SLICE !== 0;
  // Staging positions of this invocation's 4 elements of each slice: e = t + 256 r, split along the contiguous index.
  const aPos = (r: number) =>
    g.aContiguous === 'k'
      ? { m: `(t + ${256 * r}u) / ${SLICE}u`, k: `(t + ${256 * r}u) % ${SLICE}u` }
      : { m: `(t + ${256 * r}u) % ${TILE}u`, k: `(t + ${256 * r}u) / ${TILE}u` };
  const bPos = (r: number) =>
    g.bContiguous === 'n'
      ? { k: `(t + ${256 * r}u) / ${TILE}u`, n: `(t + ${256 * r}u) % ${TILE}u` }
      : { k: `(t + ${256 * r}u) % ${SLICE}u`, n: `(t + ${256 * r}u) / ${SLICE}u` };
  const R = [0, 1, 2, 3];
  const guardA = [mEdge ? `m < ${M}u` : '', kEdge ? `k < ${K}u` : ''].filter(Boolean).join(' && ');
  const guardB = [kEdge ? `k < ${K}u` : '', nEdge ? `n < ${N}u` : ''].filter(Boolean).join(' && ');
  const loadA = guardA ? `if (${guardA}) { return ${g.a('m', 'k')}; } return 0.0;` : `return ${g.a('m', 'k')};`;
  const loadB = guardB ? `if (${guardB}) { return ${g.b('k', 'n')}; } return 0.0;` : `return ${g.b('k', 'n')};`;
  const fetch = (k0: string) =>
    R.map((r) => {
      const a = aPos(r);
      const b = bPos(r);
      return `ra${r} = loadA(m0 + ${a.m}, ${k0} + ${a.k}); rb${r} = loadB(${k0} + ${b.k}, n0 + ${b.n});`;
    }).join('\n    ');
  const stash = (base: string) =>
    R.map((r) => {
      const a = aPos(r);
      const b = bPos(r);
      return `As[(${base} + ${a.k}) * ${TILE}u + ${a.m}] = ra${r}; Bs[(${base} + ${b.k}) * ${TILE}u + ${b.n}] = rb${r};`;
    }).join('\n    ');
  // A loop, not unrolled here: GPU compilers unroll a constant 16-trip loop themselves, and the shorter source
  // compiles much faster on SwiftShader (where tests force this kernel).
  const inner = [
    `for (var kk = 0u; kk < ${SLICE}u; kk++) {`,
    `  let ao = (cur + kk) * ${TILE}u + ty * 4u; let bo = (cur + kk) * ${TILE}u + tx * 4u;`,
    '  let av = vec4f(As[ao], As[ao + 1u], As[ao + 2u], As[ao + 3u]);',
    '  let bv = vec4f(Bs[bo], Bs[bo + 1u], Bs[bo + 2u], Bs[bo + 3u]);',
    ...R.map((i) => `  acc${i} = fma(vec4f(av.${XYZW[i]}), bv, acc${i});`),
    '}',
  ];
  const stores: string[] = [];
  for (const i of R) {
    stores.push(`{ let m = m0 + ty * 4u + ${i}u;${mEdge ? ` if (m < ${M}u) {` : ''}`);
    for (const j of R)
      stores.push(
        `  { let n = n0 + tx * 4u + ${j}u;${nEdge ? ` if (n < ${N}u) {` : ''} ${g.store('m', 'n', `acc${i}.${XYZW[j]}`)}${nEdge ? ' }' : ''} }`,
      );
    stores.push(`${mEdge ? '}' : ''} }`);
  }
  const body = /* wgsl */ `${g.fns ?? ''}
var<workgroup> As: array<f32, ${2 * SLICE * TILE}>;
var<workgroup> Bs: array<f32, ${2 * SLICE * TILE}>;
fn loadA(m: u32, k: u32) -> f32 { ${loadA} }
fn loadB(k: u32, n: u32) -> f32 { ${loadB} }
@compute @workgroup_size(${WG}, ${WG})
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let tx = lid.x;
  let ty = lid.y;
  let t = ty * ${WG}u + tx;
  let m0 = wg.y * ${TILE}u;
  let n0 = wg.x * ${TILE}u;
  var acc0 = vec4f(0.0f); var acc1 = vec4f(0.0f); var acc2 = vec4f(0.0f); var acc3 = vec4f(0.0f);
  var ra0 = 0.0f; var ra1 = 0.0f; var ra2 = 0.0f; var ra3 = 0.0f;
  var rb0 = 0.0f; var rb1 = 0.0f; var rb2 = 0.0f; var rb3 = 0.0f;
  ${fetch('0u')}
  ${stash('0u')}
  workgroupBarrier();
  for (var s = 0u; s < ${slices}u; s++) {
    let cur = (s % 2u) * ${SLICE}u;
    let more = s + 1u < ${slices}u;
    if (more) {
    ${fetch(`(s + 1u) * ${SLICE}u`)}
    }
    ${inner.join('\n    ')}
    if (more) {
    ${stash(`${SLICE}u - cur`)}
    }
    workgroupBarrier();
  }
  ${stores.join('\n  ')}
}`;
  return {
    label: `${g.label} tiled ${M}x${K}x${N}`,
    body,
    bindings: g.bindings,
    workgroups: [Math.ceil(N / TILE), Math.ceil(M / TILE), 1],
  };
}
