// The Lab's Export button and its dialog: the run as a PyTorch project (zip), the Lab's plots as PNG and SVG, the
// run's metrics as CSV and JSON, its weights as a state-dict JSON, and importing a state-dict JSON back (a model
// trained in PyTorch, shown and probed here). A native modal <dialog>: focus moves in, Escape closes, focus returns.
import { useId, useRef, useState } from 'react';
import type { RunId } from '../../../../engine/index';
import { startEngine } from '../../../state/engine';
import { useExperiment } from '../../../state/experiment';
import { useRuns } from '../../../state/runs';
import { RUN_A, RUN_B } from '../controller';
import { downloadText, metricsCsv } from '../metricsCsv';
import { downloadBytes, metricsJson, projectZip, stateDictOf } from './bundle';
import { mismatches, parseStateDict } from './importWeights';
import { listPlots, type PlotRef, plotPng, plotSvg } from './plots';
import './export.css';

type Status =
  | { kind: 'idle' }
  | { kind: 'busy'; text: string }
  | { kind: 'ok'; text: string }
  | { kind: 'error'; text: string; list?: string[] };

export function ExportButton() {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [plots, setPlots] = useState<PlotRef[]>([]);
  const open = () => {
    setPlots(listPlots(document.querySelector('.lab-page') ?? document));
    ref.current?.showModal();
  };
  return (
    <>
      <button type="button" className="lab-button" onClick={open} aria-haspopup="dialog" data-testid="export-open">
        Export
      </button>
      <dialog ref={ref} className="export-dialog" aria-labelledby={titleId} data-testid="export-dialog">
        <ExportBody titleId={titleId} plots={plots} onClose={() => ref.current?.close()} />
      </dialog>
    </>
  );
}

