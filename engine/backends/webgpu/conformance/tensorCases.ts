// Conformance cases of the graph core's tensor ops (engine/graph/ops.ts "tensor ops"): every kind, and the variants
// that take different code paths (bmm transposes, causal softmax, out-of-range token ids, conv_transpose2d with
// stride and output padding, concat of several inputs).
import type { CaseBuilder, OpCase } from './cases';

export function tensorCases(B: (name: string) => CaseBuilder): OpCase[] {
  const cases: OpCase[] = [];
  let b = B('add_bcast');
  cases.push(
    b.build('add_bcast', {
      kind: 'add_bcast',
      a: b.t([6, 10]),
      b: b.s([10]),
      out: b.t([6, 10], 'zeros'),
      outer: 6,
      inner: 10,
    }),
  );
  b = B('slice');
  cases.push(
    b.build('slice', {
      kind: 'slice',
      x: b.t([4, 12]),
      out: b.t([4, 5], 'zeros'),
      outer: 4,
      inSize: 12,
      start: 3,
      len: 5,
    }),
  );
  b = B('slice_grad');
  cases.push(
    b.build('slice_grad', {
      kind: 'slice_grad',
      dy: b.t([4, 5]),
      dx: b.t([4, 12]),
      outer: 4,
      inSize: 12,
      start: 3,
      len: 5,
    }),
  );
  b = B('slice_acc');
  cases.push(
    b.build('slice_acc', {
      kind: 'slice_acc',
      dy: b.t([4, 5]),
      dx: b.t([4, 12]),
      outer: 4,
      inSize: 12,
      start: 6,
      len: 5,
    }),
  );
  b = B('concat of three');
  cases.push(
    b.build('concat', {
      kind: 'concat',
      inputs: [b.t([3, 2]), b.t([3, 4]), b.t([3, 1])],
      out: b.t([3, 7], 'zeros'),
      outer: 3,
      sizes: [2, 4, 1],
    }),
  );
  b = B('transpose heads');
  cases.push(
    b.build('transpose', {
      kind: 'transpose',
      x: b.t([2, 5, 3, 4]),
      out: b.t([2, 3, 5, 4], 'zeros'),
      outer: 2,
      a: 5,
      b: 3,
      inner: 4,
    }),
  );
  for (const transA of [false, true])
    for (const transB of [false, true]) {
      const [batch, m, n, k] = [3, 5, 4, 6];
      b = B(`bmm tA=${transA} tB=${transB}`);
      const a = b.t(transA ? [batch, k, m] : [batch, m, k]);
      const w = b.t(transB ? [batch, n, k] : [batch, k, n]);
      cases.push(
        b.build('bmm', {
          kind: 'bmm',
          a,
          b: w,
          out: b.t([batch, m, n], 'zeros'),
          batch,
          m,
          n,
          k,
          transA,
          transB,
          alpha: 0.5,
        }),
      );
    }
  for (const causal of [0, 5]) {
    b = B(`softmax causal=${causal}`);
    cases.push(
      b.build('softmax', { kind: 'softmax', x: b.t([10, 5]), out: b.t([10, 5], 'zeros'), rows: 10, cols: 5, causal }),
    );
  }
  b = B('softmax_grad');
  cases.push(
    b.build('softmax_grad', {
      kind: 'softmax_grad',
      y: b.t([6, 5], 'positive'),
      dy: b.t([6, 5]),
      dx: b.t([6, 5], 'zeros'),
      rows: 6,
      cols: 5,
    }),
  );
  b = B('gather (one id out of range)');
  const idx = b.t([7], { classes: 6 });
  const table = b.s([5, 3]);
  cases.push(
    b.build('gather', { kind: 'gather', table, index: idx, out: b.t([7, 3], 'zeros'), rows: 7, dim: 3, vocab: 5 }),
  );
  b = B('gather_grad');
  cases.push(
    b.build('gather_grad', {
      kind: 'gather_grad',
      index: b.t([9], { classes: 4 }),
      dy: b.t([9, 3]),
      dtable: b.s([4, 3], 'zeros'),
      rows: 9,
      dim: 3,
      vocab: 4,
    }),
  );
  b = B('mean_axis');
  cases.push(
    b.build('mean_axis', { kind: 'mean_axis', x: b.t([3, 5, 4]), out: b.t([3, 4], 'zeros'), outer: 3, n: 5, inner: 4 }),
  );
  b = B('mean_axis_grad');
  cases.push(
    b.build('mean_axis_grad', {
      kind: 'mean_axis_grad',
      dy: b.t([3, 4]),
      dx: b.t([3, 5, 4], 'zeros'),
      outer: 3,
      n: 5,
      inner: 4,
    }),
  );
  b = B('upsample x2');
  cases.push(
    b.build('upsample', {
      kind: 'upsample',
      x: b.t([4, 3, 2]),
      out: b.t([4, 6, 4], 'zeros'),
      planes: 4,
      h: 3,
      w: 2,
      scale: 2,
    }),
  );
  b = B('upsample_grad x3');
  cases.push(
    b.build('upsample_grad', {
      kind: 'upsample_grad',
      dy: b.t([2, 9, 6]),
      dx: b.t([2, 3, 2], 'zeros'),
      planes: 2,
      h: 3,
      w: 2,
      scale: 3,
    }),
  );
  // Transposed conv of a [2, 3, 4, 3] input to 4 channels, kernel 3, stride 2, padding 1, output padding 1.
  for (const bias of [true, false]) {
    const [n, cin, h, w, cout, k, s, p, op] = [2, 3, 4, 3, 4, 3, 2, 1, 1];
    const oh = (h - 1) * s - 2 * p + k + op;
    const ow = (w - 1) * s - 2 * p + k + op;
    b = B(`conv_transpose2d bias=${bias}`);
    cases.push(
      b.build('conv_transpose2d', {
        kind: 'conv_transpose2d',
        x: b.t([n, cin, h, w]),
        weight: b.s([cin, cout, k, k]),
        bias: bias ? b.s([cout]) : null,
        out: b.t([n, cout, oh, ow], 'zeros'),
        n,
        c: cout,
        h: oh,
        w: ow,
        f: cin,
        kh: k,
        kw: k,
        stride: s,
        pad: p,
        oh: h,
        ow: w,
      }),
    );
  }
  b = B('scale');
  cases.push(b.build('scale', { kind: 'scale', x: b.t([37]), out: b.t([37], 'zeros'), size: 37, factor: -0.75 }));
  b = B('exp');
  cases.push(b.build('exp', { kind: 'exp', x: b.t([64]), out: b.t([64], 'zeros'), size: 64, factor: 3.5 }));
  b = B('stop_grad');
  cases.push(b.build('stop_grad', { kind: 'stop_grad', x: b.t([37]), out: b.t([37], 'zeros'), size: 37 }));
  b = B('randn');
  cases.push(b.build('randn', { kind: 'randn', out: b.t([300], 'zeros'), size: 300, stream: 9 }));
  b = B('sum');
  cases.push(b.build('sum', { kind: 'sum', x: b.t([50]), out: b.s([1], 'zeros'), size: 50 }));
  b = B('fill_grad');
  cases.push(b.build('fill_grad', { kind: 'fill_grad', dy: b.s([1]), dx: b.t([20], 'zeros'), size: 20 }));
  b = B('mul of a tensor with itself');
  const sq = b.t([33]);
  cases.push(b.build('mul', { kind: 'mul', a: sq, b: sq, out: b.t([33], 'zeros'), size: 33 }));
  b = B('mul in place');
  const m = b.t([33]);
  cases.push(b.build('mul', { kind: 'mul', a: m, b: b.t([33]), out: m, size: 33 }));
  return cases;
}
