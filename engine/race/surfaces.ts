// The optimizer race's analytic 2-D surfaces, as one table: the function, its gradient (by hand, checked against
// finite differences in surfaces.test.ts), a view box, the known optima, the minimum value (so contour levels can be
// log-spaced over f - min), a default start and step count, and learning rates that make each optimizer's path
// worth watching on that surface (the other hyperparameters stay torch.optim's defaults).
//
// The noisy bowl is the one stochastic surface: its loss is the plain bowl, its gradient carries seeded Gaussian
// noise from the engine's counter RNG (stream RACE_NOISE_STREAM, counter = step), the same draw for every optimizer
// at a given step, so the race stays fair and a seed replays it exactly.

import { rngNormal } from '../rng/rng';
import type { RacerId } from './racers';

export type SurfaceId = 'rosenbrock' | 'beale' | 'himmelblau' | 'saddle' | 'ravine' | 'noisy';

/** RNG stream of the noisy bowl's gradient noise (far from dropout's and init's streams). */
export const RACE_NOISE_STREAM = 0x7ace;

export interface Surface {
  id: SurfaceId;
  name: string;
  /** The formula as plain text (also read by screen readers). */
  formula: string;
  f: (x: number, y: number) => number;
  /** The exact gradient at (x, y). */
  grad: (x: number, y: number) => [number, number];
  /** Gradient noise standard deviation (0: deterministic). */
  noise: number;
  view: { x: [number, number]; y: [number, number] };
  optima: [number, number][];
  /** The global minimum value, so f - minValue >= 0 everywhere. */
  minValue: number;
  start: [number, number];
  steps: number;
  lr: Record<RacerId, number>;
  /** What to notice, one sentence. */
  notice: string;
}

const RAVINE_ANGLE = Math.PI / 6;
const [RC, RS] = [Math.cos(RAVINE_ANGLE), Math.sin(RAVINE_ANGLE)];

