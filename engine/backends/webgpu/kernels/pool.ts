// 2-D max and average pooling (NCHW, no padding, PyTorch semantics: max picks the first maximum in scan order)
// and their gradients in gather form (each input element sums the windows it belongs to): deterministic.
import { type Binding, type BufferView, grid1d, type KernelLaunch } from '../shader';

export interface PoolShape {
  N: number;
  C: number;
  H: number;
  W: number;
  kernel: number;
  stride: number;
}

export function poolOutSize(s: PoolShape): { OH: number; OW: number } {
  return { OH: Math.floor((s.H - s.kernel) / s.stride) + 1, OW: Math.floor((s.W - s.kernel) / s.stride) + 1 };
}

function head(s: PoolShape, n: number, withArgmax: boolean): string {
  const { OH, OW } = poolOutSize(s);
  return /* wgsl */ `
const H = ${s.H}u; const W = ${s.W}u; const K = ${s.kernel}u; const S = ${s.stride}u; const OH = ${OH}u; const OW = ${OW}u;
${withArgmax ? ARGMAX : ''}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.x + gid.y * nwg.x * 64u;
  if (i >= ${n}u) { return; }`;
}

const ARGMAX = /* wgsl */ `
// Flat index of the first maximum of window (plane, oh, ow) in scan order.
fn argmaxAt(plane: u32, oh: u32, ow: u32) -> u32 {
  var best = plane * H * W + (oh * S) * W + ow * S;
  var bv = x[best];
  for (var kh = 0u; kh < K; kh++) {
    for (var kw = 0u; kw < K; kw++) {
      let j = plane * H * W + (oh * S + kh) * W + ow * S + kw;
      let v = x[j];
      if (v > bv || (v != v && bv == bv)) { bv = v; best = j; }
    }
  }
  return best;
}`;

type Mode = 'max' | 'avg';

export function poolForward(label: string, mode: Mode, s: PoolShape, x: BufferView, y: BufferView): KernelLaunch {
  const { OH, OW } = poolOutSize(s);
  const n = s.N * s.C * OH * OW;
  const inner =
    mode === 'max'
      ? 'y[i] = x[argmaxAt(plane, oh, ow)];'
      : `var acc = 0.0f;
  for (var kh = 0u; kh < K; kh++) { for (var kw = 0u; kw < K; kw++) { acc += x[plane * H * W + (oh * S + kh) * W + ow * S + kw]; } }
  y[i] = acc / ${s.kernel * s.kernel}.0f;`;
  const body = `${head(s, n, mode === 'max')}
  let ow = i % OW; let oh = (i / OW) % OH; let plane = i / (OW * OH);
  ${inner}
}`;
  return {
    label: `${label} ${mode}pool2d`,
    body,
    bindings: [
      { name: 'x', access: 'read', type: 'array<f32>', view: x },
      { name: 'y', access: 'read_write', type: 'array<f32>', view: y },
    ],
    workgroups: grid1d(n, 64),
  };
}

/** A fused activation gradient: also writes out[i] = dx[i] * df(x[i], y[i], p) (the next op of the backward). */
export interface GradAct {
  df: string;
  param: string;
  fns: string;
  x: BufferView;
  y: BufferView;
  out: BufferView;
}

/** dx for max or average pooling; for max, x is the forward input (argmax recomputed); unused for average.
 * Non-overlapping windows (stride == kernel) take a loop-free path: each input element is in at most one window. */
