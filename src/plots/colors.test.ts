import { describe, expect, it } from 'vitest';
import {
  classPalette,
  densityLut,
  depthColors,
  divergingLut,
  lutIndex,
  OKABE_ITO,
  opacityLut,
  parseColor,
  type RGB,
  textOn,
  twoClassLut,
} from './colors';
import { fmt, fmtCompact, fmtInt, fmtLogTick } from './format';

const at = (lut: Uint8ClampedArray, i: number): RGB => [lut[i * 4], lut[i * 4 + 1], lut[i * 4 + 2]];
const dist = (a: RGB, b: RGB) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
const lum = ([r, g, b]: RGB) => 0.2126 * r + 0.7152 * g + 0.0722 * b;

const A: RGB = [14, 159, 158];
const B: RGB = [224, 114, 58];
const WHITE: RGB = [255, 255, 255];
const DARK: RGB = [22, 25, 35];

describe('colour parsing and palettes', () => {
  it('parses hex, rgb() and falls back', () => {
    expect(parseColor('#0e9f9e', [0, 0, 0])).toEqual(A);
    expect(parseColor(' rgb(1, 2, 3) ', [0, 0, 0])).toEqual([1, 2, 3]);
    expect(parseColor('', [9, 9, 9])).toEqual([9, 9, 9]);
    expect(parseColor('not a colour', [9, 9, 9])).toEqual([9, 9, 9]);
  });

  it('class palettes start with the theme classes and stay distinct up to 10', () => {
    const p = classPalette(10, '#0e9f9e', '#e0723a');
    expect(p).toHaveLength(10);
    expect(p.slice(0, 2)).toEqual(['#0e9f9e', '#e0723a']);
    expect(new Set(p).size).toBe(10);
    expect(OKABE_ITO).not.toContain('#000000');
  });

  it('depth colours avoid the end that vanishes on each theme', () => {
    const light = depthColors(12, false).map((c) => parseColor(c, [0, 0, 0]));
    const dark = depthColors(12, true).map((c) => parseColor(c, [0, 0, 0]));
    expect(Math.min(...light.map((c) => dist(c, WHITE)))).toBeGreaterThan(120);
    expect(Math.min(...dark.map((c) => dist(c, DARK)))).toBeGreaterThan(90);
  });
});

describe('lookup tables', () => {
  it('lutIndex clamps and centres NaN', () => {
    expect(lutIndex(-5, 0, 1)).toBe(0);
    expect(lutIndex(5, 0, 1)).toBe(255);
    expect(lutIndex(0.5, 0, 1)).toBe(128);
    expect(lutIndex(Number.NaN, 0, 1)).toBe(127);
    expect(lutIndex(1, 1, 1)).toBe(127);
  });

  it('two-class table: class a at p = 0, class b at p = 1, palest (nearest the background) at the boundary', () => {
    const lut = twoClassLut(A, B, WHITE);
    expect(dist(at(lut, 0), A)).toBeLessThan(dist(at(lut, 0), B));
    expect(dist(at(lut, 255), B)).toBeLessThan(dist(at(lut, 255), A));
    const d = [0, 64, 127, 128, 192, 255].map((i) => dist(at(lut, i), WHITE));
    expect(Math.min(...d)).toBe(Math.min(d[2], d[3]));
    expect(d[2]).toBeLessThan(d[1]);
    expect(d[3]).toBeLessThan(d[4]);
  });

  it('opacity table runs from the background toward the class colour', () => {
    const lut = opacityLut(A, DARK);
    expect(dist(at(lut, 0), DARK)).toBeLessThan(dist(at(lut, 255), DARK));
    expect(dist(at(lut, 255), A)).toBeLessThan(dist(at(lut, 0), A));
  });

  it('diverging table is the neutral at zero and the two ends elsewhere', () => {
    const lut = divergingLut(B, WHITE, A);
    expect(dist(at(lut, 0), B)).toBeLessThan(3);
    expect(dist(at(lut, 255), A)).toBeLessThan(3);
    expect(dist(at(lut, lutIndex(0, -1, 1)), WHITE)).toBeLessThan(8);
  });

  it('density table starts at the background and moves monotonically away in lightness', () => {
    for (const [bg, dark] of [
      [WHITE, false],
      [DARK, true],
    ] as const) {
      const lut = densityLut(bg, dark);
      expect(at(lut, 0)).toEqual(bg);
      const l = Array.from({ length: 16 }, (_, i) => lum(at(lut, i * 17)));
      for (let i = 1; i < l.length; i++) {
        if (dark) expect(l[i]).toBeGreaterThanOrEqual(l[i - 1] - 0.5);
        else expect(l[i]).toBeLessThanOrEqual(l[i - 1] + 0.5);
      }
    }
  });

  it('picks readable text', () => {
    expect(textOn([250, 240, 100])).toBe('#111');
    expect(textOn([40, 20, 80])).toBe('#fff');
  });
});

describe('formats', () => {
  it('formats values, steps and log ticks', () => {
    expect(fmt(0.21349)).toBe('0.213');
    expect(fmt(Number.NaN)).toBe('–');
    expect(fmt(0.00012)).toBe('1.2e-4');
    expect(fmtInt(1200)).toBe('1,200');
    expect(fmtCompact(1015)).toBe('1.0k');
    expect(fmtCompact(983)).toBe('983');
    expect(fmtLogTick(0.001)).toBe('10⁻³');
    expect(fmtLogTick(0.1)).toBe('0.1');
    expect(fmtLogTick(0.1, true)).toBe('10⁻¹');
  });
});
