// One tiny image per neuron of a layer: each neuron's output over the input plane (res × res, row 0 at the bottom),
// on a diverging palette normalised over the whole layer so neurons can be compared.
import { memo, useEffect, useId, useMemo, useRef } from 'react';
import { context2d } from './canvas';
import { divergingLut, lutIndex } from './colors';
import { fmt } from './format';
import { type ChartTheme, useChartTheme } from './theme';
import './plots.css';

export interface NeuronThumbnailsProps {
  /** The layer's title, also the accessible name, e.g. "Hidden 1 · 8 tanh". */
  title: string;
  res: number;
  /** One res × res Float32Array per neuron. */
  neurons: Float32Array[];
  /** CSS pixels per thumbnail (default 44). */
  size?: number;
  /** Colour range is [-range, range]; default the layer's largest |value|. */
  range?: number;
  selected?: number;
  onSelect?: (index: number) => void;
}

/** The largest |v| over all arrays (1 when there is none). */
export function maxAbs(arrays: ArrayLike<number>[]): number {
  let m = 0;
  for (const a of arrays)
    for (let i = 0; i < a.length; i++) {
      const v = Math.abs(a[i]);
      if (v > m) m = v;
    }
  return m || 1;
}

export function useDivergingLut(theme: ChartTheme): Uint8ClampedArray {
  return useMemo(() => divergingLut(theme.classBStrong, theme.surface2, theme.classAStrong), [theme]);
}

/** Paint one neuron's res × res output straight into a res × res canvas (CSS scales it smoothly). */
export function drawThumbnail(
  canvas: HTMLCanvasElement,
  data: ArrayLike<number>,
  res: number,
  range: number,
  lut: Uint8ClampedArray,
): void {
  if (res <= 0 || data.length < res * res) return;
  if (canvas.width !== res) canvas.width = res;
  if (canvas.height !== res) canvas.height = res;
  const ctx = context2d(canvas);
  if (!ctx) return;
  const img = ctx.createImageData(res, res);
  const out = img.data;
  for (let r = 0; r < res; r++) {
    const dst = (res - 1 - r) * res;
    for (let c = 0; c < res; c++) {
      const k = lutIndex(data[r * res + c], -range, range) * 4;
      const o = (dst + c) * 4;
      out[o] = lut[k];
      out[o + 1] = lut[k + 1];
      out[o + 2] = lut[k + 2];
      out[o + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
}

function extent(a: ArrayLike<number>): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < a.length; i++) {
    if (a[i] < lo) lo = a[i];
    if (a[i] > hi) hi = a[i];
  }
  return lo <= hi ? [lo, hi] : [0, 0];
}

function NeuronThumbnailsImpl({ title, res, neurons, size = 44, range, selected, onSelect }: NeuronThumbnailsProps) {
  const theme = useChartTheme();
  const lut = useDivergingLut(theme);
  const uid = useId();
  const canvases = useRef<(HTMLCanvasElement | null)[]>([]);
  const r = useMemo(() => range ?? maxAbs(neurons), [range, neurons]);
  const extents = useMemo(() => neurons.map(extent), [neurons]);

  useEffect(() => {
    neurons.forEach((n, i) => {
      const c = canvases.current[i];
      if (c) drawThumbnail(c, n, res, r, lut);
    });
  }, [neurons, res, r, lut]);

  const all = extents.reduce<[number, number]>(
    (a, e) => [Math.min(a[0], e[0]), Math.max(a[1], e[1])],
    [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY],
  );
  const summary =
    neurons.length === 0
      ? `${title}: no neurons.`
      : `${title}: ${neurons.length} neurons, outputs from ${fmt(all[0])} to ${fmt(all[1])} over the input plane (orange negative, teal positive).`;

  return (
    <figure className="pl-thumbs" aria-label={title} aria-describedby={`${uid}-s`}>
      <p className="pl-title">
        {title}
        <span className="pl-note">±{fmt(r, 2)}</span>
      </p>
      <div className="pl-thumb-row">
        {neurons.map((_, i) => {
          const [lo, hi] = extents[i];
          const tip = `neuron ${i + 1}: ${fmt(lo)} to ${fmt(hi)}`;
          const canvas = (
            <canvas
              key="c"
              ref={(el) => {
                canvases.current[i] = el;
              }}
              className="pl-thumb"
              style={{ width: size, height: size }}
            />
          );
          return onSelect ? (
            <button
              // biome-ignore lint/suspicious/noArrayIndexKey: neurons are positional
              key={i}
              type="button"
              className="pl-thumb-button"
              aria-pressed={selected === i}
              aria-label={tip}
              title={tip}
              onClick={() => onSelect(i)}
            >
              {canvas}
            </button>
          ) : (
            // biome-ignore lint/suspicious/noArrayIndexKey: neurons are positional
            <span key={i} className="pl-thumb-wrap" title={tip}>
              {canvas}
            </span>
          );
        })}
      </div>
      <p id={`${uid}-s`} className="pl-sr-only">
        {summary}
      </p>
    </figure>
  );
}

/** Memoised: re-renders only when its props change (the Lab re-renders often while training). */
export const NeuronThumbnails = memo(NeuronThumbnailsImpl);

export default NeuronThumbnails;
