// The decision boundary of each run (pushed by the worker at a low, adaptive rate) with the data on top: training
// points filled, validation points outlined, misclassified ones marked. A click (or Enter on the focused plot) adds a
// point of the chosen class to the training data.
import { useMemo } from 'react';
import type { DatasetView, GridFrame, RunId } from '../../../../engine/index';
import { DecisionBoundary, type PointSet } from '../../../plots/DecisionBoundary';
import { useRuns } from '../../../state/runs';

interface Props {
  runs: { id: RunId; label: string }[];
  regression: boolean;
  classes: number;
  onAddPoint: ((x: number, y: number) => void) | null;
  size: number;
}

/** Splits interleaved (x, y) pairs into columns, with each point's class predicted from the grid cell it falls in. */
function pointsOf(xy: Float32Array, labels: Float32Array, grid: GridFrame | null): PointSet {
  const n = Math.min(xy.length / 2, labels.length);
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  const predicted = grid && grid.kind === 'probabilities' ? new Float32Array(n) : undefined;
  for (let i = 0; i < n; i++) {
    x[i] = xy[2 * i];
    y[i] = xy[2 * i + 1];
    if (predicted && grid) predicted[i] = cellClass(grid, x[i], y[i]);
  }
  return { x, y, label: labels.subarray(0, n), predicted };
}

function cellClass(g: GridFrame, px: number, py: number): number {
  const res = g.resolution;
  const col = Math.round(((px - g.xRange[0]) / (g.xRange[1] - g.xRange[0])) * (res - 1));
  const row = Math.round(((py - g.yRange[0]) / (g.yRange[1] - g.yRange[0])) * (res - 1));
  const cell = (Math.max(0, Math.min(res - 1, row)) * res + Math.max(0, Math.min(res - 1, col))) * g.outputs;
  if (g.outputs === 1) return g.values[cell] > 0.5 ? 1 : 0;
  let best = 0;
  for (let o = 1; o < g.outputs; o++) if (g.values[cell + o] > g.values[cell + best]) best = o;
  return best;
}

function RunBoundary({
  id,
  label,
  regression,
  classes,
  onAddPoint,
  size,
}: { id: RunId; label: string | null } & Omit<Props, 'runs'>) {
  const grid = useRuns((s) => s.runs[id]?.grid ?? null);
  const data = useRuns((s) => s.runs[id]?.data ?? null) as DatasetView | null;
  const pts = useMemo(() => {
    if (!data?.points2d) return null;
    return {
      train: pointsOf(data.points2d.train, data.train.y, grid),
      val: pointsOf(data.points2d.val, data.val.y, grid),
    };
  }, [data, grid]);
  const classNames = useMemo(() => Array.from({ length: classes }, (_, i) => `class ${i + 1}`), [classes]);
  return (
    <figure className="lab-boundary" data-testid={`boundary-${id}`}>
      {label && <figcaption className="lab-run-caption">{label}</figcaption>}
      {grid ? (
        <DecisionBoundary
          label={label ? `Decision boundary, ${label}` : 'Decision boundary'}
          grid={grid.values}
          res={grid.resolution}
          outputs={grid.outputs}
          kind={regression ? 'regression' : 'classes'}
          xRange={grid.xRange}
          yRange={grid.yRange}
          train={pts?.train}
          validation={pts?.val}
          markMisclassified={!regression}
          step={grid.step}
          classNames={classNames}
          size={size}
          onAddPoint={onAddPoint ? (x, y) => onAddPoint(x, y) : undefined}
        />
      ) : (
        <div className="lab-placeholder" style={{ width: size }} role="status">
          Preparing the network…
        </div>
      )}
    </figure>
  );
}

export function BoundaryPanel({ runs, ...rest }: Props) {
  return (
    <div className={runs.length > 1 ? 'lab-boundaries is-compare' : 'lab-boundaries'}>
      {runs.map((r) => (
        <RunBoundary key={r.id} id={r.id} label={runs.length > 1 ? r.label : null} {...rest} />
      ))}
    </div>
  );
}
