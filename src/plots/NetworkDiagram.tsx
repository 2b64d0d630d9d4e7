// A small MLP drawn TensorFlow-Playground style: columns of nodes (inputs with their feature names, hidden layers,
// outputs), links coloured by the sign of their weight and as wide as its size, optional thumbnails of each
// neuron's output inside its node. Big layers are capped (the first nodes, then "+N"). Hover a link or node, or
// move between nodes with the arrow keys, for the numbers.
import { type KeyboardEvent, memo, useEffect, useId, useMemo, useRef, useState } from 'react';
import { fmt, fmtInt } from './format';
import { drawThumbnail, maxAbs, useDivergingLut } from './NeuronThumbnails';
import { useChartTheme } from './theme';
import { useWidth } from './useWidth';
import './plots.css';

export interface NetworkDiagramProps {
  /** Accessible name; default "Network". */
  label?: string;
  /** Nodes per layer, inputs first: [2, 8, 8, 1]. */
  layerSizes: number[];
  /** weights[l] is [layerSizes[l + 1], layerSizes[l]] row-major (PyTorch Linear layout). */
  weights: Float32Array[];
  biases?: Float32Array[];
  inputLabels?: string[];
  outputLabels?: string[];
  /** A title per column, e.g. ['input', 'hidden 1 · tanh', 'hidden 2 · tanh', 'output']. */
  layerNames?: string[];
  /** thumbnails[layer][node]: a res × res output map per node (NeuronThumbnails data); layers may be missing. */
  thumbnails?: (Float32Array[] | undefined)[];
  thumbnailRes?: number;
  /** Nodes drawn per layer before capping (default 16). */
  maxNodes?: number;
}

type Focus = { kind: 'node'; l: number; i: number } | { kind: 'link'; l: number; i: number; j: number };

/** Indices drawn for a layer of n nodes and how many are left out. */
export function visibleNodes(n: number, max: number): { shown: number; hidden: number } {
  return n <= max ? { shown: n, hidden: 0 } : { shown: Math.max(1, max - 1), hidden: n - Math.max(1, max - 1) };
}

export function networkSummary(label: string, sizes: number[], weights: Float32Array[], max: number): string {
  const count = weights.reduce((a, w) => a + w.length, 0);
  const capped = sizes.some((n) => n > max);
  const big = maxAbs(weights);
  return `${label}: ${sizes.join(' → ')}, ${sizes.length - 1} weight layers, ${fmtInt(count)} weights, largest |w| ${fmt(big)}.${capped ? ` Layers over ${max} nodes show their first ${max - 1}.` : ''} Teal links are positive weights, orange negative.`;
}

