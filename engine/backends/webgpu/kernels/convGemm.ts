// Convolution and its gradients as implicit GEMMs (no im2col buffer): the operand loaders compute the im2col
// index on the fly, padding reads as zero. Same semantics as the direct kernels in conv.ts (the test reference).
//   forward:      out[f, (n,oh,ow)]  = sum_{(c,kh,kw)} W[f,(c,kh,kw)] * X[(c,kh,kw),(n,oh,ow)]
//   grad weight:  dW[f, (c,kh,kw)]   = sum_{(n,oh,ow)} dY[f,(n,oh,ow)] * X[(n,oh,ow),(c,kh,kw)]
//   grad input:   dX[c, (n,ih,iw)]   = sum_{(f,kh,kw)} W[f,c,kh,kw] * dY[n, f, (ih+P-kh)/S, (iw+P-kw)/S]
import type { Binding, BufferView, KernelLaunch } from '../shader';
import { type ConvShape, convOutSize } from './conv';
import { gemmLaunch } from './gemm';

const bind = (name: string, access: 'read' | 'read_write', view: BufferView): Binding => ({
  name,
  access,
  type: 'array<f32>',
  view,
});

export function conv2dForwardGemm(
  label: string,
  s: ConvShape,
  x: BufferView,
  w: BufferView,
  b: BufferView | undefined,
  y: BufferView,
  act?: { f: string; param: string; fns: string; out: BufferView },
): KernelLaunch {
  const { OH, OW } = convOutSize(s);
  const P = OH * OW;
  const KK = s.KH * s.KW;
  const bindings = [bind('x', 'read', x), bind('w', 'read', w), bind('y', 'read_write', y)];
  if (b) bindings.push(bind('bias', 'read', b));
  if (act) bindings.push(bind('actOut', 'read_write', act.out));
  const actFns = act ? `${act.fns}\nfn actFn(x: f32, p: f32) -> f32 { return ${act.f}; }` : '';
  return gemmLaunch({
    label: `${label} conv2d${act ? '+act' : ''}`,
    M: s.Cout,
    N: s.N * P,
    K: s.Cin * KK,
    bindings,
    rowSetup: (i) => `let wb${i} = row${i} * ${s.Cin * KK}u;`,
    colSetup: (j) => `let nb${j} = col${j} / ${P}u; let p${j} = col${j} % ${P}u;
  let ih${j} = i32(p${j} / ${OW}u) * ${s.stride}i - ${s.padding}i; let iw${j} = i32(p${j} % ${OW}u) * ${s.stride}i - ${s.padding}i;
  let xb${j} = nb${j} * ${s.Cin * s.H * s.W}u;`,
    kSetup: `let c = k / ${KK}u; let kh = i32((k / ${s.KW}u) % ${s.KH}u); let kw = i32(k % ${s.KW}u);`,
    a: (i) => `w[wb${i} + k]`,
    b: (j) => `ld(xb${j}, c, ih${j} + kh, iw${j} + kw)`,
    fns: `fn ld(base: u32, c: u32, ih: i32, iw: i32) -> f32 {
  let ok = ih >= 0 && ih < ${s.H}i && iw >= 0 && iw < ${s.W}i;
  let v = x[base + (c * ${s.H}u + u32(clamp(ih, 0i, ${s.H - 1}i))) * ${s.W}u + u32(clamp(iw, 0i, ${s.W - 1}i))];
  return select(0.0, v, ok);
}
${actFns}`,
    store: (m, n, v) => {
      const idx = `((${n} / ${P}u) * ${s.Cout}u + ${m}) * ${P}u + ${n} % ${P}u`;
      const z = `${v}${b ? ` + bias[${m}]` : ''}`;
      return act
        ? `{ let z = ${z}; let o = ${idx}; y[o] = z; actOut[o] = actFn(z, ${act.param}); }`
        : `y[${idx}] = ${z};`;
    },
  });
}

export function conv2dGradWeightGemm(
  label: string,
  s: ConvShape,
  dy: BufferView,
  x: BufferView,
  dw: BufferView,
): KernelLaunch {
  const { OH, OW } = convOutSize(s);
  const P = OH * OW;
  const KK = s.KH * s.KW;
  return gemmLaunch({
    label: `${label} conv2d-grad-weight`,
    M: s.Cout,
    N: s.Cin * KK,
    K: s.N * P,
    bindings: [bind('dy', 'read', dy), bind('x', 'read', x), bind('dw', 'read_write', dw)],
    colSetup: (j) =>
      `let c${j} = col${j} / ${KK}u; let kh${j} = i32((col${j} / ${s.KW}u) % ${s.KH}u); let kw${j} = i32(col${j} % ${s.KW}u);`,
    kSetup: `let nb = k / ${P}u; let p = k % ${P}u;
  let ih0 = i32(p / ${OW}u) * ${s.stride}i - ${s.padding}i; let iw0 = i32(p % ${OW}u) * ${s.stride}i - ${s.padding}i;
  let xb = nb * ${s.Cin * s.H * s.W}u; let db = nb * ${s.Cout * P}u + p;`,
    a: (i) => `dy[db + row${i} * ${P}u]`,
    b: (j) => `ld(xb, c${j}, ih0 + kh${j}, iw0 + kw${j})`,
    fns: `fn ld(base: u32, c: u32, ih: i32, iw: i32) -> f32 {
  let ok = ih >= 0 && ih < ${s.H}i && iw >= 0 && iw < ${s.W}i;
  let v = x[base + (c * ${s.H}u + u32(clamp(ih, 0i, ${s.H - 1}i))) * ${s.W}u + u32(clamp(iw, 0i, ${s.W - 1}i))];
  return select(0.0, v, ok);
}`,
    store: (m, n, v) => `dw[${m} * ${s.Cin * KK}u + ${n}] = ${v};`,
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
  return gemmLaunch({
    label: `${label} conv2d-grad-input`,
    M: s.Cin,
    N: s.N * HW,
    K: s.Cout * KK,
    bindings: [bind('dy', 'read', dy), bind('w', 'read', w), bind('dx', 'read_write', dx)],
    colSetup: (j) => `let nb${j} = col${j} / ${HW}u; let q${j} = col${j} % ${HW}u;
  let th${j} = i32(q${j} / ${s.W}u) + ${s.padding}i; let tw${j} = i32(q${j} % ${s.W}u) + ${s.padding}i;
  let db${j} = nb${j} * ${s.Cout * OH * OW}u;`,
    kSetup: `let f = k / ${KK}u; let kh = i32((k / ${s.KW}u) % ${s.KH}u); let kw = i32(k % ${s.KW}u);`,
    a: (i) => `w[(f * ${s.Cin}u + row${i}) * ${KK}u + k % ${KK}u]`,
    b: (j) => `ld(db${j}, f, th${j} - kh, tw${j} - kw)`,
    fns: `fn ld(base: u32, f: u32, th: i32, tw: i32) -> f32 {
  let oh = th / ${s.stride}i;
  let ow = tw / ${s.stride}i;
  let ok = th >= 0 && tw >= 0 && th % ${s.stride}i == 0 && tw % ${s.stride}i == 0 && oh < ${OH}i && ow < ${OW}i;
  let v = dy[base + (f * ${OH}u + u32(clamp(oh, 0i, ${OH - 1}i))) * ${OW}u + u32(clamp(ow, 0i, ${OW - 1}i))];
  return select(0.0, v, ok);
}`,
    store: (m, n, v) => `dx[((${n} / ${HW}u) * ${s.Cin}u + ${m}) * ${HW}u + ${n} % ${HW}u] = ${v};`,
  });
}
