// Canvas plumbing shared by the heatmap-like charts: sizing for the device pixel ratio, and painting a grid of
// values through an RGBA lookup table into a small offscreen image that is then scaled onto the visible canvas.
import { type RefObject, useRef } from 'react';
import { lutIndex } from './colors';

/** A 2-D context sized to css width × height at the device pixel ratio (null where canvas is missing, e.g. jsdom). */
export function prepareCanvas(
  canvas: HTMLCanvasElement,
  width: number,
  height: number,
): CanvasRenderingContext2D | null {
  const dpr = Math.min(3, (typeof window !== 'undefined' && window.devicePixelRatio) || 1);
  const w = Math.max(1, Math.round(width * dpr));
  const h = Math.max(1, Math.round(height * dpr));
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const ctx = context2d(canvas);
  if (!ctx) return null;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  return ctx;
}

/** jsdom prints "Not implemented" for getContext; skip canvases there. */
const canvasSupported = (): boolean => typeof navigator === 'undefined' || !/jsdom/i.test(navigator.userAgent ?? '');

/** The canvas's 2-D context, or null where there is none (jsdom, a lost context). */
export function context2d(canvas: HTMLCanvasElement): CanvasRenderingContext2D | null {
  if (!canvasSupported()) return null;
  try {
    return canvas.getContext('2d');
  } catch {
    return null;
  }
}

/**
 * Fill an RGBA buffer (w × h) from values[(i * stride) + offset] through a lookup table over [lo, hi].
 * flipY puts value row 0 at the bottom (data coordinates), as the decision-boundary grid wants.
 */
export function paintValues(
  out: Uint8ClampedArray,
  values: ArrayLike<number>,
  w: number,
  h: number,
  lut: Uint8ClampedArray,
  lo: number,
  hi: number,
  { stride = 1, offset = 0, flipY = false }: { stride?: number; offset?: number; flipY?: boolean } = {},
): void {
  const n = lut.length >> 2;
  for (let r = 0; r < h; r++) {
    const dst = (flipY ? h - 1 - r : r) * w;
    for (let c = 0; c < w; c++) {
      const v = values[(r * w + c) * stride + offset];
      const k = lutIndex(v, lo, hi, n) * 4;
      const o = (dst + c) * 4;
      out[o] = lut[k];
      out[o + 1] = lut[k + 1];
      out[o + 2] = lut[k + 2];
      out[o + 3] = Number.isNaN(v) ? 0 : 255;
    }
  }
}

export interface Scratch {
  canvas: HTMLCanvasElement | null;
  image: ImageData | null;
}

/** A reusable offscreen canvas for a w × h image, drawn scaled (smoothly or pixelated) onto a visible one. */
export function useScratch(): RefObject<Scratch> {
  return useRef<Scratch>({ canvas: null, image: null });
}

/** Put rgba (w × h) onto the scratch canvas and return it for drawImage, or null when canvas is unavailable. */
export function scratchImage(
  scratch: Scratch,
  w: number,
  h: number,
  fill: (rgba: Uint8ClampedArray) => void,
): HTMLCanvasElement | null {
  if (typeof document === 'undefined') return null;
  if (!scratch.canvas) scratch.canvas = document.createElement('canvas');
  const c = scratch.canvas;
  if (c.width !== w || c.height !== h) {
    c.width = w;
    c.height = h;
    scratch.image = null;
  }
  const ctx = context2d(c);
  if (!ctx) return null;
  if (!scratch.image || scratch.image.width !== w || scratch.image.height !== h)
    scratch.image = ctx.createImageData(w, h);
  fill(scratch.image.data);
  ctx.putImageData(scratch.image, 0, 0);
  return c;
}
