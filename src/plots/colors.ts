// Colour helpers for the Lab charts: colour-blind-safe palettes (the theme's two class colours, Okabe-Ito for more
// classes, viridis for depth, a diverging orange-neutral-teal for signed values) and 256-entry RGBA lookup tables
// so canvases paint a grid with one table read per pixel. Pure functions, no DOM.
import { color as d3color, interpolateLab, interpolateViridis } from 'd3';

export type RGB = [number, number, number];

export function parseColor(s: string | undefined, fallback: RGB): RGB {
  if (!s) return fallback;
  const c = d3color(s.trim());
  if (!c) return fallback;
  const { r, g, b } = c.rgb();
  return [Math.round(r), Math.round(g), Math.round(b)];
}

export function toCss([r, g, b]: RGB): string {
  return `rgb(${Math.round(r)}, ${Math.round(g)}, ${Math.round(b)})`;
}

export function mix(a: RGB, b: RGB, t: number): RGB {
  const u = t < 0 ? 0 : t > 1 ? 1 : t;
  return [a[0] + (b[0] - a[0]) * u, a[1] + (b[1] - a[1]) * u, a[2] + (b[2] - a[2]) * u];
}

/** Okabe-Ito (2008), without its black, which vanishes on the dark theme. */
export const OKABE_ITO = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7', '#999999'];

/**
 * Colours for k classes: the theme's two class colours first (so 2-class plots match the rest of the app), then
 * Okabe-Ito hues that stay apart from them, then two extra hues for k = 9..10 (MNIST).
 */
export function classPalette(k: number, classA: string, classB: string): string[] {
  const rest = ['#0072B2', '#CC79A7', '#F0E442', '#56B4E9', '#D55E00', '#009E73', '#999999', '#A6761D'];
  return [classA, classB, ...rest].slice(0, Math.max(k, 0));
}

/** Categorical series colours (Okabe-Ito order). */
export function categorical(i: number): string {
  return OKABE_ITO[((i % OKABE_ITO.length) + OKABE_ITO.length) % OKABE_ITO.length];
}

/**
 * Sequential colour at t in [0, 1] (viridis), trimmed at the end that would vanish into the background: the pale
 * yellow on the light theme, the near-black purple on the dark one.
 */
export function sequential(t: number, dark: boolean): string {
  const u = t < 0 ? 0 : t > 1 ? 1 : t;
  return dark ? interpolateViridis(0.22 + 0.78 * u) : interpolateViridis(0.84 * u);
}

/** n colours by depth (layer 0 = shallowest), readable on the given theme. */
export function depthColors(n: number, dark: boolean): string[] {
  return Array.from({ length: n }, (_, i) => sequential(n <= 1 ? 0.5 : i / (n - 1), dark));
}

/** A lookup table of n RGBA entries (alpha 255) sampled from f over [0, 1]. */
export function buildLut(f: (t: number) => RGB, n = 256): Uint8ClampedArray {
  const lut = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    const [r, g, b] = f(n === 1 ? 0 : i / (n - 1));
    lut[i * 4] = r;
    lut[i * 4 + 1] = g;
    lut[i * 4 + 2] = b;
    lut[i * 4 + 3] = 255;
  }
  return lut;
}

/** Diverging table: t = 0 is the most negative, 0.5 is zero (the neutral), 1 the most positive. Lab interpolation. */
export function divergingLut(neg: RGB, mid: RGB, pos: RGB, n = 256): Uint8ClampedArray {
  const lo = interpolateLab(toCss(neg), toCss(mid));
  const hi = interpolateLab(toCss(mid), toCss(pos));
  return buildLut((t) => parseColor(t < 0.5 ? lo(t * 2) : hi(t * 2 - 1), mid), n);
}

/** Sequential table for densities and rates: viridis (perceptually uniform, colour-blind safe). */
export function viridisLut(n = 256): Uint8ClampedArray {
  return buildLut((t) => parseColor(interpolateViridis(t), [0, 0, 0]), n);
}

/**
 * Two-class probability table indexed by p(class b) in [0, 1]: the hue blends from class a to class b, and the
 * colour fades into the background as confidence |2p - 1| falls, so the boundary (p = 0.5) is the palest line.
 */
export function twoClassLut(a: RGB, b: RGB, bg: RGB, n = 256): Uint8ClampedArray {
  return buildLut((p) => {
    const conf = Math.abs(2 * p - 1);
    return mix(bg, p < 0.5 ? a : b, 0.1 + 0.58 * conf ** 0.8);
  }, n);
}

/** One class's table indexed by its probability in [0, 1]: from the background (p = 0) to the class colour. */
export function opacityLut(c: RGB, bg: RGB, n = 256): Uint8ClampedArray {
  return buildLut((p) => mix(bg, c, 0.08 + 0.6 * p), n);
}

/** Index into an n-entry table for v in [lo, hi] (clamped; NaN maps to the middle). */
export function lutIndex(v: number, lo: number, hi: number, n = 256): number {
  if (!(hi > lo) || Number.isNaN(v)) return (n - 1) >> 1;
  const t = (v - lo) / (hi - lo);
  return t <= 0 ? 0 : t >= 1 ? n - 1 : Math.round(t * (n - 1));
}

/** Black or white text, whichever reads better on an RGB background (WCAG relative luminance). */
export function textOn([r, g, b]: RGB): '#111' | '#fff' {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const l = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  return l > 0.22 ? '#111' : '#fff';
}

/**
 * Density table, monotone in lightness away from the background: on light, from the background through viridis
 * greens to its dark indigo; on dark, from the background through viridis teal to its yellow.
 */
export function densityLut(bg: RGB, dark: boolean, n = 256): Uint8ClampedArray {
  const stops = (dark ? [0.2, 0.5, 0.78, 0.98] : [0.85, 0.55, 0.32, 0.08]).map((t) =>
    parseColor(interpolateViridis(t), bg),
  );
  const all = [bg, mix(bg, stops[0], 0.35), ...stops];
  const seg = all.length - 1;
  const ips = all.slice(0, -1).map((c, i) => interpolateLab(toCss(c), toCss(all[i + 1])));
  return buildLut((t) => {
    const u = Math.min(seg - 1e-9, t * seg);
    const i = Math.floor(u);
    return parseColor(ips[i](u - i), bg);
  }, n);
}
