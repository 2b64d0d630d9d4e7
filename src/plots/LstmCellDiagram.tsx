// The LSTM cell as a diagram: the cell state runs along the top, touched only by a multiply (forget) and an add
// (input); the three sigmoid gates and the tanh candidate read [h_{t-1}, x_t] from the wire along the bottom.
import { useRef } from 'react';
import { useWidth } from './useWidth';
import './plots.css';

const TOP = 78; // the cell state wire
const BOTTOM = 292; // the [h, x] wire
const GATE_Y = 228; // gate box centres
const GATES = [
  { x: 150, fn: 'σ', name: 'f', label: 'forget' },
  { x: 240, fn: 'σ', name: 'i', label: 'input' },
  { x: 330, fn: 'tanh', name: 'g', label: 'candidate' },
  { x: 430, fn: 'σ', name: 'o', label: 'output' },
];
const MUL_IN = { x: 330, y: 158 };
const OUT_X = 510;
const MUL_OUT = { x: OUT_X, y: 196 };

function Op({ x, y, text }: { x: number; y: number; text: string }) {
  return (
    <g>
      <circle className="dg-op" cx={x} cy={y} r={15} />
      <text className="dg-op-text" x={x} y={y} dy="0.36em" textAnchor="middle">
        {text}
      </text>
    </g>
  );
}

export default function LstmCellDiagram() {
  const ref = useRef<HTMLDivElement>(null);
  const compact = useWidth(ref) < 520;
  const arrow = 'url(#lstm-arrow)';
  return (
    <div ref={ref} className={`diagram${compact ? ' diagram-compact' : ''}`}>
      <svg
        viewBox="0 0 640 350"
        role="img"
        aria-label="LSTM cell: the cell state c flows along the top through a forget multiply and an input add; sigmoid gates f, i, o and a tanh candidate g read the previous output h and the input x; the output h is o times tanh of the new cell state."
      >
        <defs>
          <marker id="lstm-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto">
            <path d="M0,0 L10,5 L0,10 z" className="dg-arrow" />
          </marker>
        </defs>
        <rect x={62} y={34} width={520} height={286} rx={22} className="dg-box" style={{ opacity: 0.55 }} />

        {/* cell state */}
        <path className="dg-wire-cell" d={`M16,${TOP} H135`} />
        <path className="dg-wire-cell" d={`M165,${TOP} H315`} />
        <path className="dg-wire-cell" markerEnd={arrow} d={`M345,${TOP} H622`} />
        <text className="dg-math" x={16} y={TOP - 12}>
          c
          <tspan fontSize="11" dy="4">
            t−1
          </tspan>
        </text>
        <text className="dg-math" x={600} y={TOP - 12}>
          c
          <tspan fontSize="11" dy="4">
            t
          </tspan>
        </text>
        {!compact && (
          <text className="dg-note" x={420} y={TOP - 12} textAnchor="middle">
            cell state: long-term memory
          </text>
        )}

        {/* inputs: h_{t-1} from the left, x_t from below, joined on the bottom wire */}
        <path className="dg-wire" d={`M16,${BOTTOM} H${GATES[3].x}`} />
        <path className="dg-wire" d={`M92,340 V${BOTTOM}`} />
        <circle cx={92} cy={BOTTOM} r={3.5} className="dg-arrow" />
        <text className="dg-math" x={16} y={BOTTOM - 10}>
          h
          <tspan fontSize="11" dy="4">
            t−1
          </tspan>
        </text>
        <text className="dg-math" x={102} y={338}>
          x
          <tspan fontSize="11" dy="4">
            t
          </tspan>
        </text>

        {/* gates */}
        {GATES.map((g) => (
          <g key={g.name}>
            <path className="dg-wire" markerEnd={arrow} d={`M${g.x},${BOTTOM} V${GATE_Y + 20}`} />
            <rect
              x={g.x - 34}
              y={GATE_Y - 18}
              width={68}
              height={36}
              rx={8}
              className={g.fn === 'tanh' ? 'dg-box-b' : 'dg-box-accent'}
            />
            <text className="dg-text" x={g.x} y={GATE_Y} dy="0.35em" textAnchor="middle">
              {g.fn}
            </text>
            <text className="dg-math dg-gate-name" x={g.name === 'o' ? g.x - 18 : g.x + 8} y={GATE_Y - 30}>
              {g.name}
            </text>
          </g>
        ))}

        {/* forget: f times c_{t-1} */}
        <path className="dg-wire" markerEnd={arrow} d={`M${GATES[0].x},${GATE_Y - 18} V${TOP + 17}`} />
        <Op x={150} y={TOP} text="×" />

        {/* input: i times g, added to the cell state */}
        <path
          className="dg-wire"
          markerEnd={arrow}
          d={`M${GATES[1].x},${GATE_Y - 18} V${MUL_IN.y} H${MUL_IN.x - 17}`}
        />
        <path className="dg-wire" markerEnd={arrow} d={`M${GATES[2].x},${GATE_Y - 18} V${MUL_IN.y + 17}`} />
        <Op x={MUL_IN.x} y={MUL_IN.y} text="×" />
        <path className="dg-wire" markerEnd={arrow} d={`M${MUL_IN.x},${MUL_IN.y - 15} V${TOP + 17}`} />
        <Op x={330} y={TOP} text="+" />

        {/* output: o times tanh(c_t) */}
        <path className="dg-wire" markerEnd={arrow} d={`M${OUT_X},${TOP} V${122}`} />
        <circle cx={OUT_X} cy={TOP} r={3.5} className="dg-arrow" />
        <rect x={OUT_X - 30} y={124} width={60} height={30} rx={15} className="dg-box-b" />
        <text className="dg-text" x={OUT_X} y={139} dy="0.35em" textAnchor="middle">
          tanh
        </text>
        <path className="dg-wire" markerEnd={arrow} d={`M${OUT_X},154 V${MUL_OUT.y - 17}`} />
        <path
          className="dg-wire"
          markerEnd={arrow}
          d={`M${GATES[3].x},${GATE_Y - 18} V${MUL_OUT.y} H${MUL_OUT.x - 17}`}
        />
        <Op x={MUL_OUT.x} y={MUL_OUT.y} text="×" />
        <path className="dg-wire" markerEnd={arrow} d={`M${OUT_X},${MUL_OUT.y + 15} V${BOTTOM} H622`} />
        <text className="dg-math" x={600} y={BOTTOM - 10}>
          h
          <tspan fontSize="11" dy="4">
            t
          </tspan>
        </text>

        {/* gate legend */}
        {!compact && (
          <text className="dg-note" x={322} y={338} textAnchor="middle">
            f forget · i input · g candidate · o output
          </text>
        )}
      </svg>
      {compact && <p className="diagram-legend">f forget · i input · g candidate · o output</p>}
    </div>
  );
}
