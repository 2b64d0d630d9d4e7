// The loss landscape of a Lab run, computed in the engine worker around the run's current weights: a 2-D slice along
// two random filter-normalised directions (Li et al. 2018) or the top two PCA directions of the weight trajectory
// (then the path the run took is drawn on it), as a heatmap with contours or a rotatable 3-D surface, and the loss
// along the straight line from the initial to the current weights (and between A and B in compare mode). The worker
// evaluates the grid as batched forward passes in chunks, so training in the other run goes on; progress and Cancel
// come from its landscapeProgress events and the cancelLandscape request.
import { useEffect, useMemo, useRef, useState } from 'react';
import type {
  InterpolationResult,
  LandscapeDirections,
  LandscapeProgress,
  LandscapeResult,
  RunId,
} from '../../../../engine/index';
import { fmt, fmtInt, fmtPct } from '../../../plots/format';
import { LineChart, type LineSeries } from '../../../plots/LineChart';
import { LossLandscape2D } from '../../../plots/LossLandscape2D';
import { LossSurface3D } from '../../../plots/LossSurface3D';
import { landscapeScale } from '../../../plots/landscapeScale';
import { useWidth } from '../../../plots/useWidth';
import { startEngine } from '../../../state/engine';
import { Segmented, Slider, Switch } from '../controls/Form';
import './landscape.css';

interface Props {
  runs: { id: RunId; label: string }[];
  /** Image data (MNIST): evaluate on the split's first 500 rows and start from a 15x15 grid (each point is a
   * forward pass over every row evaluated). */
  images?: boolean;
}

const IMAGE_ROWS = 500;

type Phase = { kind: 'landscape' | 'line'; progress: LandscapeProgress | null };

interface Lines {
  initial: InterpolationResult | null;
  between: InterpolationResult | null;
  note: string | null;
}

/** Min loss and where, the loss at the current weights, and (PCA) the path: the figures' text form. */
export function landscapeSummary(r: LandscapeResult): string {
  let k = 0;
  for (let i = 1; i < r.losses.length; i++) if (r.losses[i] < r.losses[k]) k = i;
  const a = r.alphas[k % r.grid];
  const b = r.betas[Math.floor(k / r.grid)];
  const parts = [
    `${r.grid}×${r.grid} ${r.directions === 'pca' ? 'PCA' : 'random-direction'} slice of the ${r.split === 'val' ? 'validation' : 'training'} loss at step ${fmtInt(r.step)}.`,
    `Lowest loss ${fmt(r.losses[k])} at α ${fmt(a)}, β ${fmt(b)}; at the current weights (the centre) ${fmt(r.centerLoss)}; highest ${fmt(Math.max(...r.losses))}.`,
  ];
  if (r.trajectory && r.trajectorySteps) {
    let len = 0;
    for (let t = 1; t < r.trajectory.length / 2; t++)
      len += Math.hypot(
        r.trajectory[2 * t] - r.trajectory[2 * t - 2],
        r.trajectory[2 * t + 1] - r.trajectory[2 * t - 1],
      );
    const steps = r.trajectorySteps;
    parts.push(
      `The path: ${steps.length} snapshots from step ${fmtInt(steps[0])} to ${fmtInt(steps[steps.length - 1])}, ${fmt(len)} long in the plane.`,
    );
  }
  if (r.explained)
    parts.push(
      `The two directions explain ${fmtPct(r.explained[0])} and ${fmtPct(r.explained[1])} of the path’s variance.`,
    );
  return parts.join(' ');
}

