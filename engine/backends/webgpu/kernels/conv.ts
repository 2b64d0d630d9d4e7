// Direct 2-D convolution (NCHW, weight [Cout, Cin, KH, KW], PyTorch cross-correlation semantics) and its two
// gradients, each as one invocation per output element summing in a fixed order: deterministic, no atomics.
import { type Binding, type BufferView, grid1d, type KernelLaunch } from '../shader';

export interface ConvShape {
  N: number;
  Cin: number;
  H: number;
  W: number;
  Cout: number;
  KH: number;
  KW: number;
  stride: number;
  padding: number;
}

export function convOutSize(s: ConvShape): { OH: number; OW: number } {
  return {
    OH: Math.floor((s.H + 2 * s.padding - s.KH) / s.stride) + 1,
    OW: Math.floor((s.W + 2 * s.padding - s.KW) / s.stride) + 1,
  };
}

const INDEX = (n: number) => /* wgsl */ `
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.x + gid.y * nwg.x * 64u;
  if (i >= ${n}u) { return; }`;

function consts(s: ConvShape): string {
  const { OH, OW } = convOutSize(s);
  return `const N = ${s.N}u; const CI = ${s.Cin}u; const H = ${s.H}i; const W = ${s.W}i; const CO = ${s.Cout}u;
const KH = ${s.KH}u; const KW = ${s.KW}u; const S = ${s.stride}i; const P = ${s.padding}i; const OH = ${OH}i; const OW = ${OW}i;`;
}

const bind = (name: string, access: 'read' | 'read_write', view: BufferView): Binding => ({
  name,
  access,
  type: 'array<f32>',
  view,
});

/** y[n,co,oh,ow] = b[co] + sum_{ci,kh,kw} x[n,ci,oh*S-P+kh,ow*S-P+kw] * w[co,ci,kh,kw]. */
export function conv2dForward(
  label: string,
  s: ConvShape,
  x: BufferView,
  w: BufferView,
  b: BufferView | undefined,
  y: BufferView,
): KernelLaunch {
  const { OH, OW } = convOutSize(s);
  const n = s.N * s.Cout * OH * OW;
  const body = `${consts(s)}
${INDEX(n)}
  let ow = i32(i % u32(OW)); let oh = i32((i / u32(OW)) % u32(OH));
  let co = (i / u32(OW * OH)) % CO; let nb = i / (u32(OW * OH) * CO);
  var acc = ${b ? 'bias[co]' : '0.0f'};
  for (var ci = 0u; ci < CI; ci++) {
    for (var kh = 0u; kh < KH; kh++) {
      let ih = oh * S - P + i32(kh);
      if (ih < 0 || ih >= H) { continue; }
      for (var kw = 0u; kw < KW; kw++) {
        let iw = ow * S - P + i32(kw);
        if (iw < 0 || iw >= W) { continue; }
        acc = fma(x[((nb * CI + ci) * u32(H) + u32(ih)) * u32(W) + u32(iw)], w[((co * CI + ci) * KH + kh) * KW + kw], acc);
      }
    }
  }
  y[i] = acc;
}`;
  const bindings = [bind('x', 'read', x), bind('w', 'read', w), bind('y', 'read_write', y)];
  if (b) bindings.push(bind('bias', 'read', b));
  return { label: `${label} conv2d`, body, bindings, workgroups: grid1d(n, 64) };
}

/** dx[n,ci,ih,iw] = sum_{co,kh,kw} dy[n,co,oh,ow] * w[co,ci,kh,kw] over (oh,ow) with oh*S-P+kh = ih. */
export function conv2dGradInput(
  label: string,
  s: ConvShape,
  dy: BufferView,
  w: BufferView,
  dx: BufferView,
  accumulate = false,
): KernelLaunch {
  const n = s.N * s.Cin * s.H * s.W;
  const body = `${consts(s)}
${INDEX(n)}
  let iw = i32(i % u32(W)); let ih = i32((i / u32(W)) % u32(H));
  let ci = (i / u32(W * H)) % CI; let nb = i / (u32(W * H) * CI);
  var acc = 0.0f;
  for (var co = 0u; co < CO; co++) {
    for (var kh = 0u; kh < KH; kh++) {
      let th = ih + P - i32(kh);
      if (th < 0 || th % S != 0 || th / S >= OH) { continue; }
      let oh = th / S;
      for (var kw = 0u; kw < KW; kw++) {
        let tw = iw + P - i32(kw);
        if (tw < 0 || tw % S != 0 || tw / S >= OW) { continue; }
        let ow = tw / S;
        acc = fma(dy[((nb * CO + co) * u32(OH) + u32(oh)) * u32(OW) + u32(ow)], w[((co * CI + ci) * KH + kh) * KW + kw], acc);
      }
    }
  }
  dx[i] = ${accumulate ? 'dx[i] + acc' : 'acc'};
}`;
  return {
    label: `${label} conv2d-grad-input`,
    body,
    bindings: [bind('dy', 'read', dy), bind('w', 'read', w), bind('dx', 'read_write', dx)],
    workgroups: grid1d(n, 64),
  };
}

/** dw[co,ci,kh,kw] = sum_{n,oh,ow} dy[n,co,oh,ow] * x[n,ci,oh*S-P+kh,ow*S-P+kw]. */
export function conv2dGradWeight(
  label: string,
  s: ConvShape,
  dy: BufferView,
  x: BufferView,
  dw: BufferView,
  accumulate = false,
): KernelLaunch {
  const n = s.Cout * s.Cin * s.KH * s.KW;
  const body = `${consts(s)}
${INDEX(n)}
  let kw = i % KW; let kh = (i / KW) % KH; let ci = (i / (KW * KH)) % CI; let co = i / (KW * KH * CI);
  var acc = 0.0f;
  for (var nb = 0u; nb < N; nb++) {
    for (var oh = 0i; oh < OH; oh++) {
      let ih = oh * S - P + i32(kh);
      if (ih < 0 || ih >= H) { continue; }
      for (var ow = 0i; ow < OW; ow++) {
        let iw = ow * S - P + i32(kw);
        if (iw < 0 || iw >= W) { continue; }
        acc = fma(dy[((nb * CO + co) * u32(OH) + u32(oh)) * u32(OW) + u32(ow)], x[((nb * CI + ci) * u32(H) + u32(ih)) * u32(W) + u32(iw)], acc);
      }
    }
  }
  dw[i] = ${accumulate ? 'dw[i] + acc' : 'acc'};
}`;
  return {
    label: `${label} conv2d-grad-weight`,
    body,
    bindings: [bind('dy', 'read', dy), bind('x', 'read', x), bind('dw', 'read_write', dw)],
    workgroups: grid1d(n, 64),
  };
}

/** db[co] = sum_{n,oh,ow} dy[n,co,oh,ow] (also the per-channel sum used by BatchNorm2d). */
export function channelSum(
  label: string,
  N: number,
  C: number,
  HW: number,
  dy: BufferView,
  db: BufferView,
  accumulate = false,
): KernelLaunch {
  const body = /* wgsl */ `
${INDEX(C)}
  var acc = 0.0f;
  for (var nb = 0u; nb < ${N}u; nb++) {
    let base = (nb * ${C}u + i) * ${HW}u;
    for (var p = 0u; p < ${HW}u; p++) { acc += dy[base + p]; }
  }
  db[i] = ${accumulate ? 'db[i] + acc' : 'acc'};
}`;
  return {
    label: `${label} channel-sum`,
    body,
    bindings: [bind('dy', 'read', dy), bind('db', 'read_write', db)],
    workgroups: grid1d(C, 64),
  };
}
