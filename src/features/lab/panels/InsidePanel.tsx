// Inside the network, per run: the gradient L2 norm of every layer over time on a log scale (vanishing gradients show
// as the first layers' curves sinking far below the last ones'), activation histograms over time with the fraction
// of dead units, and the current weight histograms.
import { useMemo } from 'react';
import type { RunId } from '../../../../engine/index';
import { Histogram } from '../../../plots/Histogram';
import { HistogramOverTime, type HistogramSnapshot } from '../../../plots/HistogramOverTime';
import { LineChart, type LineSeries } from '../../../plots/LineChart';
import { type RunView, useRuns } from '../../../state/runs';

interface Props {
  runs: { id: RunId; label: string }[];
  show: { gradients: boolean; activations: boolean; weights: boolean };
}

const PRE_ACTIVATION = /\((dense|conv2d|batchnorm|layernorm|dropout|flatten|maxpool2d|avgpool2d|residual)\b/;

/** "layer 2 (dense, 8 units)" -> "#2 dense 8" (the state-dict index, as in an exported PyTorch model): short enough
 * for a legend of 12 layers. */
export function shortLabel(label: string): string {
  const m = /^layer\s+([\w.]+)\s*\((\w+)(?:,\s*(\d+)\s*\w*)?.*\)$/i.exec(label);
  return m ? `#${m[1]} ${m[2]}${m[3] ? ` ${m[3]}` : ''}` : label;
}

function GradNorms({ run, tag }: { run: RunView; tag: string }) {
  // biome-ignore lint/correctness/useExhaustiveDependencies: columns grow in place; the run's version says when
  const series = useMemo<LineSeries[]>(
    () =>
      run.grad.keys
        .map((k, j) => ({
          id: k,
          label: shortLabel(run.grad.labels[j] ?? k),
          x: run.grad.step.view(),
          y: run.grad.norms[j]?.view() ?? [],
        }))
        // The weight layers tell the vanishing-gradient story; normalisation parameters would double the legend.
        .filter((s) => /dense|conv/.test(s.label)),
    [run.version],
  );
  return (
    <LineChart
      label={`Gradient norm per layer${tag}`}
      series={series}
      xLabel="Step"
      yLabel="‖gradient‖₂"
      logY
      palette="depth"
      height={230}
    />
  );
}

function Activations({ run, tag }: { run: RunView; tag: string }) {
  const layers = useMemo(() => {
    const byLayer = new Map<string, { label: string; snaps: HistogramSnapshot[] }>();
    for (const snap of run.activations)
      for (const l of snap.layers) {
        let e = byLayer.get(l.layer);
        if (!e) {
          e = { label: l.label, snaps: [] };
          byLayer.set(l.layer, e);
        }
        e.snaps.push({
          step: snap.step,
          min: l.histogram.min,
          max: l.histogram.max,
          counts: l.histogram.counts,
          dead: l.zeros,
        });
      }
    // What the activation functions output is what dies or saturates; the dense and normalisation outputs before
    // them would double the panel for little (they stay in when a network has no activation layers at all).
    const all = [...byLayer.entries()];
    const acts = all.filter(([, l]) => !PRE_ACTIVATION.test(l.label));
    return acts.length > 0 ? acts : all;
  }, [run.activations]);
  if (layers.length === 0) return <p className="lab-muted">Activation histograms appear once the network trains.</p>;
  return (
    <div className="lab-small-multiples">
      {layers.map(([key, l]) => (
        <HistogramOverTime
          key={key}
          title={`${shortLabel(l.label)} activations${tag}`}
          snapshots={l.snaps}
          valueLabel="activation"
          height={130}
        />
      ))}
    </div>
  );
}

function Weights({ run, tag }: { run: RunView; tag: string }) {
  if (!run.weightStats) return <p className="lab-muted">Weight histograms appear once the network is built.</p>;
  return (
    <div className="lab-small-multiples">
      {run.weightStats
        .filter((l) => /dense|conv/.test(l.label))
        .map((l) => (
          <Histogram
            key={l.layer}
            label={`${shortLabel(l.label)} weights${tag}`}
            counts={l.histogram.counts}
            min={l.histogram.min}
            max={l.histogram.max}
            xLabel="weight"
            height={120}
          />
        ))}
    </div>
  );
}

export function InsidePanel({ runs, show }: Props) {
  const views = useRuns((s) => s.runs);
  const many = runs.length > 1;
  const list = runs
    .map((r) => ({ ...r, view: views[r.id] }))
    .filter((r): r is typeof r & { view: RunView } => !!r.view);
  return (
    <>
      {show.gradients && (
        <section className="lab-panel" aria-labelledby="lab-grad-h">
          <h2 id="lab-grad-h">Gradient norms</h2>
          <p className="lab-panel-note">
            How large each layer’s gradient is, step by step. Curves that sink towards the first layers are vanishing
            gradients.
          </p>
          <div className={many ? 'lab-chart-pair' : undefined}>
            {list.map((r) => (
              <GradNorms key={r.id} run={r.view} tag={many ? `, ${r.label}` : ''} />
            ))}
          </div>
        </section>
      )}
      {show.activations && (
        <section className="lab-panel" aria-labelledby="lab-act-h">
          <h2 id="lab-act-h">Activations over time</h2>
          <div className={many ? 'lab-chart-pair' : undefined}>
            {list.map((r) => (
              <Activations key={r.id} run={r.view} tag={many ? `, ${r.label}` : ''} />
            ))}
          </div>
        </section>
      )}
      {show.weights && (
        <section className="lab-panel" aria-labelledby="lab-w-h">
          <h2 id="lab-w-h">Weights</h2>
          <div className={many ? 'lab-chart-pair' : undefined}>
            {list.map((r) => (
              <Weights key={r.id} run={r.view} tag={many ? `, ${r.label}` : ''} />
            ))}
          </div>
        </section>
      )}
    </>
  );
}
