// 2-D max and average pooling (NCHW, no padding, PyTorch semantics: max picks the first maximum in scan order)
// and their gradients in gather form (each input element sums the windows it belongs to): deterministic.
import { type BufferView, grid1d, type KernelLaunch } from '../shader';

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

/** dx for max or average pooling; for max, x is the forward input (argmax recomputed); unused for average. */
export function poolBackward(
  label: string,
  mode: Mode,
  s: PoolShape,
  x: BufferView | undefined,
  dy: BufferView,
  dx: BufferView,
  accumulate = false,
): KernelLaunch {
  const n = s.N * s.C * s.H * s.W;
  const take =
    mode === 'max'
      ? 'if (argmaxAt(plane, oh, ow) == i) { acc += dy[o]; }'
      : `acc += dy[o] / ${s.kernel * s.kernel}.0f;`;
  const body = `${head(s, n, mode === 'max')}
  let iw = i % W; let ih = (i / W) % H; let plane = i / (W * H);
  var acc = 0.0f;
  // Windows (oh, ow) with oh*S <= ih < oh*S + K.
  let ohLo = select(0u, (ih - K + S) / S, ih + 1u > K);
  let owLo = select(0u, (iw - K + S) / S, iw + 1u > K);
  for (var oh = ohLo; oh <= min(ih / S, OH - 1u); oh++) {
    for (var ow = owLo; ow <= min(iw / S, OW - 1u); ow++) {
      let o = (plane * OH + oh) * OW + ow;
      ${take}
    }
  }
  dx[i] = ${accumulate ? 'dx[i] + acc' : 'acc'};
}`;
  return {
    label: `${label} ${mode}pool2d-grad`,
    body,
    bindings: [
      ...(mode === 'max' && x ? [{ name: 'x', access: 'read' as const, type: 'array<f32>', view: x }] : []),
      { name: 'dy', access: 'read', type: 'array<f32>', view: dy },
      { name: 'dx', access: 'read_write', type: 'array<f32>', view: dx },
    ],
    workgroups: grid1d(n, 64),
  };
}
