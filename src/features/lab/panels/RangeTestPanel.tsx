// "Find learning rate": the range test in a dialog. A short run of the Lab's experiment from fresh initial weights
// with the learning rate growing exponentially, loss against learning rate on a log axis (raw and smoothed), the
// suggested rate (steepest descent of the smoothed loss) marked, a text summary, and one click to use the rate.
// The run happens in the engine worker under its own run id; the experiment changes only when the rate is applied.
import { useEffect, useRef, useState } from 'react';
import { type BackendRequest, type NormalizedSpec, RANGE_TEST_DEFAULTS, roundRate } from '../../../../engine/index';
import { fmt } from '../../../plots/format';
import { LineChart, type LineMarker, type LineSeries } from '../../../plots/LineChart';
import { fmtHyper, Select } from '../controls/Form';
import { cancelRangeTest, type RangeOutcome, type RangeProgress, runRangeTest } from '../rangeTest';
import './rangeTest.css';

interface Props {
  spec: NormalizedSpec;
  backend: BackendRequest;
  onApply: (lr: number) => void;
}

// Option ids are String(number), so the defaults (String(1e-6) is '0.000001') select their option.
const STARTS = [1e-7, 1e-6, 1e-5, 1e-4].map((v) => ({ id: String(v), label: fmtHyper(v) }));
const ENDS = [0.1, 1, 10].map((v) => ({ id: String(v), label: String(v) }));
const STEPS = ['50', '100', '150', '200', '300'].map((id) => ({ id, label: `${id} steps` }));

type Phase = { kind: 'idle' } | { kind: 'running' } | { kind: 'finished'; outcome: RangeOutcome };

export function RangeTestButton({ spec, backend, onApply }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <>
      <button type="button" className="lab-button lab-range-open" onClick={() => setOpen(true)}>
        Find learning rate
      </button>
      <dialog
        ref={dialog}
        className="lab-dialog lab-range"
        aria-labelledby="lab-range-h"
        onClose={() => {
          cancelRangeTest();
          setOpen(false);
        }}
      >
        {open && (
          <RangeTestPanel
            spec={spec}
            backend={backend}
            onApply={(lr) => {
              onApply(lr);
              setOpen(false);
            }}
            onClose={() => setOpen(false)}
          />
        )}
      </dialog>
    </>
  );
}

