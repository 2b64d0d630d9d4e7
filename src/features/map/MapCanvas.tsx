// The diagram: renders Mermaid text (Mermaid itself is imported lazily, here and only here), then makes its nodes
// links (click, Enter), shows a summary tooltip on hover or keyboard focus, marks route and focus, and puts the
// drawing in a pan/zoom frame with controls and a progress legend.
import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { type GraphNode, type MapPalette, mix } from './mermaid';
import { usePanZoom } from './usePanZoom';

export interface NodeInfo {
  title: string;
  group: string;
  summary?: string;
  status: 'new' | 'read' | 'done';
}

interface Props {
  text: string;
  palette: MapPalette;
  nodes: GraphNode[];
  /** Per Mermaid edge index: emphasised (true), dimmed (false), plain (undefined). */
  edgeOnRoute: (boolean | undefined)[];
  /** Changes when the layout changes enough to refit (view, route). */
  layoutKey: string;
  focusKey: string | null;
  /** The node a partial first view centres on (the map's root). */
  anchorKey?: string;
  info(concept: string): NodeInfo | undefined;
  onOpen(concept: string): void;
  legend: ReactNode;
}

type MermaidApi = typeof import('mermaid').default;
let mermaidPromise: Promise<MermaidApi> | undefined;
const loadMermaid = () => {
  mermaidPromise ??= import('mermaid').then((m) => m.default);
  return mermaidPromise;
};

let renderCount = 0;

interface Tip {
  concept: string;
  left: number;
  top: number;
  below: boolean;
}