export function poolBackward(
  label: string,
  mode: Mode,
  s: PoolShape,
  x: BufferView | undefined,
  dy: BufferView,
  dx: BufferView,
  gradAct?: GradAct,
): KernelLaunch {
  if (s.stride === s.kernel) return poolBackwardTiled(label, mode, s, x, dy, dx, gradAct);
  const n = s.N * s.C * s.H * s.W;
  const take =
    mode === 'max'
      ? 'if (argmaxAt(plane, oh, ow) == i) { acc += dy[o]; }'
      : `acc += dy[o] / ${s.kernel * s.kernel}.0f;`;
  const windows =
    s.stride === s.kernel
      ? `let oh = ih / S; let ow = iw / S;
  if (oh < OH && ow < OW) {
    let o = (plane * OH + oh) * OW + ow;
    ${take}
  }`
      : `// Windows (oh, ow) with oh*S <= ih < oh*S + K.
  let ohLo = select(0u, (ih - K + S) / S, ih + 1u > K);
  let owLo = select(0u, (iw - K + S) / S, iw + 1u > K);
  for (var oh = ohLo; oh <= min(ih / S, OH - 1u); oh++) {
    for (var ow = owLo; ow <= min(iw / S, OW - 1u); ow++) {
      let o = (plane * OH + oh) * OW + ow;
      ${take}
    }
  }`;
  // The activation output is often the pooling input itself: bind it once.
  const ySame = !!gradAct && mode === 'max' && !!x && sameView(x, gradAct.y);
  const fused = gradAct ? `\n  gOut[i] = acc * dactFn(gX[i], ${ySame ? 'x' : 'gY'}[i], ${gradAct.param});` : '';
  const body = `${gradAct ? `${gradAct.fns}\nfn dactFn(x: f32, y: f32, p: f32) -> f32 { return ${gradAct.df}; }` : ''}
${head(s, n, mode === 'max')}
  let iw = i % W; let ih = (i / W) % H; let plane = i / (W * H);
  var acc = 0.0f;
  ${windows}
  dx[i] = acc;${fused}
}`;
  const bindings: Binding[] = [
    ...(mode === 'max' && x ? [{ name: 'x', access: 'read' as const, type: 'array<f32>', view: x }] : []),
    { name: 'dy', access: 'read', type: 'array<f32>', view: dy },
    { name: 'dx', access: 'read_write', type: 'array<f32>', view: dx },
  ];
  if (gradAct)
    bindings.push(
      { name: 'gX', access: 'read', type: 'array<f32>', view: gradAct.x },
      ...(ySame ? [] : [{ name: 'gY', access: 'read' as const, type: 'array<f32>', view: gradAct.y }]),
      { name: 'gOut', access: 'read_write', type: 'array<f32>', view: gradAct.out },
    );
  return {
    label: `${label} ${mode}pool2d-grad${gradAct ? '+act-grad' : ''}`,
    body,
    bindings,
    workgroups: grid1d(n, 64),
  };
}

function sameView(a: BufferView, b: BufferView): boolean {
  return a.buffer === b.buffer && a.offset === b.offset && a.size === b.size;
}

/** Non-overlapping windows: one invocation per window block writes the gradient of its K x K inputs (max: only the
 * first maximum gets dy), so the argmax is found once per window; blocks past the last window (H or W not a
 * multiple of K) write zeros. No two invocations write the same element: deterministic without atomics. */
function poolBackwardTiled(
  label: string,
  mode: Mode,
  s: PoolShape,
  x: BufferView | undefined,
  dy: BufferView,
  dx: BufferView,
  gradAct?: GradAct,
): KernelLaunch {
  const K = s.kernel;
  const BH = Math.ceil(s.H / K);
  const BW = Math.ceil(s.W / K);
  const n = s.N * s.C * BH * BW;
  const ySame = !!gradAct && mode === 'max' && !!x && sameView(x, gradAct.y);
  const write = gradAct
    ? `dx[j] = v; gOut[j] = v * dactFn(gX[j], ${ySame ? 'x' : 'gY'}[j], ${gradAct.param});`
    : 'dx[j] = v;';
  const value = mode === 'max' ? 'select(0.0, g, j == best)' : `g / ${K * K}.0f`;
  const body = `${gradAct ? `${gradAct.fns}\nfn dactFn(x: f32, y: f32, p: f32) -> f32 { return ${gradAct.df}; }` : ''}
${head(s, n, mode === 'max')}
  let bw = i % ${BW}u; let bh = (i / ${BW}u) % ${BH}u; let plane = i / ${BH * BW}u;
  let inside = bh < OH && bw < OW;
  var g = 0.0f;
  var best = 0xffffffffu;
  if (inside) {
    g = dy[(plane * OH + bh) * OW + bw];
    ${mode === 'max' ? 'best = argmaxAt(plane, bh, bw);' : ''}
  }
  for (var kh = 0u; kh < K; kh++) {
    for (var kw = 0u; kw < K; kw++) {
      let h = bh * K + kh; let w = bw * K + kw;
      if (h < H && w < W) {
        let j = plane * H * W + h * W + w;
        let v = select(0.0, ${value}, inside);
        ${write}
      }
    }
  }
}`;
  const bindings: Binding[] = [
    ...(mode === 'max' && x ? [{ name: 'x', access: 'read' as const, type: 'array<f32>', view: x }] : []),
    { name: 'dy', access: 'read', type: 'array<f32>', view: dy },
    { name: 'dx', access: 'read_write', type: 'array<f32>', view: dx },
  ];
  if (gradAct)
    bindings.push(
      { name: 'gX', access: 'read', type: 'array<f32>', view: gradAct.x },
      ...(ySame ? [] : [{ name: 'gY', access: 'read' as const, type: 'array<f32>', view: gradAct.y }]),
      { name: 'gOut', access: 'read_write', type: 'array<f32>', view: gradAct.out },
    );
  return {
    label: `${label} ${mode}pool2d-grad-tiled${gradAct ? '+act-grad' : ''}`,
    body,
    bindings,
    workgroups: grid1d(n, 64),
  };
}
