// The residual block of ResNet as a diagram: two weight layers learn F(x), an identity shortcut carries x around
// them, and the sum F(x) + x goes through the last ReLU. Lays itself out across on wide screens, down on phones.
import { useRef } from 'react';
import { useWidth } from './useWidth';
import './plots.css';

interface Node {
  kind: 'io' | 'box' | 'op';
  text: string;
  tone?: 'a' | 'accent';
}

const NODES: Node[] = [
  { kind: 'io', text: 'x' },
  { kind: 'box', text: 'Weight layer', tone: 'accent' },
  { kind: 'box', text: 'ReLU', tone: 'a' },
  { kind: 'box', text: 'Weight layer', tone: 'accent' },
  { kind: 'op', text: '+' },
  { kind: 'box', text: 'ReLU', tone: 'a' },
  { kind: 'io', text: 'out' },
];

const GAP = 28;

export default function ResidualBlockDiagram() {
  const ref = useRef<HTMLDivElement>(null);
  const vertical = useWidth(ref) < 520;
  // Extent of each node along the flow, and across it.
  const along = (n: Node) => (n.kind === 'op' ? 34 : n.kind === 'io' ? (vertical ? 22 : 30) : vertical ? 44 : 112);
  const across = (n: Node) => (n.kind === 'op' ? 34 : n.kind === 'io' ? 30 : vertical ? 150 : 46);
  const starts: number[] = [];
  let pos = vertical ? 16 : 12;
  for (const n of NODES) {
    starts.push(pos);
    pos += along(n) + GAP;
  }
  const total = pos - GAP + 12;
  const mid = vertical ? 130 : 118; // the flow's centre line
  const skipAt = vertical ? 270 : 34; // where the shortcut runs
  const W = vertical ? 340 : total;
  const H = vertical ? total : 210;
  const center = (i: number) => starts[i] + along(NODES[i]) / 2;
  const pt = (a: number, c: number) => (vertical ? `${c},${a}` : `${a},${c}`);
  const sum = 4;
  const firstBox = 1;
  const lastLayer = 3;

  return (
    <div ref={ref} className="diagram">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        style={{ maxWidth: vertical ? 360 : 680 }}
        role="img"
        aria-label="Residual block: x passes through weight layer, ReLU, weight layer to give F(x); an identity shortcut adds x, and the sum F(x) + x goes through a ReLU."
      >
        <defs>
          <marker id="rb-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">
            <path d="M0,0 L10,5 L0,10 z" className="dg-arrow" />
          </marker>
          <marker
            id="rb-arrow-skip"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="6"
            markerHeight="6"
            orient="auto"
          >
            <path d="M0,0 L10,5 L0,10 z" style={{ fill: 'var(--accent-a)' }} />
          </marker>
        </defs>

        {/* the main path */}
        {NODES.slice(0, -1).map((n, i) => (
          <line
            // biome-ignore lint/suspicious/noArrayIndexKey: fixed diagram
            key={i}
            className="dg-wire"
            markerEnd="url(#rb-arrow)"
            {...(vertical
              ? { x1: mid, x2: mid, y1: starts[i] + along(n), y2: starts[i + 1] - 2 }
              : { x1: starts[i] + along(n), x2: starts[i + 1] - 2, y1: mid, y2: mid })}
          />
        ))}

        {/* the identity shortcut, from just after x to the sum */}
        <path
          className="dg-wire-skip"
          markerEnd="url(#rb-arrow-skip)"
          d={`M${pt(starts[0] + along(NODES[0]) + GAP / 2, mid)} L${pt(starts[0] + along(NODES[0]) + GAP / 2, skipAt)} L${pt(center(sum), skipAt)} L${pt(center(sum), mid - (vertical ? -19 : 19))}`}
        />
        <circle
          cx={vertical ? mid : starts[0] + along(NODES[0]) + GAP / 2}
          cy={vertical ? starts[0] + along(NODES[0]) + GAP / 2 : mid}
          r={3.5}
          style={{ fill: 'var(--accent-a)' }}
        />
        <text
          className="dg-note"
          textAnchor="middle"
          x={vertical ? skipAt + 0 : (starts[firstBox] + center(sum)) / 2}
          y={vertical ? (starts[firstBox] + center(sum)) / 2 : skipAt - 10}
          transform={vertical ? `rotate(90 ${skipAt + 12} ${(starts[firstBox] + center(sum)) / 2})` : undefined}
          dx={vertical ? 12 : 0}
        >
          identity shortcut: x
        </text>

        {/* F(x) bracket */}
        {vertical ? (
          <g>
            <path
              className="dg-wire"
              style={{ opacity: 0.5 }}
              d={`M${mid - 86},${starts[firstBox]} h-8 V${starts[lastLayer] + along(NODES[lastLayer])} h8`}
            />
            <text
              className="dg-math"
              x={mid - 104}
              y={(starts[firstBox] + starts[lastLayer] + along(NODES[lastLayer])) / 2}
              textAnchor="middle"
              transform={`rotate(-90 ${mid - 104} ${(starts[firstBox] + starts[lastLayer] + along(NODES[lastLayer])) / 2})`}
            >
              F(x)
            </text>
          </g>
        ) : (
          <g>
            <path
              className="dg-wire"
              style={{ opacity: 0.5 }}
              d={`M${starts[firstBox]},${mid + 34} v8 H${starts[lastLayer] + along(NODES[lastLayer])} v-8`}
            />
            <text
              className="dg-math"
              x={(starts[firstBox] + starts[lastLayer] + along(NODES[lastLayer])) / 2}
              y={mid + 64}
              textAnchor="middle"
            >
              F(x)
            </text>
            <text
              className="dg-note"
              x={(starts[firstBox] + starts[lastLayer] + along(NODES[lastLayer])) / 2}
              y={mid + 82}
              textAnchor="middle"
            >
              the residual the layers learn
            </text>
          </g>
        )}

        {/* nodes */}
        {NODES.map((n, i) => {
          const a = starts[i];
          const len = along(n);
          const wid = across(n);
          if (n.kind === 'op')
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: fixed diagram
              <g key={i}>
                <circle className="dg-op" cx={vertical ? mid : a + len / 2} cy={vertical ? a + len / 2 : mid} r={17} />
                <text
                  className="dg-op-text"
                  x={vertical ? mid : a + len / 2}
                  y={vertical ? a + len / 2 : mid}
                  dy="0.35em"
                  textAnchor="middle"
                >
                  +
                </text>
              </g>
            );
          if (n.kind === 'io')
            return (
              <text
                // biome-ignore lint/suspicious/noArrayIndexKey: fixed diagram
                key={i}
                className={n.text === 'x' ? 'dg-math' : 'dg-note'}
                x={vertical ? mid : a + len / 2}
                y={vertical ? a + len / 2 : mid}
                dy="0.35em"
                textAnchor="middle"
              >
                {n.text}
              </text>
            );
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: fixed diagram
            <g key={i}>
              <rect
                className={n.tone === 'a' ? 'dg-box-a' : 'dg-box-accent'}
                x={vertical ? mid - wid / 2 : a}
                y={vertical ? a : mid - wid / 2}
                width={vertical ? wid : len}
                height={vertical ? len : wid}
                rx={9}
              />
              <text
                className="dg-text"
                x={vertical ? mid : a + len / 2}
                y={vertical ? a + len / 2 : mid}
                dy="0.35em"
                textAnchor="middle"
              >
                {n.text}
              </text>
            </g>
          );
        })}
        <text
          className="dg-math"
          x={vertical ? mid - 28 : center(sum)}
          y={vertical ? center(sum) : mid + 40}
          dy={vertical ? '0.35em' : 0}
          textAnchor={vertical ? 'end' : 'middle'}
        >
          F(x) + x
        </text>
      </svg>
    </div>
  );
}
