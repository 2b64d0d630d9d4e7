// Loss and accuracy over steps, training (smoothed per-batch values) and validation (one point per evaluation), with
// runs A and B overlaid in compare mode; the learning rate the schedule actually used; a marker where a run diverged.
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { RunId } from '../../../../engine/index';
import { LineChart, type LineMarker, type LineSeries } from '../../../plots/LineChart';
import { type RunView, useRuns } from '../../../state/runs';
import { downloadText, metricsCsv } from '../metricsCsv';
import { useThrottled } from '../useThrottled';

interface Props {
  runs: { id: RunId; label: string }[];
  logScale: boolean;
  setLogScale: (v: boolean) => void;
  classification: boolean;
  show: { curves: boolean; lr: boolean };
}

const COLORS: Record<string, { train: string; val: string }> = {
  0: { train: 'var(--class-a)', val: 'var(--class-a-strong)' },
  1: { train: 'var(--accent-b)', val: 'var(--accent)' },
};

export function useRunList(ids: RunId[]): (RunView | undefined)[] {
  return useRuns(useShallow((s) => ids.map((id) => s.runs[id]))) as (RunView | undefined)[];
}

export function CurvesPanel({ runs, logScale, setLogScale, classification, show }: Props) {
  const ids = runs.map((r) => r.id);
  const views = useRunList(ids);
  // A few redraws a second: the series grow by thousands of steps a second and every redraw reads them all.
  const versions = useThrottled(views.map((v) => v?.version ?? -1).join(), 200);
  const many = runs.length > 1;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the run views mutate their columns in place; version says when
  const charts = useMemo(() => {
    const loss: LineSeries[] = [];
    const acc: LineSeries[] = [];
    const lr: LineSeries[] = [];
    const markers: LineMarker[] = [];
    views.forEach((v, i) => {
      if (!v) return;
      const tag = many ? ` ${runs[i].label}` : '';
      const c = COLORS[i] ?? COLORS[0];
      const steps = v.train.step.view();
      loss.push({
        id: `train-${v.id}`,
        label: `Training loss${tag}`,
        color: c.train,
        x: steps,
        y: v.train.smoothLoss.view(),
      });
      loss.push({
        id: `val-${v.id}`,
        label: `Validation loss${tag}`,
        color: c.val,
        dashed: true,
        x: v.val.step.view(),
        y: v.val.loss.view(),
      });
      if (classification) {
        acc.push({
          id: `tacc-${v.id}`,
          label: `Training accuracy${tag}`,
          color: c.train,
          x: steps,
          y: v.train.smoothAccuracy.view(),
        });
        acc.push({
          id: `vacc-${v.id}`,
          label: `Validation accuracy${tag}`,
          color: c.val,
          dashed: true,
          x: v.val.step.view(),
          y: v.val.accuracy.view(),
        });
      }
      lr.push({ id: `lr-${v.id}`, label: `Learning rate${tag}`, color: c.train, x: steps, y: v.train.lr.view() });
      if (v.diverged) markers.push({ x: v.diverged.step, label: `diverged${tag}`, tone: 'danger' });
    });
    return { loss, acc, lr, markers };
  }, [versions, classification, many]);
  return (
    <section className="lab-panel lab-curves" aria-labelledby="lab-curves-h">
      <div className="lab-panel-head">
        <h2 id="lab-curves-h">Loss and accuracy</h2>
        <div className="lab-row">
          <label className="lab-inline-check">
            <input type="checkbox" checked={logScale} onChange={(e) => setLogScale(e.currentTarget.checked)} /> Log
            scale
          </label>
          {views.map((v, i) =>
            v ? (
              <button
                key={v.id}
                type="button"
                className="lab-button"
                data-testid={`csv-${v.id}`}
                onClick={() => downloadText(`gradient-atlas-run-${runs[i].label}.csv`, metricsCsv(v))}
              >
                CSV{many ? ` ${runs[i].label}` : ''}
              </button>
            ) : null,
          )}
        </div>
      </div>
      {views.map((v, i) => (v ? <ValidationTable key={v.id} run={v} label={many ? runs[i].label : null} /> : null))}
      {show.curves && (
        <div className={classification ? 'lab-chart-pair' : undefined}>
          <LineChart
            label="Loss"
            series={charts.loss}
            xLabel="Step"
            yLabel="Loss"
            logY={logScale}
            markers={charts.markers}
            height={220}
          />
          {classification && (
            <LineChart
              label="Accuracy"
              series={charts.acc}
              xLabel="Step"
              yLabel="Accuracy"
              yDomain={[0, 1]}
              height={220}
              formatY={(v) => `${(v * 100).toFixed(1)}%`}
            />
          )}
        </div>
      )}
      {show.lr && (
        <LineChart
          label="Learning rate used"
          series={charts.lr}
          xLabel="Step"
          yLabel="Learning rate"
          height={140}
          legend={many}
        />
      )}
    </section>
  );
}

/** Every validation result as a table for screen readers (the charts summarise only the latest values). */
function ValidationTable({ run, label }: { run: RunView; label: string | null }) {
  const steps = run.val.step.view();
  const loss = run.val.loss.view();
  const acc = run.val.accuracy.view();
  return (
    <table className="visually-hidden" data-testid={`val-history-${run.id}`}>
      <caption>Validation results{label ? ` of run ${label}` : ''}</caption>
      <thead>
        <tr>
          <th scope="col">Step</th>
          <th scope="col">Epoch</th>
          <th scope="col">Loss</th>
          <th scope="col">Accuracy</th>
        </tr>
      </thead>
      <tbody>
        {Array.from(steps, (st, i) => (
          <tr key={st} data-step={st} data-accuracy={acc[i]}>
            <td>{st}</td>
            <td>{run.valEpochs[i] ?? ''}</td>
            <td>{loss[i].toFixed(4)}</td>
            <td>{Number.isFinite(acc[i]) ? `${(acc[i] * 100).toFixed(1)}%` : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