function RangeTestPanel({ spec, backend, onApply, onClose }: Props & { onClose: () => void }) {
  const [start, setStart] = useState(String(RANGE_TEST_DEFAULTS.startLr));
  const [end, setEnd] = useState(String(RANGE_TEST_DEFAULTS.endLr));
  const [steps, setSteps] = useState(String(RANGE_TEST_DEFAULTS.steps));
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [progress, setProgress] = useState<RangeProgress | null>(null);
  const opts = { startLr: Number(start), endLr: Number(end), steps: Number(steps) };
  const running = phase.kind === 'running';

  // Leaving the dialog mid-run stops the run.
  useEffect(() => () => cancelRangeTest(), []);

  const run = async () => {
    setPhase({ kind: 'running' });
    setProgress(null);
    const outcome = await runRangeTest(spec, opts, setProgress, backend);
    setProgress(outcome.progress);
    setPhase({ kind: 'finished', outcome });
  };

  const a = progress?.analysis;
  const suggestion = a?.suggestion ? roundRate(a.suggestion.lr) : null;
  const done = progress?.lrs.length ?? 0;
  const x = (progress?.lrs ?? []).map((v) => Math.log10(v));
  // The curve stops before the explosion, so the axis keeps the interesting part in view.
  const usable = a?.usable ?? 0;
  const series: LineSeries[] = progress
    ? [
        {
          id: 'raw',
          label: 'Loss per step',
          color: 'var(--muted)',
          dashed: true,
          x,
          y: progress.losses.slice(0, usable),
        },
        { id: 'smooth', label: 'Smoothed loss', color: 'var(--accent)', x, y: Array.from(a?.smoothed ?? []) },
      ]
    : [];
  const markers: LineMarker[] = [];
  if (a?.suggestion) markers.push({ x: Math.log10(a.suggestion.lr), label: 'steepest', tone: 'accent' });
  if (a?.explodedAt != null && progress)
    markers.push({ x: Math.log10(progress.lrs[a.explodedAt]), label: 'exploded', tone: 'danger' });

  const summary = summarise(phase, progress, suggestion);
  return (
    <div className="lab-range-body">
      <div className="lab-range-head">
        <h2 id="lab-range-h">Find a learning rate</h2>
        <button type="button" className="lab-button" onClick={onClose}>
          Close
        </button>
      </div>
      <p className="lab-panel-note">
        A short run of this experiment from fresh initial weights, with the learning rate growing exponentially from
        start to end (PyTorch's ExponentialLR). It stops when the smoothed loss passes 4× its best. The rate where the
        smoothed loss falls fastest is a good starting point. Your experiment changes only if you use it.
      </p>
      <div className="lab-range-form">
        <Select label="Start" value={start} options={STARTS} onChange={setStart} disabled={running} />
        <Select label="End" value={end} options={ENDS} onChange={setEnd} disabled={running} />
        <Select label="Length" value={steps} options={STEPS} onChange={setSteps} disabled={running} />
        {running ? (
          <button type="button" className="lab-button" onClick={cancelRangeTest}>
            Cancel
          </button>
        ) : (
          <button type="button" className="lab-button is-primary" onClick={() => void run()}>
            {phase.kind === 'idle' ? 'Run the test' : 'Run again'}
          </button>
        )}
      </div>
      <label className="lab-range-progress">
        <span>
          Progress: {done} of {progress?.total ?? opts.steps} steps
        </span>
        <progress max={progress?.total ?? opts.steps} value={done} />
      </label>
      <LineChart
        label="Loss against learning rate"
        series={series}
        xLabel="Learning rate (log scale)"
        yLabel="Training loss"
        xDomain={[Math.log10(opts.startLr), Math.log10(opts.endLr)]}
        formatX={(v) => fmtHyper(Number((10 ** v).toPrecision(2)))}
        markers={markers}
        height={200}
      />
      <p className="lab-range-summary" role="status" data-testid="range-summary">
        {summary}
      </p>
      <div className="lab-range-actions">
        <button
          type="button"
          className="lab-button is-primary"
          disabled={suggestion === null || running}
          onClick={() => suggestion !== null && onApply(suggestion)}
        >
          {suggestion === null ? 'Use the suggested rate' : `Use ${fmtHyper(suggestion)}`}
        </button>
        <span className="lab-muted">Current learning rate: {fmtHyper(spec.optimizer.lr)}</span>
      </div>
    </div>
  );
}

function summarise(phase: Phase, p: RangeProgress | null, suggestion: number | null): string {
  if (phase.kind === 'idle') return 'Not run yet.';
  if (!p || p.lrs.length === 0) return phase.kind === 'running' ? 'Compiling and starting the sweep…' : 'No steps ran.';
  const a = p.analysis;
  const parts: string[] = [];
  if (phase.kind === 'running')
    parts.push(`Running: step ${p.lrs.length} of ${p.total}, learning rate ${fmtHyper(p.lrs[p.lrs.length - 1])}.`);
  else if (phase.outcome.status === 'cancelled') parts.push(`Cancelled after ${p.lrs.length} steps.`);
  else if (phase.outcome.status === 'error')
    parts.push(`The test stopped: ${phase.outcome.message ?? 'unknown error'}.`);
  else if (a.explodedAt !== null)
    parts.push(
      `Stopped at step ${a.explodedAt + 1} (learning rate ${fmtHyper(p.lrs[a.explodedAt])}): the smoothed loss passed 4× its best.`,
    );
  else parts.push(`Swept all ${p.lrs.length} steps without the loss exploding.`);
  if (a.best) parts.push(`Lowest smoothed loss ${fmt(a.best.loss)} at learning rate ${fmtHyper(a.best.lr)}.`);
  if (a.suggestion && suggestion !== null)
    parts.push(
      `Steepest descent at ${fmtHyper(a.suggestion.lr)} (the loss falls ${fmt(-a.suggestion.slope)} per tenfold increase): suggested learning rate ${fmtHyper(suggestion)}.`,
    );
  else if (phase.kind !== 'running')
    parts.push('The smoothed loss never fell clearly: try a wider range or a longer sweep.');
  return parts.join(' ');
}
