// Small images (MNIST digits, first-layer filters) drawn pixel-crisp with a caption each. 'gray' shows intensities
// (Uint8 0..255 or Float32 0..1); 'signed' shows weights on a diverging palette normalised per image.
import { memo, useEffect, useId, useRef } from 'react';
import { context2d } from './canvas';
import { lutIndex } from './colors';
import { useDivergingLut } from './NeuronThumbnails';
import { useChartTheme } from './theme';
import './plots.css';

export interface GridImage {
  data: Uint8Array | Float32Array;
  caption?: string;
  /** Colours the caption: 'bad' for a wrong prediction, 'ok' for a right one. */
  tone?: 'ok' | 'bad';
}

export interface ImageGridProps {
  /** Accessible name, e.g. "Misclassified test digits". */
  label: string;
  images: GridImage[];
  width: number;
  height: number;
  mode?: 'gray' | 'signed';
  /** CSS pixels per image pixel (default 3). */
  scale?: number;
}

/** RGBA for one image: gray maps 0 → black, full → white; signed maps ±max|v| of this image through the LUT. */
export function imageRgba(
  data: Uint8Array | Float32Array,
  mode: 'gray' | 'signed',
  lut: Uint8ClampedArray,
  out: Uint8ClampedArray,
): void {
  const n = Math.min(data.length, out.length >> 2);
  if (mode === 'signed') {
    let m = 0;
    for (let i = 0; i < n; i++) if (Math.abs(data[i]) > m) m = Math.abs(data[i]);
    m ||= 1;
    for (let i = 0; i < n; i++) {
      const k = lutIndex(data[i], -m, m) * 4;
      out[i * 4] = lut[k];
      out[i * 4 + 1] = lut[k + 1];
      out[i * 4 + 2] = lut[k + 2];
      out[i * 4 + 3] = 255;
    }
    return;
  }
  const unit = data instanceof Uint8Array ? 1 : 255;
  for (let i = 0; i < n; i++) {
    const v = Math.max(0, Math.min(255, data[i] * unit));
    out[i * 4] = out[i * 4 + 1] = out[i * 4 + 2] = v;
    out[i * 4 + 3] = 255;
  }
}

function ImageGridImpl({ label, images, width, height, mode = 'gray', scale = 3 }: ImageGridProps) {
  const theme = useChartTheme();
  const lut = useDivergingLut(theme);
  const uid = useId();
  const canvases = useRef<(HTMLCanvasElement | null)[]>([]);

  useEffect(() => {
    images.forEach((img, i) => {
      const c = canvases.current[i];
      if (!c) return;
      if (c.width !== width) c.width = width;
      if (c.height !== height) c.height = height;
      const ctx = context2d(c);
      if (!ctx) return;
      const id = ctx.createImageData(width, height);
      imageRgba(img.data, mode, lut, id.data);
      ctx.putImageData(id, 0, 0);
    });
  }, [images, width, height, mode, lut]);

  const wrong = images.filter((i) => i.tone === 'bad').length;
  const summary = `${label}: ${images.length} images of ${width}×${height} pixels${wrong ? `, ${wrong} misclassified` : ''}${mode === 'signed' ? ', signed weights (orange negative, teal positive, per image scale)' : ''}.`;

  return (
    <figure className="pl-images" aria-label={label} aria-describedby={`${uid}-s`}>
      <ul className="pl-image-list">
        {images.map((img, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: images are positional
          <li key={i} className="pl-image">
            <canvas
              ref={(el) => {
                canvases.current[i] = el;
              }}
              className="pl-pixelated pl-image-canvas"
              style={{ width: width * scale, height: height * scale }}
            />
            {img.caption && (
              <span
                className={`pl-caption${img.tone ? ` ${img.tone}` : ''}`}
                style={{ maxWidth: Math.max(72, width * scale + 24) }}
              >
                {img.caption}
              </span>
            )}
          </li>
        ))}
      </ul>
      <p id={`${uid}-s`} className="pl-sr-only">
        {summary}
      </p>
    </figure>
  );
}

/** Memoised: re-renders only when its props change (the Lab re-renders often while training). */
export const ImageGrid = memo(ImageGridImpl);

export default ImageGrid;
