// The diagram: renders Mermaid text (Mermaid itself is imported lazily, here and only here), then makes its nodes
// links (click, Enter), shows a summary tooltip on hover or keyboard focus, marks route and focus, and puts the
// drawing in a pan/zoom frame with controls and a progress legend.
import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { MASTERY_LEVELS, MASTERY_RULES, type MasteryLevel } from '../../state/progressRules';
import { type GraphEdge, type GraphNode, type MapPalette, mix } from './mermaid';
import { usePanZoom } from './usePanZoom';

export interface NodeInfo {
  title: string;
  group: string;
  summary?: string;
  status: 'new' | 'read' | 'done';
  mastery?: MasteryLevel;
}

interface Props {
  text: string;
  palette: MapPalette;
  nodes: GraphNode[];
  /** The edges in the order of the Mermaid text. */
  edges: Pick<GraphEdge, 'from' | 'to'>[];
  /** Per edge index: emphasised (true), dimmed (false), plain (undefined). */
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
type ElkGraph = import('elkjs/lib/elk-api').ElkNode;
let mermaidPromise: Promise<MermaidApi> | undefined;
/** Mermaid with the ELK layout (both loaded here, on the map page only: neither is in the first route). */
const loadMermaid = () => {
  mermaidPromise ??= Promise.all([
    import('mermaid'),
    import('@mermaid-js/layout-elk'),
    import('elkjs/lib/elk.bundled.js'),
  ]).then(([mermaid, elkLayouts, elkjs]) => {
    mermaid.default.registerLayoutLoaders(elkLayouts.default);
    tightenElk(elkjs.default.prototype);
    return mermaid.default;
  });
  return mermaidPromise;
};

/**
 * Mermaid's ELK layout spaces everything from one base value (40 around the drawing, 30 in subgraphs) and has no
 * setting for it; at that spacing the seed map is half empty. The layout call is wrapped (once) to lower the base
 * on every compound node of the graph Mermaid hands to ELK, before ELK runs.
 */
const ELK_SPACING = 12;
function tightenElk(proto: { layout(graph: ElkGraph, ...rest: unknown[]): Promise<ElkGraph> }) {
  const marked = proto as typeof proto & { gaTight?: boolean };
  if (marked.gaTight) return;
  marked.gaTight = true;
  const layout = proto.layout;
  const tighten = (g: ElkGraph) => {
    if (!g.children?.length) return;
    g.layoutOptions = { ...g.layoutOptions, 'spacing.baseValue': String(ELK_SPACING) };
    for (const c of g.children) tighten(c);
  };
  proto.layout = function (this: unknown, graph: ElkGraph, ...rest: unknown[]) {
    tighten(graph);
    return layout.call(this, graph, ...rest);
  };
}

let renderCount = 0;

/** The scale of a first view: Mermaid's 18px labels show at about 11px. */
const READABLE = 0.62;
/** Room for the legend floating at the top of the frame, and a margin below. */
const FIT_PADS = { padTop: 52, padBottom: 16 };
const PAD_Y = FIT_PADS.padTop + FIT_PADS.padBottom;

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface Tip {
  concept: string;
  left: number;
  top: number;
  below: boolean;
}

export function MapCanvas(props: Props) {
  const { text, palette, nodes, edges, edgeOnRoute, layoutKey, focusKey, anchorKey, info, onOpen, legend } = props;
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

  /**
   * What a first view keeps in sight, in content coordinates: the route's nodes when a route is shown, else the anchor
   * node's group when that fits the frame at a legible scale, else the anchor node.
   */
  const anchorBox = () => {
    const content = contentRef.current;
    const frame = frameRef.current;
    if (!content || !frame) return undefined;
    const union = (boxes: Box[]) =>
      boxes.length
        ? boxes.reduce((a, b) => {
            const x = Math.min(a.x, b.x);
            const y = Math.min(a.y, b.y);
            return {
              x,
              y,
              width: Math.max(a.x + a.width, b.x + b.width) - x,
              height: Math.max(a.y + a.height, b.y + b.height) - y,
            };
          })
        : undefined;
    const boxes = (els: Iterable<Element>) => [...els].map(nodeRect).filter((b): b is Box => !!b);
    const route = union(boxes(content.querySelectorAll('g.node.on-route')));
    if (route) return route;
    const node = anchorKey ? nodeEls.current.get(anchorKey) : undefined;
    const box = node && nodeRect(node);
    if (!box) return undefined;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    const fits = (r: Box) => r.width * READABLE <= frame.clientWidth && r.height * READABLE <= frame.clientHeight;
    const groups = boxes(content.querySelectorAll('g.cluster')).filter(
      (r) => cx > r.x && cx < r.x + r.width && cy > r.y && cy < r.y + r.height && fits(r),
    );
    return groups.sort((a, b) => a.width * a.height - b.width * b.height)[0] ?? box;
  };

  /** Box of an element in content coordinates. */
  const nodeRect = (g: Element): Box | undefined => {
    const r = g.getBoundingClientRect();
    const c = contentRef.current?.getBoundingClientRect();
    const k = pz.transform().k;
    return c
      ? { x: (r.left - c.left) / k, y: (r.top - c.top) / k, width: r.width / k, height: r.height / k }
      : undefined;
  };

  // The first view of a layout: the whole map when it is legible, else a legible part (node labels of about 11px
  // on screen) that shows the anchor node's group, with the whole map one click away (Fit).
  const freshLayout = useRef(false);
  const initialView = () => {
    if (focusKey && nodeEls.current.has(focusKey)) return; // the focus effect frames the focused node
    freshLayout.current = false;
    const frame = frameRef.current;
    const size = svgSize.current;
    if (frame && size) {
      // A drawing that needs less than the frame's height at this scale gets a frame its own height.
      frame.style.height = '';
      const whole = Math.min((frame.clientWidth - 32) / size.width, (frame.clientHeight - PAD_Y) / size.height);
      const need = size.height * Math.max(Math.min(whole, 1), READABLE) + PAD_Y;
      if (need < frame.clientHeight) frame.style.height = `${Math.max(need, 400)}px`;
    }
    pz.fit({ min: READABLE, max: 1, ...FIT_PADS, anchor: anchorBox() });
  };
  const initialViewRef = useRef(initialView);
  initialViewRef.current = initialView;

  const keyToConcept = useRef(new Map<string, string>());
  keyToConcept.current = new Map(nodes.map((n) => [n.key, n.concept]));
  const infoRef = useRef(info);
  infoRef.current = info;
  const edgeRouteRef = useRef({ edges, edgeOnRoute });
  edgeRouteRef.current = { edges, edgeOnRoute };
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
          // ELK packs the groups as blocks with orthogonal links: far more compact than dagre for this map.
          layout: 'elk',
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

  // Mastery badges: redrawn whenever the learner's evidence changes, without re-rendering the diagram.
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-run after each render (`rendered`)
  useEffect(() => {
    for (const g of nodeEls.current.values()) {
      const concept = g.dataset.concept;
      const i = concept ? info(concept) : undefined;
      if (!concept || !i) continue;
      drawMastery(g, i.mastery ?? 'none');
      const said = [
        i.status !== 'new' ? i.status : '',
        i.mastery && i.mastery !== 'none' ? `mastery: ${i.mastery}` : '',
      ]
        .filter(Boolean)
        .join('; ');
      g.setAttribute('aria-label', `${i.title}${said ? ` (${said})` : ''}`);
    }
  }, [info, rendered]);

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
      else if (e.key === '0') pz.fit(FIT_PADS);
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
          {tipInfo.mastery && tipInfo.mastery !== 'none' && (
            <p className="map-tip-mastery">
              <MasteryPips level={tipInfo.mastery} /> Mastery: {MASTERY_RULES[tipInfo.mastery].label.toLowerCase()}
            </p>
          )}
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
          onClick={() => pz.fit(FIT_PADS)}
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
  route: { edges: Pick<GraphEdge, 'from' | 'to'>[]; edgeOnRoute: (boolean | undefined)[] },
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
  // Mermaid names each link L_<from>_<to>_<c> (c: 0 for the first link between the two, then 2, 3, ...), on the path's
  // id (after the drawing's own id) and on its label's data-id. Matching by name holds in any drawing order.
  const byName = new Map<string, number[]>();
  route.edges.forEach((e, i) => {
    const name = `L_${e.from}_${e.to}`;
    byName.set(name, [...(byName.get(name) ?? []), i]);
  });
  const onRoute = (id: string | null | undefined) => {
    const m = id && /(?:^|-)(L_\w+)_(\d+)$/.exec(id);
    const i = m ? byName.get(m[1])?.[Math.max(Number(m[2]) - 1, 0)] : undefined;
    return i === undefined ? undefined : route.edgeOnRoute[i];
  };
  for (const p of svg.querySelectorAll<SVGPathElement>('path.flowchart-link')) {
    const on = onRoute(p.id);
    p.classList.toggle('edge-on-route', on === true);
    p.classList.toggle('edge-dim', on === false);
  }
  for (const l of svg.querySelectorAll<SVGGElement>('.edgeLabels > .edgeLabel')) {
    l.classList.toggle('edge-dim', onRoute(l.querySelector('[data-id]')?.getAttribute('data-id')) === false);
  }
  return nodes;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * A node's mastery as a small pill on its top-right border: three pips, as many filled as the level (started 1,
 * practised 2, mastered 3), so the level reads without colour; nothing for a concept not started.
 */
function drawMastery(g: SVGGElement, level: MasteryLevel): void {
  const n = MASTERY_LEVELS.indexOf(level);
  let wrap = g.querySelector<SVGGElement>(':scope > .ga-mastery-wrap');
  if (n <= 0) {
    wrap?.remove();
    return;
  }
  const shape = g.querySelector<SVGRectElement>('rect.label-container');
  if (!shape) return;
  if (!wrap) {
    // Wrapped in a <g>, as the ring is: Mermaid's class rules would restyle a direct child.
    wrap = document.createElementNS(SVG_NS, 'g');
    wrap.setAttribute('class', 'ga-mastery-wrap');
    const pill = document.createElementNS(SVG_NS, 'g');
    pill.setAttribute('class', 'ga-mastery');
    const bg = document.createElementNS(SVG_NS, 'rect');
    bg.setAttribute('class', 'ga-mastery-bg');
    bg.setAttribute('width', '50');
    bg.setAttribute('height', '20');
    bg.setAttribute('rx', '10');
    pill.appendChild(bg);
    for (let i = 0; i < 3; i++) {
      const c = document.createElementNS(SVG_NS, 'circle');
      c.setAttribute('cx', String(12 + 13 * i));
      c.setAttribute('cy', '10');
      c.setAttribute('r', '4.4');
      pill.appendChild(c);
    }
    wrap.appendChild(pill);
    g.appendChild(wrap);
  }
  const pill = wrap.firstElementChild as SVGGElement;
  const x = shape.x.baseVal.value + shape.width.baseVal.value - 56;
  const y = shape.y.baseVal.value - 10;
  pill.setAttribute('transform', `translate(${x} ${y})`);
  pill.setAttribute('data-level', level);
  // Inline styles: Mermaid's own rules for `.node circle` / `.node rect` (under the drawing's id) win over classes.
  const bg = pill.querySelector<SVGRectElement>('rect');
  if (bg) {
    bg.style.fill = 'var(--surface)';
    bg.style.stroke = level === 'mastered' ? 'var(--ok)' : 'var(--border-strong)';
    bg.style.strokeWidth = level === 'mastered' ? '2.4px' : '1.4px';
  }
  pill.querySelectorAll('circle').forEach((c, i) => {
    c.classList.toggle('on', i < n);
    c.style.fill = i < n ? 'var(--text)' : 'none';
    c.style.stroke = i < n ? 'var(--text)' : 'var(--text-2)';
    c.style.strokeWidth = '1.6px';
  });
}

/** The same pips in HTML, for the legend and the tooltip. */
export function MasteryPips({ level }: { level: MasteryLevel }) {
  const n = MASTERY_LEVELS.indexOf(level);
  return (
    <span className={`map-pips mastery-${level}`} aria-hidden="true">
      {[0, 1, 2].map((i) => (
        <span key={i} className={i < n ? 'on' : undefined} />
      ))}
    </span>
  );
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
