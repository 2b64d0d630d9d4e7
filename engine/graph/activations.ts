// The ONE table of activations. Each entry gives its forward and derivative twice: as JS (the CPU reference, in
// double precision) and as WGSL expressions (for generated WebGPU kernels), so both backends come from one place and
// a new activation is one new entry. Semantics follow torch.nn (relu/leaky_relu/elu/gelu exact/silu/sigmoid/tanh/
// softplus with beta 1 and threshold 20).
//
// WGSL expressions are written in terms of `x` (input), `y` (the forward output, available to derivatives) and
// `p` (the structural parameter: leaky slope or elu alpha), all f32, and may call the helpers in WGSL_PRELUDE.

import type { ActivationName } from '../spec/types';

export interface ActivationDef {
  /** Name and default of the layer attribute feeding `p`, or null when there is none. */
  param: { key: 'slope' | 'alpha'; default: number } | null;
  f(x: number, p: number): number;
  /** df/dx at x, given y = f(x). */
  df(x: number, y: number, p: number): number;
  wgsl: { f: string; df: string };
}

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

export const ACTIVATIONS: { [K in ActivationName]: ActivationDef } = {
  relu: {
    param: null,
    f: (x) => Math.max(x, 0),
    df: (x) => (x > 0 ? 1 : 0),
    wgsl: { f: 'max(x, 0.0)', df: 'select(0.0, 1.0, x > 0.0)' },
  },
  leaky_relu: {
    param: { key: 'slope', default: 0.01 },
    f: (x, p) => (x > 0 ? x : p * x),
    df: (x, _y, p) => (x > 0 ? 1 : p),
    wgsl: { f: 'select(p * x, x, x > 0.0)', df: 'select(p, 1.0, x > 0.0)' },
  },
  elu: {
    param: { key: 'alpha', default: 1 },
    f: (x, p) => (x > 0 ? x : p * Math.expm1(x)),
    df: (x, _y, p) => (x > 0 ? 1 : p * Math.exp(x)),
    wgsl: { f: 'select(p * ga_expm1(x), x, x > 0.0)', df: 'select(p * exp(x), 1.0, x > 0.0)' },
  },
  gelu: {
    param: null,
    f: (x) => 0.5 * x * (1 + erf(x * SQRT1_2)),
    df: (x) => 0.5 * (1 + erf(x * SQRT1_2)) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x),
    wgsl: {
      f: '0.5 * x * (1.0 + ga_erf(x * 0.70710678118654752))',
      df: '0.5 * (1.0 + ga_erf(x * 0.70710678118654752)) + x * 0.39894228040143268 * exp(-0.5 * x * x)',
    },
  },
  silu: {
    param: null,
    f: (x) => x * sigmoid(x),
    df: (x) => {
      const s = sigmoid(x);
      return s * (1 + x * (1 - s));
    },
    wgsl: { f: 'x * ga_sigmoid(x)', df: 'ga_sigmoid(x) * (1.0 + x * (1.0 - ga_sigmoid(x)))' },
  },
  sigmoid: {
    param: null,
    f: sigmoid,
    df: (_x, y) => y * (1 - y),
    wgsl: { f: 'ga_sigmoid(x)', df: 'y * (1.0 - y)' },
  },
  tanh: {
    param: null,
    f: Math.tanh,
    df: (_x, y) => 1 - y * y,
    wgsl: { f: 'tanh(x)', df: '1.0 - y * y' },
  },
  softplus: {
    // torch: beta 1, threshold 20 (linear above it, for numerical stability)
    param: null,
    f: (x) => (x > 20 ? x : Math.log1p(Math.exp(x))),
    df: (x) => (x > 20 ? 1 : sigmoid(x)),
    wgsl: { f: 'select(ga_log1p(exp(x)), x, x > 20.0)', df: 'select(ga_sigmoid(x), 1.0, x > 20.0)' },
  },
};

export const ACTIVATION_NAMES = Object.keys(ACTIVATIONS) as ActivationName[];

export function isActivation(name: string): name is ActivationName {
  return Object.hasOwn(ACTIVATIONS, name);
}

/** The structural parameter of an activation layer (0 when it has none). */
export function activationParam(name: ActivationName, layer: { slope?: number; alpha?: number }): number {
  const def = ACTIVATIONS[name].param;
  if (def === null) return 0;
  return layer[def.key] ?? def.default;
}

// ---------------------------------------------------------------- erf in double precision (JS reference)

/** erf to ~1e-15 absolute: Maclaurin series below |x| = 3 (cancellation costs < 4 digits there), continued fraction
 * for erfc beyond. */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 3) {
    // erf(x) = 2/sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n+1))
    let term = ax;
    let sum = ax;
    const x2 = ax * ax;
    for (let n = 1; n < 100; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    const r = (2 / Math.sqrt(Math.PI)) * sum;
    return x < 0 ? -r : r;
  }
  const r = 1 - erfcLarge(ax);
  return x < 0 ? -r : r;
}

/** erfc(x) for x >= 3 by the Lentz continued fraction erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...)))). */
function erfcLarge(x: number): number {
  // K = x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))), coefficients a_k = k/2.
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 200; k++) {
    const a = k / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

// ---------------------------------------------------------------- WGSL helpers used by the expressions above

/** Prepend to any WGSL module that uses the expressions above. ga_erf: Numerical Recipes' erfc Chebyshev fit,
 * fractional error < 1.2e-7 everywhere (float32-level). ga_expm1 / ga_log1p: the classic correction trick so small
 * arguments keep their relative accuracy (WGSL has neither function). */
export const WGSL_PRELUDE = /* wgsl */ `
fn ga_sigmoid(x: f32) -> f32 {
  if (x >= 0.0) { return 1.0 / (1.0 + exp(-x)); }
  let e = exp(x);
  return e / (1.0 + e);
}
fn ga_expm1(x: f32) -> f32 {
  if (abs(x) < 1e-5) { return x + 0.5 * x * x; }
  return exp(x) - 1.0;
}
fn ga_log1p(x: f32) -> f32 {
  let u = 1.0 + x;
  if (u == 1.0) { return x; }
  return log(u) * (x / (u - 1.0));
}
fn ga_erf(x: f32) -> f32 {
  let z = abs(x);
  let t = 1.0 / (1.0 + 0.5 * z);
  let r = t * exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  let e = 1.0 - r;
  return select(-e, e, x >= 0.0);
}
`;
