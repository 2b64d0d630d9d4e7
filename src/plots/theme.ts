// The theme as seen by the charts: colours read from the CSS custom properties on <html>, re-read whenever its
// data-theme changes (so canvases repaint), and the reduced-motion preference.
import { useMemo, useSyncExternalStore } from 'react';
import { parseColor, type RGB } from './colors';

export interface ChartTheme {
  /** 'light' or 'dark'; also a cheap dependency for effects that paint canvases. */
  name: string;
  dark: boolean;
  surface: RGB;
  surface2: RGB;
  text: RGB;
  muted: RGB;
  border: RGB;
  classA: RGB;
  classB: RGB;
  classAStrong: RGB;
  classBStrong: RGB;
  danger: RGB;
  /** CSS strings of the same, for SVG and canvas strokes. */
  css: { classA: string; classB: string; text: string; muted: string; surface: string; danger: string };
}

const LIGHT: Record<string, RGB> = {
  '--surface': [255, 255, 255],
  '--surface-2': [241, 239, 233],
  '--text': [27, 29, 35],
  '--muted': [107, 112, 128],
  '--border': [227, 224, 216],
  '--class-a': [14, 159, 158],
  '--class-b': [224, 114, 58],
  '--class-a-strong': [11, 127, 126],
  '--class-b-strong': [200, 90, 34],
  '--danger': [192, 53, 43],
};

function subscribeTheme(onChange: () => void): () => void {
  if (typeof MutationObserver === 'undefined' || typeof document === 'undefined') return () => {};
  const mo = new MutationObserver(onChange);
  mo.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return () => mo.disconnect();
}

function themeName(): string {
  if (typeof document === 'undefined') return 'light';
  return document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';
}

export function readChartTheme(name: string): ChartTheme {
  const style = typeof document === 'undefined' ? undefined : getComputedStyle(document.documentElement);
  const get = (v: string) => parseColor(style?.getPropertyValue(v), LIGHT[v]);
  const t = {
    name,
    dark: name === 'dark',
    surface: get('--surface'),
    surface2: get('--surface-2'),
    text: get('--text'),
    muted: get('--muted'),
    border: get('--border'),
    classA: get('--class-a'),
    classB: get('--class-b'),
    classAStrong: get('--class-a-strong'),
    classBStrong: get('--class-b-strong'),
    danger: get('--danger'),
  };
  const css = (c: RGB) => `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
  return {
    ...t,
    css: {
      classA: css(t.classA),
      classB: css(t.classB),
      text: css(t.text),
      muted: css(t.muted),
      surface: css(t.surface),
      danger: css(t.danger),
    },
  };
}

/** The current chart theme; components re-render (and canvases repaint) when data-theme on <html> changes. */
export function useChartTheme(): ChartTheme {
  const name = useSyncExternalStore(subscribeTheme, themeName, () => 'light');
  return useMemo(() => readChartTheme(name), [name]);
}

let motionQuery: MediaQueryList | null | undefined;
function reducedMotionQuery(): MediaQueryList | null {
  if (motionQuery === undefined)
    motionQuery =
      typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('(prefers-reduced-motion: reduce)') : null;
  return motionQuery;
}

function subscribeMotion(onChange: () => void): () => void {
  const mq = reducedMotionQuery();
  mq?.addEventListener?.('change', onChange);
  return () => mq?.removeEventListener?.('change', onChange);
}

/** True when the user asks for reduced motion (charts then skip transitions; the gallery starts paused). */
export function useReducedMotion(): boolean {
  return useSyncExternalStore(
    subscribeMotion,
    () => reducedMotionQuery()?.matches ?? false,
    () => false,
  );
}
