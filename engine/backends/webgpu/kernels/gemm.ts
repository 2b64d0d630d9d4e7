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
  /** Split the outermost loop over a workgroup per output tile (default: when tiles are few and K is long). */
  splitK?: boolean;
}

const WG = 64;

const XYZW = 'xyzw';

export function gemmLaunch(s: GemmSpec): KernelLaunch {
  // Rows per invocation: the next power of two of M up to 8 (each B load then feeds more FMAs; a few clamped
  // rows cost less than a second row block).
  const TM = s.tm ?? (s.M > 4 ? 8 : s.M > 2 ? 4 : s.M);
  const rows = [...Array(TM).keys()];
  const cols = [0, 1, 2, 3];
  const tiles = Math.ceil(s.N / 4) * Math.ceil(s.M / TM);
  // Few output tiles and a long K (weight gradients of convolutions): one workgroup per tile, its 64 invocations
  // splitting the outermost loop, then a fixed reduction tree (deterministic).
  const split = s.splitK ?? (!!s.loops && tiles < 256 && s.loops[0].count >= 16);
  const L: string[] = [];
  for (const i of rows) L.push(`let row${i} = min(m0 + ${i}u, ${s.M - 1}u);`, s.rowSetup?.(i) ?? '');
  for (const j of cols) L.push(`let col${j} = min(n0 + ${j}u, ${s.N - 1}u);`, s.colSetup?.(j) ?? '');
  for (const i of rows) L.push(`var acc${i} = vec4f(0.0);`);
  const nest = s.loops ?? [{ name: 'k', count: s.K }];
  if (s.loops) {
    const prod = s.loops.reduce((a, l) => a * l.count, 1);
    if (prod !== s.K) throw new Error(`gemm ${s.label}: loop nest covers ${prod} of K = ${s.K}`);
    if (!split) L.push('var k = 0u;');
  }
  nest.forEach((l, level) => {
    if (split && level === 0) {
      const inner = nest.slice(1).reduce((a, x) => a * x.count, 1);
      L.push(`for (var ${l.name} = t; ${l.name} < ${l.count}u; ${l.name} += ${WG}u) {`);
      if (s.loops) L.push(`  var k = ${l.name} * ${inner}u;`);
    } else L.push(`for (var ${l.name} = 0u; ${l.name} < ${l.count}u; ${l.name}++) {`);
    if (l.setup) L.push(`  ${l.setup}`);
  });
  if (s.kSetup) L.push(`  ${s.kSetup}`);
  L.push(`  let bv = vec4f(${cols.map((j) => s.b(j)).join(', ')});`);
  for (const i of rows) L.push(`  acc${i} = fma(vec4f(${s.a(i)}), bv, acc${i});`);
  if (s.loops) L.push('  k++;');
  for (const _ of nest) L.push('}');
  const stores = (i: number, v: (j: number) => string) => {
    L.push(`if (m0 + ${i}u < ${s.M}u) {`);
    for (const j of cols) L.push(`  if (n0 + ${j}u < ${s.N}u) { ${s.store(`(m0 + ${i}u)`, `(n0 + ${j}u)`, v(j))} }`);
    L.push('}');
  };
  if (split) {
    // All TM rows reduce together: one tree of log2(64) barrier steps (barriers are costly on CPU rasterisers).
    for (const i of rows) L.push(`red[${i * WG}u + t] = acc${i};`);
    L.push('workgroupBarrier();');
    const adds = rows.map((i) => `red[${i * WG}u + t] = red[${i * WG}u + t] + red[${i * WG}u + t + w];`).join(' ');
    L.push(`for (var w = ${WG / 2}u; w > 0u; w = w / 2u) { if (t < w) { ${adds} } workgroupBarrier(); }`);
    L.push('if (t == 0u) {');
    for (const i of rows) stores(i, (j) => `red[${i * WG}u].${XYZW[j]}`);
    L.push('}');
  } else for (const i of rows) stores(i, (j) => `acc${i}.${XYZW[j]}`);
  const gx = Math.ceil(s.N / 4);
  const gy = Math.ceil(s.M / TM);
  const head = split
    ? `var<workgroup> red: array<vec4f, ${WG * TM}>;
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) t: u32) {
  let n0 = wg.x * 4u;
  let m0 = wg.y * ${TM}u;`
    : `@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let n0 = gid.x * 4u;
  let m0 = gid.y * ${TM}u;`;
  const body = /* wgsl */ `
${s.fns ?? ''}
${head}
  if (n0 >= ${s.N}u || m0 >= ${s.M}u) { return; }
  ${L.filter((l) => l !== '').join('\n  ')}
}`;
  return {
    label: `${s.label} gemm${split ? '-splitk' : ''} ${s.M}x${s.K}x${s.N}`,
    body,
    bindings: s.bindings,
    workgroups: split ? [gx, gy, 1] : [Math.ceil(gx / 64), gy, 1],
  };
}
