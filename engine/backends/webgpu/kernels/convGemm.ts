// Convolution and its gradients as implicit GEMMs (no im2col buffer): the operand loaders compute the im2col
// offsets on the fly inside a (channel, kh, kw) or (batch, oh, ow) loop nest, so the inner loop has no division;
// without padding (the common LeNet case) loads need no bounds checks at all. Same semantics as the direct
// kernels in conv.ts (the test reference).
//   forward:      out[f, (n,oh,ow)]  = sum_{(c,kh,kw)} W[f,(c,kh,kw)] * X[(c,kh,kw),(n,oh,ow)]
//   grad weight:  dW[f, (c,kh,kw)]   = sum_{(n,oh,ow)} dY[f,(n,oh,ow)] * X[(n,oh,ow),(c,kh,kw)]
//   grad input:   dX[c, (n,ih,iw)]   = sum_{(f,kh,kw)} W[f,c,kh,kw] * dY[n, f, (ih+P-kh)/S, (iw+P-kw)/S]
import { type Binding, type BufferView, grid1d, type KernelLaunch } from '../shader';
import { type ConvShape, convOutSize } from './conv';
import { gemmLaunch } from './gemm';
import type { KernelSelection } from './select';
import { tiledFits, tiledGemmLaunch } from './tiled';

const bind = (name: string, access: 'read' | 'read_write', view: BufferView): Binding => ({
  name,
  access,
  type: 'array<f32>',
  view,
});

const COLS = [0, 1, 2, 3];
const each = (f: (j: number) => string): string => COLS.map(f).join(' ');

export function conv2dForwardGemm(
  label: string,
  s: ConvShape,
  x: BufferView,
  w: BufferView,
  b: BufferView | undefined,
  y: BufferView,
  act?: { f: string; param: string; fns: string; out: BufferView },
  /** The adapter's kernel choice (kernels/select.ts): conv 'tiled' uses workgroup-memory tiles (tiled.ts). */
  select?: KernelSelection,
): KernelLaunch {
  const { OH, OW } = convOutSize(s);
  const P = OH * OW;
  const HW = s.H * s.W;
  const KK = s.KH * s.KW;
  const S = s.stride;
  const pad = s.padding > 0;
  const bindings = [bind('x', 'read', x), bind('w', 'read', w), bind('y', 'read_write', y)];
  if (b) bindings.push(bind('bias', 'read', b));
  if (act) bindings.push(bind('actOut', 'read_write', act.out));
  const actFns = act ? `${act.fns}\nfn actFn(x: f32, p: f32) -> f32 { return ${act.f}; }` : '';
  const store = (m: string, n: string, v: string) => {
    const idx = `((${n} / ${P}u) * ${s.Cout}u + ${m}) * ${P}u + ${n} % ${P}u`;
    const z = `${v}${b ? ` + bias[${m}]` : ''}`;
    return act
      ? `{ let z = ${z}; let o = ${idx}; y[o] = z; actOut[o] = actFn(z, ${act.param}); }`
      : `y[${idx}] = ${z};`;
  };
  if (select?.conv === 'tiled' && tiledFits(s.Cout, s.N * P, s.Cin * KK, select.tiledMinOutputs))
    // The same implicit im2col as below, one element at a time: k = (c, kh, kw), n = (image, oh, ow).
    return tiledGemmLaunch({
      label: `${label} conv2d${act ? '+act' : ''}`,
      M: s.Cout,
      N: s.N * P,
      K: s.Cin * KK,
      bindings,
      fns: `${actFns}
fn xAt(k: u32, n: u32) -> f32 {
  let c = k / ${KK}u; let r = k % ${KK}u;
  let img = n / ${P}u; let p = n % ${P}u;
  let ih = i32(p / ${OW}u) * ${S}i - ${s.padding}i + i32(r / ${s.KW}u);
  let iw = i32(p % ${OW}u) * ${S}i - ${s.padding}i + i32(r % ${s.KW}u);
  if (ih < 0i || ih >= ${s.H}i || iw < 0i || iw >= ${s.W}i) { return 0.0; }
  return x[(img * ${s.Cin}u + c) * ${HW}u + u32(ih) * ${s.W}u + u32(iw)];
}`,
      a: (m, k) => `w[${m} * ${s.Cin * KK}u + ${k}]`,
      b: (k, n) => `xAt(${k}, ${n})`,
      aContiguous: 'k',
      bContiguous: 'n',
      store,
    });
  return gemmLaunch({
    label: `${label} conv2d${act ? '+act' : ''}`,
    M: s.Cout,
    N: s.N * P,
    K: s.Cin * KK,
    bindings,
    fns: actFns,
    rowSetup: (i) => `let wb${i} = row${i} * ${s.Cin * KK}u;`,
    colSetup: (j) => `let nb${j} = col${j} / ${P}u; let p${j} = col${j} % ${P}u;
  let ihb${j} = i32(p${j} / ${OW}u) * ${S}i - ${s.padding}i; let iwb${j} = i32(p${j} % ${OW}u) * ${S}i - ${s.padding}i;
  let xb${j} = nb${j} * ${s.Cin * HW}u;`,
    loops: [
      { name: 'c', count: s.Cin, setup: `let xc = c * ${HW}u;` },
      {
        name: 'kh',
        count: s.KH,
        setup: pad
          ? each(
              (j) => `let ih${j} = ihb${j} + i32(kh); let okh${j} = ih${j} >= 0 && ih${j} < ${s.H}i;
  let xr${j} = xb${j} + xc + u32(clamp(ih${j}, 0i, ${s.H - 1}i)) * ${s.W}u;`,
            )
          : each((j) => `let xr${j} = xb${j} + xc + u32(ihb${j} + i32(kh)) * ${s.W}u;`),
      },
      { name: 'kw', count: s.KW },
    ],
    a: (i) => `w[wb${i} + k]`,
    b: (j) =>
      pad
        ? `select(0.0, x[xr${j} + u32(clamp(iwb${j} + i32(kw), 0i, ${s.W - 1}i))], okh${j} && iwb${j} + i32(kw) >= 0 && iwb${j} + i32(kw) < ${s.W}i)`
        : `x[xr${j} + u32(iwb${j}) + kw]`,
    store,
  });
}