function NetworkDiagramImpl({
  label = 'Network',
  layerSizes,
  weights,
  biases,
  inputLabels,
  outputLabels,
  layerNames,
  thumbnails,
  thumbnailRes = 0,
  maxNodes = 16,
}: NetworkDiagramProps) {
  const ref = useRef<HTMLDivElement>(null);
  const width = useWidth(ref, 480);
  const theme = useChartTheme();
  const lut = useDivergingLut(theme);
  const uid = useId();
  const [focus, setFocus] = useState<Focus | null>(null);
  const [active, setActive] = useState<[number, number]>([0, 0]);
  const nodeRefs = useRef(new Map<string, SVGGElement>());
  const canvasRefs = useRef(new Map<string, HTMLCanvasElement>());

  const L = layerSizes.length;
  const hasThumbs = !!thumbnails?.some((t) => t && t.length > 0) && thumbnailRes > 0;
  const node = hasThumbs ? 34 : 22;
  const gapY = hasThumbs ? 10 : 12;
  const caps = layerSizes.map((n) => visibleNodes(n, maxNodes));
  const rows = Math.max(1, ...caps.map((c) => c.shown + (c.hidden ? 1 : 0)));
  const labelW = inputLabels ? Math.min(64, 8 + 7 * Math.max(0, ...inputLabels.map((s) => s.length))) : 8;
  const outW = outputLabels ? Math.min(64, 8 + 7 * Math.max(0, ...outputLabels.map((s) => s.length))) : 8;
  const top = 26;
  const height = top + rows * (node + gapY) + 4;
  const left = labelW + node / 2 + 4;
  const right = width - outW - node / 2 - 4;
  const colX = (l: number) => (L <= 1 ? (left + right) / 2 : left + ((right - left) * l) / (L - 1));
  const rowY = (l: number, i: number) => {
    const n = caps[l].shown + (caps[l].hidden ? 1 : 0);
    return top + (rows - n) * ((node + gapY) / 2) + i * (node + gapY) + node / 2;
  };
  const big = useMemo(() => maxAbs(weights), [weights]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: colX/rowY derive from the listed layout inputs
  const links = useMemo(() => {
    const out: { key: string; l: number; i: number; j: number; w: number; d: string }[] = [];
    for (let l = 0; l + 1 < L; l++) {
      const W = weights[l];
      const nIn = layerSizes[l];
      if (!W) continue;
      const x0 = colX(l) + node / 2;
      const x1 = colX(l + 1) - node / 2;
      const mx = (x0 + x1) / 2;
      for (let i = 0; i < caps[l + 1].shown; i++)
        for (let j = 0; j < caps[l].shown; j++) {
          const y0 = rowY(l, j);
          const y1 = rowY(l + 1, i);
          out.push({
            key: `${l}-${i}-${j}`,
            l,
            i,
            j,
            w: W[i * nIn + j],
            d: `M${x0},${y0}C${mx},${y0} ${mx},${y1} ${x1},${y1}`,
          });
        }
    }
    return out;
  }, [weights, layerSizes, width, node, gapY, rows, maxNodes]);

  const nodeName = (l: number, i: number) => {
    if (l === 0) return inputLabels?.[i] ?? `input ${i + 1}`;
    if (l === L - 1) return outputLabels?.[i] ?? `output ${i + 1}`;
    return `${layerNames?.[l] ?? `hidden ${l}`} node ${i + 1}`;
  };
  const nodeDetails = (l: number, i: number) => {
    const parts = [nodeName(l, i)];
    const b = biases?.[l - 1]?.[i];
    if (b !== undefined) parts.push(`bias ${fmt(b)}`);
    if (l > 0 && weights[l - 1]) {
      const nIn = layerSizes[l - 1];
      const ws = Array.from(weights[l - 1].subarray(i * nIn, (i + 1) * nIn), (w, j) => ({ w, j }));
      ws.sort((a, c) => Math.abs(c.w) - Math.abs(a.w));
      const top4 = ws.slice(0, 4).map(({ w, j }) => `${nodeName(l - 1, j)} ${w >= 0 ? '+' : ''}${fmt(w)}`);
      parts.push(`${nIn > 4 ? 'strongest ' : ''}incoming: ${top4.join(', ')}`);
    }
    return parts.join('; ');
  };
  const details = (() => {
    if (!focus) return null;
    if (focus.kind === 'node') return nodeDetails(focus.l, focus.i);
    const w = weights[focus.l][focus.i * layerSizes[focus.l] + focus.j];
    return `weight layer ${focus.l + 1}: ${nodeName(focus.l, focus.j)} → ${nodeName(focus.l + 1, focus.i)} = ${fmt(w)}`;
  })();

  // Thumbnails inside nodes.
  useEffect(() => {
    if (!hasThumbs || !thumbnails) return;
    thumbnails.forEach((layer, l) => {
      if (!layer) return;
      const r = maxAbs(layer);
      layer.forEach((data, i) => {
        const c = canvasRefs.current.get(`${l}-${i}`);
        if (c) drawThumbnail(c, data, thumbnailRes, r, lut);
      });
    });
  }, [thumbnails, thumbnailRes, lut, hasThumbs]);

  const moveFocus = (l: number, i: number) => {
    const ll = Math.max(0, Math.min(L - 1, l));
    const ii = Math.max(0, Math.min(caps[ll].shown - 1, i));
    setActive([ll, ii]);
    nodeRefs.current.get(`${ll}-${ii}`)?.focus();
  };
  const onKey = (e: KeyboardEvent<SVGGElement>, l: number, i: number) => {
    const to: Record<string, [number, number]> = {
      ArrowUp: [l, i - 1],
      ArrowDown: [l, i + 1],
      ArrowLeft: [l - 1, Math.round((i * caps[Math.max(0, l - 1)].shown) / Math.max(1, caps[l].shown))],
      ArrowRight: [l + 1, Math.round((i * caps[Math.min(L - 1, l + 1)].shown) / Math.max(1, caps[l].shown))],
    };
    const t = to[e.key];
    if (!t) return;
    e.preventDefault();
    moveFocus(t[0], t[1]);
  };

  const highlighted = (k: { l: number; i: number; j: number }) =>
    focus?.kind === 'node'
      ? (k.l === focus.l - 1 && k.i === focus.i) || (k.l === focus.l && k.j === focus.i)
      : focus?.kind === 'link' && focus.l === k.l && focus.i === k.i && focus.j === k.j;

  return (
    <figure ref={ref} className="plot pl-chart pl-net" aria-label={label} aria-describedby={`${uid}-s`}>
      <div className="pl-stack" style={{ height }}>
        <svg width={width} height={height} onPointerLeave={() => setFocus(null)}>
          <title>{label}</title>
          {layerSizes.map((n, l) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: layers are positional
            <text key={l} className="pl-net-col" x={colX(l)} y={12} textAnchor="middle">
              {layerNames?.[l] ?? (l === 0 ? 'input' : l === L - 1 ? 'output' : `hidden ${l}`)}
              {n > 1 ? ` (${fmtInt(n)})` : ''}
            </text>
          ))}
          <g>
            {links.map((k) => {
              const t = Math.abs(k.w) / big;
              const on = highlighted(k);
              return (
                <g
                  key={k.key}
                  onPointerEnter={() => setFocus({ kind: 'link', l: k.l, i: k.i, j: k.j })}
                  className={`pl-link ${k.w >= 0 ? 'pos' : 'neg'}`}
                >
                  <path d={k.d} className="pl-link-hit" />
                  <path
                    d={k.d}
                    className="pl-link-line"
                    style={{
                      strokeWidth: on ? Math.max(2.2, 0.6 + 4.4 * t) : 0.6 + 4.4 * t,
                      opacity: on ? 1 : focus ? 0.1 : 0.3 + 0.65 * t,
                    }}
                  />
                </g>
              );
            })}
          </g>
          {caps.map((cap, l) =>
            Array.from({ length: cap.shown }, (_, i) => {
              const cx = colX(l);
              const cy = rowY(l, i);
              const isActive = active[0] === l && active[1] === i;
              const on = focus?.kind === 'node' && focus.l === l && focus.i === i;
              return (
                // biome-ignore lint/a11y/noInteractiveElementToNoninteractiveRole: a focusable node whose name is its numbers
                <g
                  // biome-ignore lint/suspicious/noArrayIndexKey: nodes are positional
                  key={`${l}-${i}`}
                  ref={(el) => {
                    if (el) nodeRefs.current.set(`${l}-${i}`, el);
                    else nodeRefs.current.delete(`${l}-${i}`);
                  }}
                  className={`pl-node${on ? ' on' : ''}`}
                  role="img"
                  aria-label={nodeDetails(l, i)}
                  tabIndex={isActive ? 0 : -1}
                  onFocus={() => {
                    setActive([l, i]);
                    setFocus({ kind: 'node', l, i });
                  }}
                  onBlur={() => setFocus(null)}
                  onKeyDown={(e) => onKey(e, l, i)}
                  onPointerEnter={() => setFocus({ kind: 'node', l, i })}
                >
                  <rect x={cx - node / 2} y={cy - node / 2} width={node} height={node} rx={6} />
                  {l === 0 && inputLabels?.[i] && (
                    <text className="pl-net-label" x={cx - node / 2 - 6} y={cy} dy="0.32em" textAnchor="end">
                      {inputLabels[i]}
                    </text>
                  )}
                  {l === L - 1 && outputLabels?.[i] && (
                    <text className="pl-net-label" x={cx + node / 2 + 6} y={cy} dy="0.32em" textAnchor="start">
                      {outputLabels[i]}
                    </text>
                  )}
                </g>
              );
            }),
          )}
          {caps.map((cap, l) =>
            cap.hidden ? (
              // biome-ignore lint/suspicious/noArrayIndexKey: layers are positional
              <g key={`more-${l}`} className="pl-net-more">
                <rect x={colX(l) - 22} y={rowY(l, cap.shown) - 10} width={44} height={20} rx={10} />
                <text x={colX(l)} y={rowY(l, cap.shown)} dy="0.32em" textAnchor="middle">
                  +{fmtInt(cap.hidden)}
                </text>
              </g>
            ) : null,
          )}
        </svg>
        {hasThumbs &&
          thumbnails?.map((layer, l) =>
            layer?.slice(0, caps[l]?.shown ?? 0).map((_, i) => (
              <canvas
                // biome-ignore lint/suspicious/noArrayIndexKey: nodes are positional
                key={`${l}-${i}`}
                ref={(el) => {
                  if (el) canvasRefs.current.set(`${l}-${i}`, el);
                  else canvasRefs.current.delete(`${l}-${i}`);
                }}
                className="pl-canvas pl-net-thumb"
                style={{
                  left: colX(l) - node / 2 + 2,
                  top: rowY(l, i) - node / 2 + 2,
                  width: node - 4,
                  height: node - 4,
                }}
              />
            )),
          )}
      </div>
      <p className="pl-readout" aria-live="polite">
        {details ?? 'Hover a link or node, or Tab to a node and use the arrow keys, for its weights.'}
      </p>
      <p id={`${uid}-s`} className="pl-sr-only">
        {networkSummary(label, layerSizes, weights, maxNodes)}
      </p>
    </figure>
  );
}

/** Memoised: re-renders only when its props change (the Lab re-renders often while training). */
export const NetworkDiagram = memo(NetworkDiagramImpl);

export default NetworkDiagram;