function ExportBody({ titleId, plots, onClose }: { titleId: string; plots: PlotRef[]; onClose: () => void }) {
  const uid = useId();
  const hasB = useExperiment((s) => s.b !== null);
  const [side, setSide] = useState<'a' | 'b'>('a');
  const run: RunId = side === 'b' && hasB ? RUN_B : RUN_A;
  const view = useRuns((s) => s.runs[run]);
  const step = view?.step ?? 0;
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const busy = status.kind === 'busy';

  const spec = () => {
    const st = useExperiment.getState();
    const s = run === RUN_B ? st.b : st.a;
    if (!s) throw new Error('there is no experiment to export yet');
    return s;
  };
  /** Runs one export; `work` says what happened (a sentence for success, or a full Status). */
  const attempt = async (text: string, work: () => Promise<string | Status>) => {
    setStatus({ kind: 'busy', text });
    try {
      const r = await work();
      setStatus(typeof r === 'string' ? { kind: 'ok', text: r } : r);
    } catch (e) {
      setStatus({ kind: 'error', text: e instanceof Error ? e.message : String(e) });
    }
  };
  const client = () => {
    const c = startEngine();
    if (!c) throw new Error('the engine worker is not running');
    return c;
  };

  const project = () =>
    attempt('Preparing the PyTorch project…', async () => {
      const z = await projectZip(client(), run, spec(), () => useRuns.getState().runs[run]);
      downloadBytes(z.name, z.bytes, 'application/zip');
      return `Saved ${z.name} (${formatBytes(z.bytes.length)}): ${z.files.join(', ')}.`;
    });
  const weights = () =>
    attempt('Reading the weights…', async () => {
      const snap = await client().request({ type: 'snapshot', run });
      const name = `weights-${run}-step${snap.step}.json`;
      downloadText(name, `${JSON.stringify(stateDictOf(snap.weights))}\n`, 'application/json');
      return `Saved ${name}: the state dict after ${snap.step} steps.`;
    });
  const metrics = (kind: 'csv' | 'json') =>
    attempt('Writing the metrics…', async () => {
      const v = useRuns.getState().runs[run];
      if (!v) throw new Error('this run has no metrics yet');
      const name = `metrics-${run}-step${v.step}.${kind}`;
      if (kind === 'csv') downloadText(name, metricsCsv(v));
      else downloadText(name, metricsJson(v, spec()), 'application/json');
      return `Saved ${name} (${v.train.step.length} steps).`;
    });
  const plot = (p: PlotRef, kind: 'png' | 'svg') =>
    attempt(`Drawing ${p.name}…`, async () => {
      if (!p.el.isConnected) throw new Error(`${p.name} is no longer on the page: close and reopen Export`);
      const name = `${p.slug}.${kind}`;
      if (kind === 'svg') downloadText(name, plotSvg(p.el), 'image/svg+xml');
      else downloadBytes(name, await plotPng(p.el), 'image/png');
      return `Saved ${name}.`;
    });
  const importFile = (file: File) =>
    attempt(`Reading ${file.name}…`, async () => {
      const parsed = parseStateDict(await file.text());
      if (!parsed.ok)
        return { kind: 'error', text: `${file.name} is not a state dict this Lab can read:`, list: parsed.problems };
      const c = client();
      const model = (await c.request({ type: 'snapshot', run })).weights;
      const bad = mismatches(parsed.dict, model);
      if (bad.length > 0)
        return { kind: 'error', text: `${file.name} does not fit this model; nothing was loaded:`, list: bad };
      const r = await c.request({ type: 'loadWeights', run, weights: parsed.dict });
      if (r.dropped.length > 0)
        return { kind: 'error', text: `Some tensors of ${file.name} were not loaded:`, list: r.dropped };
      return `Loaded ${r.kept.length} tensors from ${file.name} into run ${run}: the plots now show them.`;
    });

  return (
    <div className="export-body">
      <header className="export-head">
        <h2 id={titleId}>Export</h2>
        <button type="button" className="lab-button export-close" onClick={onClose} aria-label="Close export">
          Close
        </button>
      </header>
      {hasB && (
        <fieldset className="export-run">
          <legend>Run</legend>
          {(['a', 'b'] as const).map((s) => (
            <label key={s} className="lab-inline-check">
              <input type="radio" name={`${uid}-run`} checked={side === s} onChange={() => setSide(s)} />
              Run {s.toUpperCase()}
            </label>
          ))}
        </fieldset>
      )}

      <section className="export-section" aria-labelledby={`${uid}-py`}>
        <h3 id={`${uid}-py`}>PyTorch project</h3>
        <p className="export-note">
          <code>train.py</code> trains this network as the Lab does (the same initial weights, data, batch order,
          dropout masks, optimizer and schedule), on one GPU or data-parallel with <code>torchrun</code>. With it:{' '}
          <code>initial_state.json</code>
          {step > 0 ? (
            <>
              , <code>final_state.json</code> (the weights at step {step}), the run's losses
            </>
          ) : null}
          , the data, <code>spec.json</code> and a README. A setting changed during the run applies from step 0 there.
        </p>
        <button
          type="button"
          className="lab-button is-primary"
          onClick={() => void project()}
          disabled={busy}
          data-testid="export-project"
        >
          Download project (.zip)
        </button>
      </section>

      <section className="export-section" aria-labelledby={`${uid}-plots`}>
        <h3 id={`${uid}-plots`}>Plots</h3>
        {plots.length === 0 ? (
          <p className="export-note">No plot is showing: turn panels on in the Panels menu.</p>
        ) : (
          <ul className="export-plots">
            {plots.map((p) => (
              <li key={p.slug}>
                <span className="export-plot-name">{p.name}</span>
                <span className="export-pair">
                  <button
                    type="button"
                    className="lab-button"
                    onClick={() => void plot(p, 'png')}
                    disabled={busy}
                    aria-label={`PNG of ${p.name}`}
                  >
                    PNG
                  </button>
                  <button
                    type="button"
                    className="lab-button"
                    onClick={() => void plot(p, 'svg')}
                    disabled={busy}
                    aria-label={`SVG of ${p.name}`}
                  >
                    SVG
                  </button>
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="export-section" aria-labelledby={`${uid}-data`}>
        <h3 id={`${uid}-data`}>Metrics and weights</h3>
        <div className="export-row">
          <button
            type="button"
            className="lab-button"
            onClick={() => void metrics('csv')}
            disabled={busy}
            data-testid="export-csv"
          >
            Metrics (CSV)
          </button>
          <button
            type="button"
            className="lab-button"
            onClick={() => void metrics('json')}
            disabled={busy}
            data-testid="export-metrics-json"
          >
            Metrics (JSON)
          </button>
          <button
            type="button"
            className="lab-button"
            onClick={() => void weights()}
            disabled={busy}
            data-testid="export-weights"
          >
            Weights (state dict JSON)
          </button>
        </div>
        <label className="export-import">
          <span>Import weights (a state-dict JSON, e.g. from train.py --save-state)</span>
          <input
            type="file"
            accept="application/json,.json"
            disabled={busy}
            data-testid="import-weights"
            onChange={(e) => {
              const f = e.currentTarget.files?.[0];
              e.currentTarget.value = '';
              if (f) void importFile(f);
            }}
          />
        </label>
      </section>

      <div className={`export-status is-${status.kind}`} role="status" aria-live="polite" data-testid="export-status">
        {status.kind !== 'idle' && <p>{status.text}</p>}
        {status.kind === 'error' && status.list && (
          <ul>
            {status.list.slice(0, 12).map((m) => (
              <li key={m}>{m}</li>
            ))}
            {status.list.length > 12 && <li>and {status.list.length - 12} more</li>}
          </ul>
        )}
      </div>
    </div>
  );
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