export function conv2dGradWeightGemm(
  label: string,
  s: ConvShape,
  dy: BufferView,
  x: BufferView,
  dw: BufferView,
  splitK?: boolean,
): KernelLaunch {
  const { OH, OW } = convOutSize(s);
  const P = OH * OW;
  const HW = s.H * s.W;
  const KK = s.KH * s.KW;
  const S = s.stride;
  const pad = s.padding > 0;
  return gemmLaunch({
    label: `${label} conv2d-grad-weight`,
    M: s.Cout,
    N: s.Cin * KK,
    K: s.N * P,
    bindings: [bind('dy', 'read', dy), bind('x', 'read', x), bind('dw', 'read_write', dw)],
    colSetup: (j) =>
      `let c${j} = col${j} / ${KK}u; let kh${j} = i32((col${j} / ${s.KW}u) % ${s.KH}u); let kw${j} = i32(col${j} % ${s.KW}u);
  let xc${j} = c${j} * ${HW}u;`,
    loops: [
      { name: 'nb', count: s.N, setup: `let xb = nb * ${s.Cin * HW}u; let db = nb * ${s.Cout * P}u;` },
      {
        name: 'oh',
        count: OH,
        setup: pad
          ? `let dr = db + oh * ${OW}u; let ihb = i32(oh) * ${S}i - ${s.padding}i;
  ${each((j) => `let ih${j} = ihb + kh${j}; let okh${j} = ih${j} >= 0 && ih${j} < ${s.H}i; let xr${j} = xb + xc${j} + u32(clamp(ih${j}, 0i, ${s.H - 1}i)) * ${s.W}u;`)}`
          : `let dr = db + oh * ${OW}u; ${each((j) => `let xr${j} = xb + xc${j} + (oh * ${S}u + u32(kh${j})) * ${s.W}u + u32(kw${j});`)}`,
      },
      { name: 'ow', count: OW },
    ],
    a: (i) => `dy[dr + ow + row${i} * ${P}u]`,
    b: (j) =>
      pad
        ? `select(0.0, x[xr${j} + u32(clamp(i32(ow) * ${S}i - ${s.padding}i + kw${j}, 0i, ${s.W - 1}i))], okh${j} && i32(ow) * ${S}i - ${s.padding}i + kw${j} >= 0 && i32(ow) * ${S}i - ${s.padding}i + kw${j} < ${s.W}i)`
        : `x[xr${j} + ow * ${S}u]`,
    store: (m, n, v) => `dw[${m} * ${s.Cin * KK}u + ${n}] = ${v};`,
    splitK,
  });
}

