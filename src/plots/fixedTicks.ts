// A scale with fixed tick positions (bar centres, integer counts, week indices) for ChartAxes.
import type { AxisScale } from './ChartAxes';

export function withTicks(scale: (v: number) => number, ticks: number[]): AxisScale {
  return Object.assign((v: number) => scale(v), {
    ticks: () => ticks,
    domain: () => [Math.min(...ticks), Math.max(...ticks)],
  });
}
