// The eight activation functions of the atlas and their derivatives, as plain functions (for the figure and tests).

export interface Activation {
  id: string;
  name: string;
  /** The formula in plain text, for the legend. */
  formula: string;
  f: (x: number) => number;
  df: (x: number) => number;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const SQRT2 = Math.SQRT2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** erf to ~1e-7 (Abramowitz and Stegun 7.1.26 is too coarse for derivatives; this is W. J. Cody's rational form). */
export function erf(x: number): number {
  // Numerical Recipes erfc via Chebyshev fit, relative error < 1.2e-7.
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - r : r - 1;
}

const Phi = (x: number) => 0.5 * (1 + erf(x / SQRT2));
const phi = (x: number) => INV_SQRT_2PI * Math.exp(-0.5 * x * x);

export const LEAKY_SLOPE = 0.1;

export const ACTIVATIONS: Activation[] = [
  { id: 'relu', name: 'ReLU', formula: 'max(0, x)', f: (x) => Math.max(0, x), df: (x) => (x > 0 ? 1 : 0) },
  {
    id: 'leaky-relu',
    name: 'Leaky ReLU',
    formula: `max(${LEAKY_SLOPE}x, x)`,
    f: (x) => (x > 0 ? x : LEAKY_SLOPE * x),
    df: (x) => (x > 0 ? 1 : LEAKY_SLOPE),
  },
  {
    id: 'elu',
    name: 'ELU',
    formula: 'x if x > 0, else eˣ − 1',
    f: (x) => (x > 0 ? x : Math.expm1(x)),
    df: (x) => (x > 0 ? 1 : Math.exp(x)),
  },
  {
    id: 'gelu',
    name: 'GELU',
    formula: 'x · Φ(x), Φ the normal CDF',
    f: (x) => x * Phi(x),
    df: (x) => Phi(x) + x * phi(x),
  },
  {
    id: 'silu',
    name: 'SiLU / Swish',
    formula: 'x · σ(x)',
    f: (x) => x * sigmoid(x),
    df: (x) => {
      const s = sigmoid(x);
      return s * (1 + x * (1 - s));
    },
  },
  {
    id: 'sigmoid',
    name: 'Sigmoid',
    formula: 'σ(x) = 1 / (1 + e⁻ˣ)',
    f: sigmoid,
    df: (x) => sigmoid(x) * (1 - sigmoid(x)),
  },
  {
    id: 'tanh',
    name: 'Tanh',
    formula: 'tanh(x) = (eˣ − e⁻ˣ) / (eˣ + e⁻ˣ)',
    f: Math.tanh,
    df: (x) => 1 - Math.tanh(x) ** 2,
  },
  {
    id: 'softplus',
    name: 'Softplus',
    formula: 'log(1 + eˣ)',
    f: (x) => (x > 20 ? x : Math.log1p(Math.exp(x))),
    df: sigmoid,
  },
];