export function conv2dGradInputGemm(
  label: string,
  s: ConvShape,
  dy: BufferView,
  w: BufferView,
  dx: BufferView,
): KernelLaunch {
  const { OH, OW } = convOutSize(s);
  const HW = s.H * s.W;
  const KK = s.KH * s.KW;
  const S = s.stride;
  // Output row oh = (ih + P - kh) / S is valid when the division is exact and 0 <= oh < OH.
  const valid = (t: string, n: number) =>
    S === 1 ? `(${t} >= 0 && ${t} < ${n}i)` : `(${t} >= 0 && ${t} % ${S}i == 0 && ${t} / ${S}i < ${n}i)`;
  const div = (t: string, n: number) => `u32(clamp(${S === 1 ? t : `${t} / ${S}i`}, 0i, ${n - 1}i))`;
  return gemmLaunch({
    label: `${label} conv2d-grad-input`,
    M: s.Cin,
    N: s.N * HW,
    K: s.Cout * KK,
    bindings: [bind('dy', 'read', dy), bind('w', 'read', w), bind('dx', 'read_write', dx)],
    rowSetup: (i) => `let wr${i} = row${i} * ${KK}u;`,
    colSetup: (j) => `let nb${j} = col${j} / ${HW}u; let q${j} = col${j} % ${HW}u;
  let th${j} = i32(q${j} / ${s.W}u) + ${s.padding}i; let tw${j} = i32(q${j} % ${s.W}u) + ${s.padding}i;
  let db${j} = nb${j} * ${s.Cout * OH * OW}u;`,
    loops: [
      { name: 'f', count: s.Cout, setup: `let wf = f * ${s.Cin * KK}u; let df = f * ${OH * OW}u;` },
      {
        name: 'kh',
        count: s.KH,
        setup: each(
          (j) =>
            `let t${j} = th${j} - i32(kh); let okh${j} = ${valid(`t${j}`, OH)}; let dr${j} = db${j} + df + ${div(`t${j}`, OH)} * ${OW}u;`,
        ),
      },
      { name: 'kw', count: s.KW, setup: `let wo = wf + kh * ${s.KW}u + kw;` },
    ],
    a: (i) => `w[wo + wr${i}]`,
    b: (j) =>
      `select(0.0, dy[dr${j} + ${div(`(tw${j} - i32(kw))`, OW)}], okh${j} && ${valid(`(tw${j} - i32(kw))`, OW)})`,
    store: (m, n, v) => `dx[((${n} / ${HW}u) * ${s.Cin}u + ${m}) * ${HW}u + ${n} % ${HW}u] = ${v};`,
  });
}

/**
 * dx for stride 1 via a zero-padded copy of dy (in `scratch`): dx is then a plain valid correlation of the padded
 * dy with the flipped weights, so the GEMM's loads need no bounds checks. Two launches: pad, then GEMM.
 *   pad[n, f, ph, pw] = dy[n, f, ph - (KH-1-P), pw - (KW-1-P)] inside, 0 outside
 *   dx[c, (n,ih,iw)]  = sum_{(f,kh,kw)} W[f, c, KH-1-kh, KW-1-kw] * pad[n, f, ih+kh, iw+kw]
 */
