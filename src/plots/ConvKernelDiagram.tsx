// A 3×3 kernel sliding over a 6×6 input: the highlighted window, the products that are summed, and where the result
// lands in the 4×4 output. Like deep-learning libraries, this is cross-correlation (the kernel is not flipped).
import { useState } from 'react';
import './plots.css';

const INPUT = [
  [1, 2, 3, 0, 1, 0],
  [2, 3, 4, 1, 0, 1],
  [3, 4, 5, 0, 1, 0],
  [2, 3, 4, 1, 0, 1],
  [1, 2, 3, 0, 1, 0],
  [2, 1, 2, 1, 0, 1],
];
const KERNEL = [
  [1, 0, -1],
  [1, 0, -1],
  [1, 0, -1],
];
const K = KERNEL.length;
const OUT = INPUT.length - K + 1;

export function convolve(input: number[][], kernel: number[][]): number[][] {
  const k = kernel.length;
  const n = input.length - k + 1;
  return Array.from({ length: n }, (_, r) =>
    Array.from({ length: n }, (_, c) => {
      let s = 0;
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) s += input[r + i][c + j] * kernel[i][j];
      return s;
    }),
  );
}

const OUTPUT = convolve(INPUT, KERNEL);
const CELL = 30;

function Grid({
  values,
  label,
  highlight,
  tone,
  onPick,
}: {
  values: number[][];
  label: string;
  highlight?: (r: number, c: number) => boolean;
  tone: 'accent' | 'b' | 'a';
  onPick?: (r: number, c: number) => void;
}) {
  const n = values.length;
  return (
    <figure className="conv-grid">
      <svg width={n * CELL + 2} height={n * CELL + 2} role="img" aria-label={label}>
        {values
          .flatMap((row, r) => row.map((v, c) => ({ id: `${r}-${c}`, r, c, v })))
          .map(({ id, r, c, v }) => {
            const on = highlight?.(r, c) ?? false;
            return (
              // biome-ignore lint/a11y/noStaticElementInteractions: a pointer shortcut; the slider is the keyboard way
              <g
                key={id}
                onClick={onPick ? () => onPick(r, c) : undefined}
                style={onPick ? { cursor: 'pointer' } : undefined}
              >
                <rect
                  x={1 + c * CELL}
                  y={1 + r * CELL}
                  width={CELL}
                  height={CELL}
                  className={`grid-cell conv-${tone}${on ? ' on' : ''}`}
                />
                <text
                  className="heat-cell-text conv-num"
                  x={1 + c * CELL + CELL / 2}
                  y={1 + r * CELL + CELL / 2}
                  dy="0.34em"
                  textAnchor="middle"
                >
                  {v}
                </text>
              </g>
            );
          })}
      </svg>
      <figcaption>{label}</figcaption>
    </figure>
  );
}

export default function ConvKernelDiagram() {
  const [pos, setPos] = useState(5);
  const r0 = Math.floor(pos / OUT);
  const c0 = pos % OUT;
  const terms = KERNEL.flatMap((row, i) => row.map((k, j) => ({ x: INPUT[r0 + i][c0 + j], k })));
  const shown = terms.filter((t) => t.k !== 0);
  return (
    <div className="plot">
      <div className="conv-row">
        <Grid
          values={INPUT}
          label="input 6×6"
          tone="accent"
          highlight={(r, c) => r >= r0 && r < r0 + K && c >= c0 && c < c0 + K}
          onPick={(r, c) => setPos(Math.min(OUT - 1, r) * OUT + Math.min(OUT - 1, c))}
        />
        <span className="conv-op">∗</span>
        <Grid values={KERNEL} label="kernel 3×3" tone="b" highlight={() => true} />
        <span className="conv-op">=</span>
        <Grid
          values={OUTPUT}
          label="output 4×4"
          tone="a"
          highlight={(r, c) => r === r0 && c === c0}
          onPick={(r, c) => setPos(r * OUT + c)}
        />
      </div>
      <label className="plot-range">
        <span>Kernel position</span>
        <input
          type="range"
          min={0}
          max={OUT * OUT - 1}
          value={pos}
          onChange={(e) => setPos(Number(e.target.value))}
          aria-valuetext={`row ${r0 + 1}, column ${c0 + 1}`}
        />
        <span className="conv-pos">
          ({r0 + 1}, {c0 + 1})
        </span>
      </label>
      <p className="plot-readout">
        <code>
          {shown.map((t, i) => `${i ? (t.k < 0 ? ' − ' : ' + ') : t.k < 0 ? '−' : ''}${t.x}`).join('')} ={' '}
          {OUTPUT[r0][c0]}
        </code>{' '}
        (the zero column of the kernel drops out). This kernel responds to vertical edges: bright on the left, dark on
        the right.
      </p>
    </div>
  );
}