export function LandscapePanel({ runs, images = false }: Props) {
  const [runChoice, setRun] = useState<RunId>(runs[0].id);
  const run = runs.some((r) => r.id === runChoice) ? runChoice : runs[0].id;
  const other = runs.find((r) => r.id !== run) ?? null;
  const [directions, setDirections] = useState<LandscapeDirections>('pca');
  const [grid, setGrid] = useState(images ? 15 : 31);
  const [range, setRange] = useState(1);
  const [split, setSplit] = useState<'train' | 'val'>('train');
  const [view, setView] = useState<'2d' | '3d'>('2d');
  const [logScale, setLogScale] = useState(true);
  const [phase, setPhase] = useState<Phase | null>(null);
  const [result, setResult] = useState<LandscapeResult | null>(null);
  const [lines, setLines] = useState<Lines | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const generation = useRef(0);
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box, 320);

  // Progress of the request in flight (the worker posts one event per chunk).
  useEffect(() => {
    const c = startEngine();
    if (!c) return;
    return c.subscribe((e) => {
      if (e.type !== 'landscapeProgress' || e.run !== run) return;
      setPhase((p) => (p ? { ...p, progress: e.progress } : p));
    });
  }, [run]);

  const rows = images ? IMAGE_ROWS : undefined;
  const compute = async () => {
    const c = startEngine();
    if (!c) return;
    const gen = ++generation.current;
    setMessage(null);
    setPhase({ kind: 'landscape', progress: null });
    try {
      const r = await c.request({ type: 'landscape', run, request: { directions, grid, range, split, seed: 1, rows } });
      if (gen !== generation.current) return;
      setResult(r);
      setPhase({ kind: 'line', progress: null });
      const initial = await c
        .request({ type: 'interpolate', run, request: { split, points: 41, rows } })
        .catch((e: Error) => e);
      if (gen !== generation.current) return;
      const between = other
        ? await c
            .request({ type: 'interpolate', run, request: { split, points: 41, other: other.id, rows } })
            .catch((e: Error) => e)
        : null;
      if (gen !== generation.current) return;
      const failed = [initial, between].find((x): x is Error => x instanceof Error);
      setLines({
        initial: initial instanceof Error ? null : initial,
        between: between instanceof Error ? null : between,
        note: failed ? failed.message : null,
      });
    } catch (e) {
      if (gen !== generation.current) return;
      const text = e instanceof Error ? e.message : String(e);
      setMessage(/cancelled/.test(text) ? 'Cancelled.' : text);
    } finally {
      if (gen === generation.current) setPhase(null);
    }
  };

  const cancel = () => {
    generation.current++;
    setPhase(null);
    setMessage('Cancelled.');
    void startEngine()?.request({ type: 'cancelLandscape', run });
  };

  const runLabel = runs.find((r) => r.id === run)?.label ?? run;
  const lineSeries = useMemo<LineSeries[]>(() => {
    const s: LineSeries[] = [];
    if (lines?.initial)
      s.push({ id: 'init', label: `initial → current (${runLabel})`, x: lines.initial.ts, y: lines.initial.losses });
    if (lines?.between && other)
      s.push({
        id: 'ab',
        label: `${runLabel} → ${other.label}`,
        x: lines.between.ts,
        y: lines.between.losses,
        color: 'var(--class-b)',
        dashed: true,
      });
    return s;
  }, [lines, runLabel, other]);

  const plotSize = Math.max(260, Math.min(width, 480));
  const busy = phase !== null;
  const pct = phase?.progress ? phase.progress.done / phase.progress.total : 0;
  const plotLabel = result
    ? `Loss landscape of run ${runLabel}, ${result.directions === 'pca' ? 'PCA directions' : 'random directions'}, ${result.split === 'val' ? 'validation' : 'training'} loss${logScale ? ' (log colour scale)' : ''}`
    : '';

  return (
    <section className="lab-panel landscape-panel" aria-labelledby="lab-landscape-h" data-testid="landscape-panel">
      <div className="lab-panel-head">
        <h2 id="lab-landscape-h">Loss landscape</h2>
        {runs.length > 1 && (
          <Segmented
            label="Run"
            value={run}
            options={runs.map((r) => ({ id: r.id, label: r.label }))}
            onChange={(v) => setRun(v)}
          />
        )}
      </div>
      <p className="lab-panel-note">
        The loss around the current weights in a plane through weight space: along two random directions scaled filter
        by filter to the weights, or along the two directions the training path varied most (PCA), with the path on top.
      </p>
      <div className="landscape-controls">
        <Segmented
          label="Directions"
          value={directions}
          options={[
            { id: 'pca', label: 'PCA of the path' },
            { id: 'random', label: 'Random' },
          ]}
          onChange={setDirections}
        />
        <Segmented
          label="Loss on"
          value={split}
          options={[
            { id: 'train', label: 'Training' },
            { id: 'val', label: 'Validation' },
          ]}
          onChange={setSplit}
        />
        <Slider label="Grid" value={grid} min={11} max={81} step={2} format={(v) => `${v} × ${v}`} onChange={setGrid} />
        <Slider
          label={directions === 'pca' ? 'Range (× the path’s extent)' : 'Range'}
          value={range}
          min={0.25}
          max={3}
          step={0.25}
          format={(v) => `±${v}`}
          onChange={setRange}
        />
        <div className="landscape-actions">
          <button type="button" className="lab-button is-primary" onClick={() => void compute()} disabled={busy}>
            Compute
          </button>
          {busy && (
            <button type="button" className="lab-button" onClick={cancel}>
              Cancel
            </button>
          )}
        </div>
      </div>
      {phase && (
        <div className="landscape-progress" role="status">
          <label htmlFor="landscape-progress">
            {phase.kind === 'landscape'
              ? `Evaluating the grid: ${phase.progress ? `${fmtInt(phase.progress.done)} of ${fmtInt(phase.progress.total)} points` : 'preparing…'}`
              : 'Interpolating between the weights…'}
          </label>
          <progress id="landscape-progress" max={1} value={pct} data-testid="landscape-progress" />
        </div>
      )}
      {message && (
        <p className="lab-muted" role="status">
          {message}
        </p>
      )}
      <div ref={box} className="landscape-views">
        {result ? (
          <>
            <div className="lab-row landscape-view-controls">
              <Segmented
                label="View"
                value={view}
                options={[
                  { id: '2d', label: 'Map' },
                  { id: '3d', label: '3-D surface' },
                ]}
                onChange={setView}
              />
              <Switch label="Log scale" checked={logScale} onChange={setLogScale} />
            </div>
            <div className="landscape-result">
              <div className="landscape-figure">
                {view === '2d' ? (
                  <LossLandscape2D
                    label={plotLabel}
                    values={result.losses}
                    n={result.grid}
                    xs={result.alphas}
                    ys={result.betas}
                    path={result.trajectory}
                    logScale={logScale}
                    size={plotSize}
                  />
                ) : (
                  <LossSurface3D
                    label={plotLabel}
                    values={result.losses}
                    n={result.grid}
                    xs={result.alphas}
                    ys={result.betas}
                    path={result.trajectory}
                    logScale={logScale}
                    size={plotSize}
                  />
                )}
                <Legend result={result} logScale={logScale} />
              </div>
              <div className="landscape-text">
                <p className="landscape-summary" data-testid="landscape-summary">
                  {landscapeSummary(result)}
                </p>
                {result.trajectory && (
                  <p className="lab-muted">
                    The orange line is the run’s path from its start (circle) to now (triangle), projected onto the
                    plane.
                  </p>
                )}
                <p className="lab-muted">
                  {fmtInt(result.grid * result.grid)} points on {fmtInt(result.rows)} rows in {fmt(result.seconds)} s on{' '}
                  {result.backend === 'webgpu' ? 'WebGPU' : 'the CPU'} ({fmt(result.flops / result.seconds / 1e9)}{' '}
                  GFLOP/s).
                </p>
              </div>
            </div>
          </>
        ) : (
          !busy && (
            <p className="lab-muted">Train for a while, then compute the landscape around where the run is now.</p>
          )
        )}
      </div>
      {lineSeries.length > 0 && <h3>Along the straight line between the weights</h3>}
      {lineSeries.length > 0 && (
        <LineChart
          label="Loss along the straight line between weights"
          series={lineSeries}
          xLabel="t (0: start, 1: end)"
          yLabel="Loss"
          logY={logScale}
          markers={[
            { x: 0, label: 'start', tone: 'muted' },
            { x: 1, label: 'end', tone: 'muted' },
          ]}
          height={200}
          formatX={(v) => fmt(v)}
        />
      )}
      {lines?.note && <p className="lab-muted">{lines.note}</p>}
    </section>
  );
}

/** The colour scale: low to high loss (viridis), with the range's two ends. */
function Legend({ result, logScale }: { result: LandscapeResult; logScale: boolean }) {
  const s = useMemo(() => landscapeScale(result.losses, logScale), [result, logScale]);
  const top = Math.max(...result.losses) > s.invert(s.hi) * (1 + 1e-6);
  return (
    <div className="landscape-legend" aria-hidden="true">
      <span>{fmt(s.invert(s.lo))}</span>
      <span className="landscape-ramp" />
      <span>
        {top ? '≥ ' : ''}
        {fmt(s.invert(s.hi))}
        {logScale ? ' (log scale)' : ''}
      </span>
    </div>
  );
}
