// A register-blocked GEMM skeleton with pluggable operand loaders: C[m,n] = sum_k A(m,k) B(k,n), each invocation
// computing TM rows x 4 columns. Loaders are WGSL snippets with per-row, per-column and per-k setup, so operands can
// be views computed on the fly (implicit im2col for convolutions) without materialising them. Edges are handled by
// clamping row/column indices (loads stay in bounds; results of clamped lanes are not stored).
import type { Binding, KernelLaunch } from '../shader';

export interface GemmSpec {
  label: string;
  M: number;
  N: number;
  K: number;
  bindings: Binding[];
  /** Extra WGSL module-scope declarations. */
  fns?: string;
  /** Statements run once per row i (0..TM-1) with `row${i}` (u32, clamped) in scope. */
  rowSetup?: (i: number) => string;
  /** Statements run once per column j (0..3) with `col${j}` (u32, clamped) in scope. */
  colSetup?: (j: number) => string;
  /** Statements at the top of each k iteration (`k` in scope). */
  kSetup?: string;
  /** WGSL f32 expression A(row i, k). */
  a: (i: number) => string;
  /** WGSL f32 expression B(k, column j). */
  b: (j: number) => string;
  /** WGSL statement storing `v` (f32) at row `m`, column `n` (u32 expressions; only for in-range m and n). */
  store: (m: string, n: string, v: string) => string;
  /** Rows per invocation (default 8; smaller M picks fewer). */
  tm?: number;
  /** Replace the flat k loop by a loop nest (product of counts = K), outermost first; `setup` runs at the top of
   * each level (after opening it). A running `k` (0 .. K-1) stays available to loaders. */
  loops?: { name: string; count: number; setup?: string }[];
}

const XYZW = 'xyzw';

export function gemmLaunch(s: GemmSpec): KernelLaunch {
  const TM = s.tm ?? (s.M >= 8 ? 8 : s.M >= 4 ? 4 : s.M >= 2 ? 2 : 1);
  const rows = [...Array(TM).keys()];
  const cols = [0, 1, 2, 3];
  const L: string[] = [];
  for (const i of rows) L.push(`let row${i} = min(m0 + ${i}u, ${s.M - 1}u);`, s.rowSetup?.(i) ?? '');
  for (const j of cols) L.push(`let col${j} = min(n0 + ${j}u, ${s.N - 1}u);`, s.colSetup?.(j) ?? '');
  for (const i of rows) L.push(`var acc${i} = vec4f(0.0);`);
  const nest = s.loops ?? [{ name: 'k', count: s.K }];
  if (s.loops) {
    const prod = s.loops.reduce((a, l) => a * l.count, 1);
    if (prod !== s.K) throw new Error(`gemm ${s.label}: loop nest covers ${prod} of K = ${s.K}`);
    L.push('var k = 0u;');
  }
  for (const l of nest) {
    L.push(`for (var ${l.name} = 0u; ${l.name} < ${l.count}u; ${l.name}++) {`);
    if (l.setup) L.push(`  ${l.setup}`);
  }
  if (s.kSetup) L.push(`  ${s.kSetup}`);
  L.push(`  let bv = vec4f(${cols.map((j) => s.b(j)).join(', ')});`);
  for (const i of rows) L.push(`  acc${i} = fma(vec4f(${s.a(i)}), bv, acc${i});`);
  if (s.loops) L.push('  k++;');
  for (const _ of nest) L.push('}');
  for (const i of rows) {
    L.push(`if (m0 + ${i}u < ${s.M}u) {`);
    for (const j of cols)
      L.push(`  if (n0 + ${j}u < ${s.N}u) { ${s.store(`(m0 + ${i}u)`, `(n0 + ${j}u)`, `acc${i}.${XYZW[j]}`)} }`);
    L.push('}');
  }
  const gx = Math.ceil(s.N / 4);
  const gy = Math.ceil(s.M / TM);
  const body = /* wgsl */ `
${s.fns ?? ''}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let n0 = gid.x * 4u;
  let m0 = gid.y * ${TM}u;
  if (n0 >= ${s.N}u || m0 >= ${s.M}u) { return; }
  ${L.filter((l) => l !== '').join('\n  ')}
}`;
  return {
    label: `${s.label} gemm ${s.M}x${s.K}x${s.N}`,
    body,
    bindings: s.bindings,
    workgroups: [Math.ceil(gx / 64), gy, 1],
  };
}