export function MapCanvas(props: Props) {
  const { text, palette, nodes, edgeOnRoute, layoutKey, focusKey, anchorKey, info, onOpen, legend } = props;
  const frameRef = useRef<HTMLDivElement>(null);
  const contentRef = useRef<HTMLDivElement>(null);
  const svgSize = useRef<{ width: number; height: number }>(undefined);
  const lastLayout = useRef<string>('');
  const nodeEls = useRef(new Map<string, SVGGElement>());
  const [state, setState] = useState<'loading' | 'ready' | 'error'>('loading');
  const [error, setError] = useState('');
  const [tip, setTip] = useState<Tip | null>(null);
  const [rendered, setRendered] = useState(0);
  const pz = usePanZoom(frameRef, contentRef, () => svgSize.current);

  /** Node box in content coordinates. */
  const nodeRect = (g: Element) => {
    const r = g.getBoundingClientRect();
    const c = contentRef.current?.getBoundingClientRect();
    const k = pz.transform().k;
    return c
      ? { x: (r.left - c.left) / k, y: (r.top - c.top) / k, width: r.width / k, height: r.height / k }
      : undefined;
  };

  // The first view of a layout: the whole map when it is legible, else a legible part around the anchor node.
  const freshLayout = useRef(false);
  const initialView = () => {
    if (focusKey && nodeEls.current.has(focusKey)) return; // the focus effect frames the focused node
    freshLayout.current = false;
    const frame = frameRef.current;
    const size = svgSize.current;
    const narrow = (frame?.clientWidth ?? 1000) < 600;
    const min = narrow ? 0.5 : 0.34;
    if (frame && size) {
      // A drawing that fits with room to spare gets a frame its own height rather than empty bands.
      frame.style.height = '';
      const whole = Math.min((frame.clientWidth - 32) / size.width, (frame.clientHeight - 80) / size.height);
      const need = size.height * Math.max(Math.min(whole, 1), min) + 80;
      if (need < frame.clientHeight) frame.style.height = `${Math.max(need, 400)}px`;
    }
    const anchorEl = anchorKey ? nodeEls.current.get(anchorKey) : undefined;
    pz.fit({ min, max: 1, padBottom: narrow ? 16 : 64, anchor: anchorEl && nodeRect(anchorEl) });
  };
  const initialViewRef = useRef(initialView);
  initialViewRef.current = initialView;

  const keyToConcept = useRef(new Map<string, string>());
  keyToConcept.current = new Map(nodes.map((n) => [n.key, n.concept]));
  const infoRef = useRef(info);
  infoRef.current = info;
  const edgeRouteRef = useRef(edgeOnRoute);
  edgeRouteRef.current = edgeOnRoute;
  const openRef = useRef(onOpen);
  openRef.current = onOpen;

  // Render the Mermaid text into the frame.
  useEffect(() => {
    let cancelled = false;
    const id = `concept-map-${++renderCount}`;
    (async () => {
      try {
        const mermaid = await loadMermaid();
        mermaid.initialize({
          startOnLoad: false,
          securityLevel: 'strict',
          theme: 'base',
          fontFamily: 'Inter Variable, system-ui, sans-serif',
          themeVariables: {
            darkMode: palette.dark,
            background: palette.surface,
            primaryColor: palette.surface,
            primaryTextColor: palette.text,
            primaryBorderColor: palette.borderStrong,
            secondaryColor: palette.surface2,
            tertiaryColor: palette.surface2,
            lineColor: mix(palette.text2, palette.surface, 0.75),
            textColor: palette.text2,
            clusterBkg: palette.surface2,
            clusterBorder: palette.border,
            edgeLabelBackground: palette.surface,
            fontSize: '18px',
          },
          flowchart: {
            useMaxWidth: false,
            htmlLabels: true,
            curve: 'basis',
            nodeSpacing: 16,
            rankSpacing: 32,
            padding: 14,
            wrappingWidth: 170,
          },
        });
        const { svg } = await mermaid.render(id, text);
        if (cancelled) return;
        const content = contentRef.current;
        if (!content) return;
        content.innerHTML = svg;
        const el = content.querySelector('svg');
        if (!el) throw new Error('Mermaid returned no drawing');
        el.classList.add('map-svg');
        const vb = el.viewBox.baseVal;
        const width = vb?.width || el.getBoundingClientRect().width;
        const height = vb?.height || el.getBoundingClientRect().height;
        el.setAttribute('width', String(width));
        el.setAttribute('height', String(height));
        el.style.maxWidth = 'none';
        svgSize.current = { width, height };
        nodeEls.current = decorate(el, keyToConcept.current, infoRef.current, edgeRouteRef.current);
        setState('ready');
        setRendered((n) => n + 1);
        if (lastLayout.current !== layoutKey) {
          lastLayout.current = layoutKey;
          freshLayout.current = true;
          requestAnimationFrame(() => initialViewRef.current());
        }
      } catch (e) {
        if (cancelled) return;
        console.error(e);
        document.getElementById(id)?.remove();
        document.getElementById(`d${id}`)?.remove();
        setError((e as Error).message);
        setState('error');
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [text, palette, layoutKey]);

  // Focus: highlight the node and bring it into view.
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-run after each render (`rendered`)
  useEffect(() => {
    for (const [key, g] of nodeEls.current) g.classList.toggle('is-focus', key === focusKey);
    if (!focusKey) return;
    const g = nodeEls.current.get(focusKey);
    const rect = g && nodeRect(g);
    if (!rect) return;
    // On a fresh layout the zoom is exactly this; later, focusing never zooms out.
    const exact = freshLayout.current;
    freshLayout.current = false;
    pz.focusOn(rect, frameRef.current && frameRef.current.clientWidth < 600 ? 0.7 : 0.75, exact);
  }, [focusKey, rendered, pz]);

  const showTip = useCallback((g: SVGGElement) => {
    const frame = frameRef.current;
    const concept = g.dataset.concept;
    if (!frame || !concept) return;
    const r = g.getBoundingClientRect();
    const f = frame.getBoundingClientRect();
    const below = r.top - f.top < 150;
    setTip({
      concept,
      left: Math.min(Math.max(r.left - f.left + r.width / 2, 140), f.width - 140),
      top: below ? r.bottom - f.top + 10 : r.top - f.top - 10,
      below,
    });
  }, []);

  // Pointer and keyboard on the nodes (delegated from the frame).
  useEffect(() => {
    const frame = frameRef.current;
    if (!frame) return;
    const nodeOf = (t: EventTarget | null) => (t instanceof Element ? t.closest<SVGGElement>('g.node') : null);
    const onClick = (e: MouseEvent) => {
      const g = nodeOf(e.target);
      if (!g?.dataset.concept || pz.wasDrag()) return;
      openRef.current(g.dataset.concept);
    };
    const onOver = (e: PointerEvent) => {
      if (e.pointerType !== 'mouse') return;
      const g = nodeOf(e.target);
      if (g) showTip(g);
      else if (!(e.target as Element).closest?.('.map-tip')) setTip(null);
    };
    const onLeave = () => setTip(null);
    const onKey = (e: KeyboardEvent) => {
      const g = nodeOf(e.target);
      if (g?.dataset.concept && (e.key === 'Enter' || e.key === ' ')) {
        e.preventDefault();
        openRef.current(g.dataset.concept);
      } else if (e.key === '+' || e.key === '=') pz.zoomBy(1.25);
      else if (e.key === '-') pz.zoomBy(0.8);
      else if (e.key === '0') pz.fit({ padBottom: 64 });
    };
    const onFocus = (e: FocusEvent) => {
      const g = nodeOf(e.target);
      if (g) showTip(g);
    };
    const onBlur = () => setTip(null);
    frame.addEventListener('click', onClick);
    frame.addEventListener('pointerover', onOver);
    frame.addEventListener('pointerleave', onLeave);
    frame.addEventListener('keydown', onKey);
    frame.addEventListener('focusin', onFocus);
    frame.addEventListener('focusout', onBlur);
    frame.addEventListener('pointerdown', onLeave);
    frame.addEventListener('wheel', onLeave, { passive: true });
    return () => {
      frame.removeEventListener('click', onClick);
      frame.removeEventListener('pointerover', onOver);
      frame.removeEventListener('pointerleave', onLeave);
      frame.removeEventListener('keydown', onKey);
      frame.removeEventListener('focusin', onFocus);
      frame.removeEventListener('focusout', onBlur);
      frame.removeEventListener('pointerdown', onLeave);
      frame.removeEventListener('wheel', onLeave);
    };
  }, [pz, showTip]);

  const tipInfo = tip ? info(tip.concept) : undefined;

  return (
    <div className="map-frame" ref={frameRef} data-state={state}>
      <div className="map-content" ref={contentRef} />
      {state === 'loading' && (
        <div className="map-overlay" role="status">
          <span className="spinner" aria-hidden="true" /> Drawing the map…
        </div>
      )}
      {state === 'error' && (
        <div className="map-overlay map-error" role="alert">
          The map could not be drawn: {error}
        </div>
      )}
      {tip && tipInfo && (
        <div
          className={`map-tip${tip.below ? ' below' : ''}`}
          style={{ left: tip.left, top: tip.top }}
          role="tooltip"
          data-testid="map-tooltip"
        >
          <div className="map-tip-head">
            <strong>{tipInfo.title}</strong>
            <span className={`status-chip status-${tipInfo.status}`}>{STATUS_LABEL[tipInfo.status]}</span>
          </div>
          <p className="map-tip-group">{tipInfo.group}</p>
          {tipInfo.summary && <p>{tipInfo.summary}</p>}
          <p className="map-tip-hint">Click to open</p>
        </div>
      )}
      <div className="map-zoom" data-no-pan>
        <button type="button" className="map-tool" onClick={() => pz.zoomBy(1.25)} aria-label="Zoom in">
          <PlusIcon />
        </button>
        <button type="button" className="map-tool" onClick={() => pz.zoomBy(0.8)} aria-label="Zoom out">
          <MinusIcon />
        </button>
        <button
          type="button"
          className="map-tool"
          onClick={() => pz.fit({ padBottom: 64 })}
          aria-label="Fit the map to the screen"
        >
          <FitIcon />
        </button>
      </div>
      <div className="map-legend" data-no-pan>
        {legend}
      </div>
    </div>
  );
}

/** Nodes become links with a label; edges and their labels get route classes. Returns the node elements by key. */
function decorate(
  svg: SVGSVGElement,
  keyToConcept: Map<string, string>,
  info: (concept: string) => NodeInfo | undefined,
  edgeOnRoute: (boolean | undefined)[],
): Map<string, SVGGElement> {
  const nodes = new Map<string, SVGGElement>();
  for (const g of svg.querySelectorAll<SVGGElement>('g.node')) {
    const key = /flowchart-(\w+)-\d+$/.exec(g.id)?.[1];
    const concept = key && keyToConcept.get(key);
    if (!key || !concept) continue;
    nodes.set(key, g);
    g.dataset.concept = concept;
    const shape = g.querySelector<SVGRectElement>('rect.label-container');
    if (shape && !g.querySelector('.ga-ring')) {
      const pad = 6;
      const ring = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
      ring.setAttribute('class', 'ga-ring');
      ring.setAttribute('x', String(shape.x.baseVal.value - pad));
      ring.setAttribute('y', String(shape.y.baseVal.value - pad));
      ring.setAttribute('width', String(shape.width.baseVal.value + 2 * pad));
      ring.setAttribute('height', String(shape.height.baseVal.value + 2 * pad));
      // Wrapped in a <g>: Mermaid's class rules (`.status-new > *`) would restyle a direct child.
      const wrap = document.createElementNS('http://www.w3.org/2000/svg', 'g');
      wrap.setAttribute('class', 'ga-ring-wrap');
      wrap.appendChild(ring);
      g.insertBefore(wrap, g.firstChild);
    }
    g.setAttribute('tabindex', '0');
    g.setAttribute('role', 'link');
    const i = info(concept);
    g.setAttribute('aria-label', `${i?.title ?? concept}${i && i.status !== 'new' ? ` (${i.status})` : ''}`);
  }
  const paths = [...new Set(svg.querySelectorAll<SVGPathElement>('.edgePaths > path, .edgePaths path.flowchart-link'))];
  paths.forEach((p, i) => {
    p.classList.toggle('edge-on-route', edgeOnRoute[i] === true);
    p.classList.toggle('edge-dim', edgeOnRoute[i] === false);
  });
  svg.querySelectorAll<SVGGElement>('.edgeLabels > .edgeLabel').forEach((l, i) => {
    l.classList.toggle('edge-dim', edgeOnRoute[i] === false);
  });
  return nodes;
}

export const STATUS_LABEL = { new: 'Not started', read: 'Read', done: 'Done' } as const;

const icon = { width: 18, height: 18, viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', strokeWidth: 2 };

function PlusIcon() {
  return (
    <svg {...icon} aria-hidden="true">
      <path d="M12 5v14M5 12h14" strokeLinecap="round" />
    </svg>
  );
}

function MinusIcon() {
  return (
    <svg {...icon} aria-hidden="true">
      <path d="M5 12h14" strokeLinecap="round" />
    </svg>
  );
}

function FitIcon() {
  return (
    <svg {...icon} aria-hidden="true">
      <path d="M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
