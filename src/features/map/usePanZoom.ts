// Pan and zoom for a large drawing inside a fixed frame: wheel zooms around the pointer, dragging pans, two fingers
// pinch, and the page's buttons call zoomBy/fit/focusOn. The transform is written straight to the content element's
// style (no React render per pointer move).
import { type RefObject, useCallback, useEffect, useMemo, useRef } from 'react';

export interface Transform {
  x: number;
  y: number;
  k: number;
}

export const MIN_ZOOM = 0.15;
export const MAX_ZOOM = 3;

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

export interface FitOptions {
  /** Room kept free at the top and the bottom (for overlays), in pixels. */
  padTop?: number;
  padBottom?: number;
  max?: number;
  min?: number;
  /** Kept in view when the drawing overflows the frame at scale `min`. */
  anchor?: { x: number; y: number; width: number; height: number };
}

export interface PanZoom {
  zoomBy(factor: number): void;
  /**
   * Fits the whole content in the frame, within [min, max] scale. When it cannot fit, the content is centred, then
   * moved just enough to bring `anchor` into view (or centred on `anchor` if that is larger than the frame).
   */
  fit(options?: FitOptions): void;
  /** Centres a rectangle given in content coordinates, zooming to at least `minScale` (exactly, if `exact`). */
  focusOn(rect: { x: number; y: number; width: number; height: number }, minScale?: number, exact?: boolean): void;
  /** True right after a drag moved the content: a click ending the drag is not a click. */
  wasDrag(): boolean;
  transform(): Transform;
}