export const SURFACES: Surface[] = [
  {
    id: 'rosenbrock',
    name: 'Rosenbrock',
    formula: 'f(x, y) = (1 − x)² + 100 (y − x²)²',
    f: (x, y) => (1 - x) ** 2 + 100 * (y - x * x) ** 2,
    grad: (x, y) => [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)],
    noise: 0,
    view: { x: [-2, 2], y: [-1, 3] },
    optima: [[1, 1]],
    minValue: 0,
    start: [-1.5, 2.5],
    steps: 500,
    lr: { sgd: 0.002, momentum: 0.001, nesterov: 0.001, rmsprop: 0.01, adagrad: 0.5, adam: 0.1, adamw: 0.1 },
    notice: 'A curved, flat-bottomed valley: every method finds the valley fast and then crawls along it to (1, 1).',
  },
  {
    id: 'beale',
    name: 'Beale',
    formula: 'f(x, y) = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²',
    f: (x, y) => (1.5 - x + x * y) ** 2 + (2.25 - x + x * y * y) ** 2 + (2.625 - x + x * y ** 3) ** 2,
    grad: (x, y) => {
      const a = 1.5 - x + x * y;
      const b = 2.25 - x + x * y * y;
      const c = 2.625 - x + x * y ** 3;
      return [
        2 * a * (y - 1) + 2 * b * (y * y - 1) + 2 * c * (y ** 3 - 1),
        2 * a * x + 4 * b * x * y + 6 * c * x * y * y,
      ];
    },
    noise: 0,
    view: { x: [-4.5, 4.5], y: [-4.5, 4.5] },
    optima: [[3, 0.5]],
    minValue: 0,
    start: [1, 1.75],
    steps: 500,
    lr: { sgd: 0.02, momentum: 0.002, nesterov: 0.002, rmsprop: 0.05, adagrad: 0.5, adam: 0.2, adamw: 0.2 },
    notice:
      'Steep walls and flat plateaus: gradient size varies by orders of magnitude, which adaptive methods absorb.',
  },
  {
    id: 'himmelblau',
    name: 'Himmelblau',
    formula: 'f(x, y) = (x² + y − 11)² + (x + y² − 7)²',
    f: (x, y) => (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2,
    grad: (x, y) => {
      const a = x * x + y - 11;
      const b = x + y * y - 7;
      return [4 * x * a + 2 * b, 2 * a + 4 * y * b];
    },
    noise: 0,
    view: { x: [-5, 5], y: [-5, 5] },
    optima: [
      [3, 2],
      [-2.805118086952745, 3.131312518250573],
      [-3.779310253377747, -3.28318599128617],
      [3.584428340330492, -1.848126526964404],
    ],
    minValue: 0,
    start: [-0.5, -0.5],
    steps: 300,
    lr: { sgd: 0.005, momentum: 0.002, nesterov: 0.002, rmsprop: 0.02, adagrad: 0.5, adam: 0.1, adamw: 0.1 },
    notice: 'Four equal minima: from one start point different optimizers can end in different basins.',
  },
  {
    id: 'saddle',
    name: 'Saddle',
    formula: 'f(x, y) = x² + (y² − 1)² / 4',
    f: (x, y) => x * x + (y * y - 1) ** 2 / 4,
    grad: (x, y) => [2 * x, y * (y * y - 1)],
    noise: 0,
    view: { x: [-2, 2], y: [-2, 2] },
    optima: [
      [0, 1],
      [0, -1],
    ],
    minValue: 0,
    start: [-1.8, 0.01],
    steps: 300,
    lr: { sgd: 0.05, momentum: 0.02, nesterov: 0.02, rmsprop: 0.02, adagrad: 0.2, adam: 0.05, adamw: 0.05 },
    notice:
      'A saddle at the origin between two valleys: a start almost on the ridge line shows who escapes the saddle and who lingers.',
  },
  {
    id: 'ravine',
    name: 'Ill-conditioned ravine',
    formula: 'f = u²/20 + 5 v², (u, v) the point rotated by 30°',
    f: (x, y) => {
      const u = RC * x + RS * y;
      const v = -RS * x + RC * y;
      return (u * u) / 20 + 5 * v * v;
    },
    grad: (x, y) => {
      const u = RC * x + RS * y;
      const v = -RS * x + RC * y;
      return [(u / 10) * RC - 10 * v * RS, (u / 10) * RS + 10 * v * RC];
    },
    noise: 0,
    view: { x: [-6, 6], y: [-6, 6] },
    optima: [[0, 0]],
    minValue: 0,
    start: [-5, 1],
    steps: 200,
    lr: { sgd: 0.18, momentum: 0.02, nesterov: 0.02, rmsprop: 0.05, adagrad: 1, adam: 0.2, adamw: 0.2 },
    notice: 'Curvature 100 times larger across the ravine than along it: plain SGD zig-zags, momentum averages it out.',
  },
  {
    id: 'noisy',
    name: 'Noisy bowl',
    formula: 'f(x, y) = (x² + y²) / 2, gradient + 𝒩(0, 0.5²) noise',
    f: (x, y) => (x * x + y * y) / 2,
    grad: (x, y) => [x, y],
    noise: 0.5,
    view: { x: [-3, 3], y: [-3, 3] },
    optima: [[0, 0]],
    minValue: 0,
    start: [2.5, 2],
    steps: 200,
    lr: { sgd: 0.1, momentum: 0.01, nesterov: 0.01, rmsprop: 0.01, adagrad: 0.3, adam: 0.05, adamw: 0.05 },
    notice:
      'Stochastic gradients: nobody settles exactly at the minimum; the size of the final jitter follows the step size.',
  },
];

export function surfaceById(id: string): Surface | undefined {
  return SURFACES.find((s) => s.id === id);
}

/** The gradient an optimizer sees at `step`: exact, plus the surface's seeded noise. */
export function observedGradient(s: Surface, x: number, y: number, step: number, seed: number): [number, number] {
  const [gx, gy] = s.grad(x, y);
  if (s.noise === 0) return [gx, gy];
  return [
    gx + s.noise * rngNormal(seed, RACE_NOISE_STREAM, step, 0),
    gy + s.noise * rngNormal(seed, RACE_NOISE_STREAM, step, 1),
  ];
}

export function distanceToNearest(s: Surface, x: number, y: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (const [ox, oy] of s.optima) best = Math.min(best, Math.hypot(x - ox, y - oy));
  return best;
}