export function conv2dGradInputPadded(
  label: string,
  s: ConvShape,
  dy: BufferView,
  w: BufferView,
  dx: BufferView,
  scratch: BufferView,
): KernelLaunch[] {
  const { OH, OW } = convOutSize(s);
  if (s.stride !== 1 || s.padding > s.KH - 1 || s.padding > s.KW - 1)
    throw new Error('conv2dGradInputPadded needs stride 1 and padding < kernel');
  const HP = s.H + s.KH - 1;
  const WP = s.W + s.KW - 1;
  const padT = s.KH - 1 - s.padding;
  const padL = s.KW - 1 - s.padding;
  const planes = s.N * s.Cout;
  const n = planes * HP * WP;
  const pad: KernelLaunch = {
    label: `${label} conv2d-grad-input-pad`,
    body: /* wgsl */ `
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let first = (gid.x + gid.y * nwg.x * 64u) * 4u;
  for (var e = 0u; e < 4u; e++) {
    let i = first + e;
    if (i >= ${n}u) { return; }
    let pw = i32(i % ${WP}u); let ph = i32((i / ${WP}u) % ${HP}u); let plane = i / ${HP * WP}u;
    let oh = ph - ${padT}i; let ow = pw - ${padL}i;
    let ok = oh >= 0 && oh < ${OH}i && ow >= 0 && ow < ${OW}i;
    let v = dy[plane * ${OH * OW}u + u32(clamp(oh, 0i, ${OH - 1}i)) * ${OW}u + u32(clamp(ow, 0i, ${OW - 1}i))];
    pad[i] = select(0.0, v, ok);
  }
}`,
    bindings: [bind('dy', 'read', dy), bind('pad', 'read_write', { ...scratch, size: Math.max(4, n * 4) })],
    workgroups: grid1d(Math.ceil(n / 4), 64),
  };
  const HW = s.H * s.W;
  const KK = s.KH * s.KW;
  const gemm = gemmLaunch({
    label: `${label} conv2d-grad-input`,
    M: s.Cin,
    N: s.N * HW,
    K: s.Cout * KK,
    bindings: [
      bind('pad', 'read', { ...scratch, size: Math.max(4, n * 4) }),
      bind('w', 'read', w),
      bind('dx', 'read_write', dx),
    ],
    rowSetup: (i) => `let wr${i} = row${i} * ${KK}u;`,
    colSetup: (j) => `let nb${j} = col${j} / ${HW}u; let q${j} = col${j} % ${HW}u;
  let pb${j} = nb${j} * ${s.Cout * HP * WP}u + (q${j} / ${s.W}u) * ${WP}u + q${j} % ${s.W}u;`,
    loops: [
      { name: 'f', count: s.Cout, setup: `let wf = f * ${s.Cin * KK}u; let pf = f * ${HP * WP}u;` },
      { name: 'kh', count: s.KH, setup: `let pr = pf + kh * ${WP}u; let wk = wf + (${s.KH - 1}u - kh) * ${s.KW}u;` },
      { name: 'kw', count: s.KW, setup: `let wo = wk + ${s.KW - 1}u - kw;` },
    ],
    a: (i) => `w[wo + wr${i}]`,
    b: (j) => `pad[pb${j} + pr + kw]`,
    store: (m, nn, v) => `dx[((${nn} / ${HW}u) * ${s.Cin}u + ${m}) * ${HW}u + ${nn} % ${HW}u] = ${v};`,
  });
  return [pad, gemm];
}

/** Scratch floats conv2dGradInputPadded needs. */
export function gradInputPadFloats(s: ConvShape): number {
  return s.N * s.Cout * (s.H + s.KH - 1) * (s.W + s.KW - 1);
}