export function usePanZoom(
  frame: RefObject<HTMLElement | null>,
  content: RefObject<HTMLElement | null>,
  size: () => { width: number; height: number } | undefined,
): PanZoom {
  const t = useRef<Transform>({ x: 0, y: 0, k: 1 });
  const dragged = useRef(false);
  const sizeRef = useRef(size);
  sizeRef.current = size;

  const apply = useCallback(
    (next: Transform, animate = false) => {
      t.current = next;
      const el = content.current;
      if (!el) return;
      el.style.transition = animate ? 'transform 0.35s cubic-bezier(0.2, 0.7, 0.2, 1)' : 'none';
      el.style.transform = `translate(${next.x}px, ${next.y}px) scale(${next.k})`;
    },
    [content],
  );

  const zoomAt = useCallback(
    (factor: number, px: number, py: number, animate = false) => {
      const { x, y, k } = t.current;
      const nk = clamp(k * factor, MIN_ZOOM, MAX_ZOOM);
      apply({ k: nk, x: px - ((px - x) * nk) / k, y: py - ((py - y) * nk) / k }, animate);
    },
    [apply],
  );

  const zoomBy = useCallback(
    (factor: number) => {
      const f = frame.current;
      if (f) zoomAt(factor, f.clientWidth / 2, f.clientHeight / 2, true);
    },
    [frame, zoomAt],
  );

  /** Keeps content that is larger than the frame covering it (no empty margins beyond `pad`). */
  const contain = useCallback(
    (next: Transform): Transform => {
      const f = frame.current;
      const s = sizeRef.current();
      if (!f || !s) return next;
      const pad = 24;
      const axis = (pos: number, extent: number, view: number) =>
        extent + 2 * pad <= view ? clamp(pos, pad, view - extent - pad) : clamp(pos, view - extent - pad, pad);
      return {
        k: next.k,
        x: axis(next.x, s.width * next.k, f.clientWidth),
        y: axis(next.y, s.height * next.k, f.clientHeight),
      };
    },
    [frame],
  );

  const fit = useCallback(
    (opts: FitOptions = {}) => {
      const f = frame.current;
      const s = sizeRef.current();
      if (!f || !s?.width || !s.height) return;
      const pad = 16;
      const above = opts.padTop ?? pad;
      const below = opts.padBottom ?? pad;
      const whole = Math.min((f.clientWidth - 2 * pad) / s.width, (f.clientHeight - above - below) / s.height);
      const k = clamp(Math.max(Math.min(whole, opts.max ?? 1), opts.min ?? 0), MIN_ZOOM, MAX_ZOOM);
      // Position along one axis: the usable band is [lo, hi] of the frame; `a0`..`a1` is the anchor (content units).
      const axis = (lo: number, hi: number, extent: number, a0?: number, a1?: number) => {
        const centred = lo + (hi - lo - extent * k) / 2;
        if (extent * k <= hi - lo || a0 === undefined || a1 === undefined) return centred;
        const margin = 24;
        if ((a1 - a0) * k > hi - lo - 2 * margin) return (lo + hi) / 2 - ((a0 + a1) / 2) * k;
        const start = centred + a0 * k;
        const end = centred + a1 * k;
        if (start < lo + margin) return centred + lo + margin - start;
        if (end > hi - margin) return centred - (end - (hi - margin));
        return centred;
      };
      // A drawing larger than the frame uses all of it (the overlays float over a part, as they do while panning).
      const a = k > whole ? opts.anchor : undefined;
      const [top, bottom] = k > whole ? [pad, f.clientHeight - pad] : [above, f.clientHeight - below];
      const next = {
        k,
        x: axis(pad, f.clientWidth - pad, s.width, a?.x, a && a.x + a.width),
        y: axis(top, bottom, s.height, a?.y, a && a.y + a.height),
      };
      apply(k > whole ? contain(next) : next, true);
    },
    [apply, contain, frame],
  );

  const focusOn = useCallback(
    (r: { x: number; y: number; width: number; height: number }, minScale = 1, exact = false) => {
      const f = frame.current;
      if (!f) return;
      const k = clamp(exact ? minScale : Math.max(t.current.k, minScale), MIN_ZOOM, MAX_ZOOM);
      const cx = r.x + r.width / 2;
      const cy = r.y + r.height / 2;
      apply(contain({ k, x: f.clientWidth / 2 - cx * k, y: f.clientHeight / 2 - cy * k }), true);
    },
    [apply, contain, frame],
  );

  useEffect(() => {
    const f = frame.current;
    if (!f) return;
    const pointers = new Map<number, { x: number; y: number }>();
    let start: { x: number; y: number; t: Transform } | undefined;
    let pinch: { d: number; mx: number; my: number; t: Transform } | undefined;
    const local = (e: { clientX: number; clientY: number }) => {
      const r = f.getBoundingClientRect();
      return { x: e.clientX - r.left, y: e.clientY - r.top };
    };
    const pinchState = () => {
      const [a, b] = [...pointers.values()];
      return { d: Math.hypot(a.x - b.x, a.y - b.y), mx: (a.x + b.x) / 2, my: (a.y + b.y) / 2 };
    };

    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const p = local(e);
      const delta = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
      zoomAt(Math.exp(-delta * (e.ctrlKey ? 0.01 : 0.0018)), p.x, p.y);
    };
    const onDown = (e: PointerEvent) => {
      if (e.button !== 0 || (e.target as Element).closest('[data-no-pan]')) return;
      pointers.set(e.pointerId, local(e));
      dragged.current = false;
      if (pointers.size === 1) start = { ...local(e), t: { ...t.current } };
      if (pointers.size === 2) {
        pinch = { ...pinchState(), t: { ...t.current } };
        start = undefined;
      }
    };
    const onMove = (e: PointerEvent) => {
      if (!pointers.has(e.pointerId)) return;
      pointers.set(e.pointerId, local(e));
      if (pinch && pointers.size >= 2) {
        const now = pinchState();
        const k = clamp(pinch.t.k * (now.d / Math.max(pinch.d, 1)), MIN_ZOOM, MAX_ZOOM);
        // Keep the content point under the first midpoint under the current midpoint.
        const cx = (pinch.mx - pinch.t.x) / pinch.t.k;
        const cy = (pinch.my - pinch.t.y) / pinch.t.k;
        apply({ k, x: now.mx - cx * k, y: now.my - cy * k });
        dragged.current = true;
      } else if (start) {
        const p = local(e);
        const dx = p.x - start.x;
        const dy = p.y - start.y;
        if (!dragged.current && Math.hypot(dx, dy) < 5) return;
        if (!dragged.current) f.setPointerCapture(e.pointerId);
        dragged.current = true;
        f.classList.add('is-dragging');
        apply({ ...start.t, x: start.t.x + dx, y: start.t.y + dy });
      }
    };
    const onUp = (e: PointerEvent) => {
      pointers.delete(e.pointerId);
      if (pointers.size < 2) pinch = undefined;
      if (pointers.size === 1) {
        const [p] = [...pointers.values()];
        start = { ...p, t: { ...t.current } };
      } else if (pointers.size === 0) start = undefined;
      f.classList.remove('is-dragging');
    };
    f.addEventListener('wheel', onWheel, { passive: false });
    f.addEventListener('pointerdown', onDown);
    f.addEventListener('pointermove', onMove);
    f.addEventListener('pointerup', onUp);
    f.addEventListener('pointercancel', onUp);
    return () => {
      f.removeEventListener('wheel', onWheel);
      f.removeEventListener('pointerdown', onDown);
      f.removeEventListener('pointermove', onMove);
      f.removeEventListener('pointerup', onUp);
      f.removeEventListener('pointercancel', onUp);
    };
  }, [frame, apply, zoomAt]);

  return useMemo(
    () => ({ zoomBy, fit, focusOn, wasDrag: () => dragged.current, transform: () => t.current }),
    [zoomBy, fit, focusOn],
  );
}
